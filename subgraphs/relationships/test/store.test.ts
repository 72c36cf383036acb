import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../platform/db/db.ts';
import { migrateSubgraph } from '../../../platform/subgraph.ts';
import { backends, freshDb } from '../../../test/support/databases.ts';
import { contractSuite } from '../../../test/support/contract.ts';
import { NEO4J_URL, lockNeo4j, neo4jTarget } from '../../../test/support/neo4j.ts';
import { Neo4jGraphStore } from '../store.neo4j.ts';
import { PostgresGraphStore } from '../store.postgres.ts';
import { graphStoreContract } from './store.contract.ts';

const SUBGRAPH = fileURLToPath(new URL('..', import.meta.url));

for (const { backend, label, target } of await backends()) {
  contractSuite('relationships store', target, () => {
    graphStoreContract(label, async ({ now }) => {
      const { db, drop } = await freshDb(backend, 'graph');
      await migrateSubgraph(db, SUBGRAPH);
      return { store: new PostgresGraphStore(db, now), dispose: drop };
    });

    describe('within(tx)', () => {
      let db: Db;
      let drop: () => Promise<void>;
      let store: PostgresGraphStore;
      beforeEach(async () => {
        ({ db, drop } = await freshDb(backend, 'graph'));
        await migrateSubgraph(db, SUBGRAPH);
        store = new PostgresGraphStore(db);
      });
      afterEach(() => drop());

      const page = { limit: 10, offset: 0 };
      const boom = new Error('boom');

      it('writes in the caller’s transaction: rolled back with it, committed with it', async () => {
        const [ana, ben, skill] = [randomUUID(), randomUUID(), randomUUID()];
        // On PGlite a nested db.transaction would wait on the outer one forever: this also
        // proves a bound store opens none.
        await expect(
          db.transaction(async (tx) => {
            const graph = store.within(tx);
            await graph.upsertEdge({ kind: 'KNOWS', fromId: ana, toId: ben, properties: { strength: 1 } });
            await graph.replaceEdgesFrom('Talent', ana, 'HAS_SKILL', [{ toId: skill, properties: { level: 'EXPERT' } }]);
            expect((await graph.connections([ana], page))[0]!.totalCount).toBe(1); // its own writes are visible
            throw boom;
          }),
        ).rejects.toBe(boom);
        expect(await store.neighbourhood('Talent', ana, 1, 10)).toBeNull();

        await db.transaction((tx) => store.within(tx).upsertEdge({ kind: 'KNOWS', fromId: ana, toId: ben, properties: { strength: 1 } }));
        expect((await store.connections([ana], page))[0]!.totalCount).toBe(1);

        await expect(
          db.transaction(async (tx) => {
            await store.within(tx).clear();
            expect(await store.within(tx).neighbourhood('Talent', ana, 1, 10)).toBeNull();
            throw boom;
          }),
        ).rejects.toBe(boom);
        expect((await store.connections([ana], page))[0]!.totalCount).toBe(1);
      });
    });
  });
}

contractSuite('relationships store', await neo4jTarget(), () => {
  // One store (one driver) per suite; every test starts from an empty database, which the
  // suite holds alone (another file's suite may use the same server).
  let shared: Promise<Neo4jGraphStore> | undefined;
  let unlock: () => Promise<void>;
  beforeAll(async () => {
    unlock = await lockNeo4j();
  });
  afterAll(async () => {
    if (shared) await (await shared).close();
    await unlock();
  });
  graphStoreContract(`Neo4j at ${NEO4J_URL}`, async ({ now }) => {
    shared ??= Neo4jGraphStore.create(NEO4J_URL);
    const owner = await shared;
    await owner.clear();
    const store = new Neo4jGraphStore(owner.driver, now);
    return { store, dispose: async () => undefined };
  });
});
