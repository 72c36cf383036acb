import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db, Queryable } from '../../../platform/db/db.ts';
import { migrateSubgraph } from '../../../platform/subgraph.ts';
import pg from 'pg';
import { contractSuite } from '../../../test/support/contract.ts';
import { POSTGRES_URL, backends, freshDb } from '../../../test/support/databases.ts';
import { WEAVIATE_URL, weaviateTarget } from '../../../test/support/weaviate.ts';
import { PgVectorStore } from '../vectors/store.pgvector.ts';
import { WeaviateVectorStore } from '../vectors/store.weaviate.ts';
import { vectorStoreContract } from './vectors.contract.ts';

const SUBGRAPH = fileURLToPath(new URL('..', import.meta.url));

/** Why pgvector cannot be used on the PostgreSQL server, or null (PGlite ships it). */
async function pgvectorMissing(): Promise<string | null> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  try {
    await client.connect();
    const { rows } = await client.query(`select 1 from pg_available_extensions where name = 'vector'`);
    return rows.length ? null : 'pgvector is not installed on that server (test/servers/pgvector/install.sh installs it)';
  } finally {
    await client.end();
  }
}

/**
 * `db` with sequential and bitmap scans priced out of every statement (each in a transaction of
 * its own): the planner then searches through the HNSW index even with the contract's few rows,
 * as it does on its own with more of them.
 */
function searchingByIndex(db: Db): Db {
  const priced = <T>(work: (tx: Queryable) => Promise<T>) =>
    db.transaction(async (tx) => {
      await tx.query(`select set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true)`);
      return work(tx);
    });
  return Object.assign(Object.create(db) as Db, {
    query: <Row>(sql: string, params?: unknown[]) => priced((tx) => tx.query<Row>(sql, params)),
    exec: (sql: string) => priced((tx) => tx.exec(sql)),
    transaction: <T>(work: (tx: Queryable) => Promise<T>) => priced(work),
  });
}

for (const { backend, label, reachable, target } of await backends()) {
  const missing = reachable && backend === 'postgres' ? await pgvectorMissing() : null;
  contractSuite('vector store', { ...target, unreachable: target.unreachable ?? missing }, () => {
    for (const byIndex of [false, true]) {
      vectorStoreContract(`pgvector on ${label}${byIndex ? ', searching by index' : ''}`, async () => {
        const { db, drop } = await freshDb(backend, 'vectors');
        await migrateSubgraph(db, SUBGRAPH);
        return { store: await PgVectorStore.open(byIndex ? searchingByIndex(db) : db, 'test-model'), dispose: drop };
      });
    }

    describe(`a pgvector store and its copies in transactions on ${label}`, () => {
      let db: Db;
      let drop: () => Promise<void>;
      const vector = Array.from({ length: 8 }, (_, index) => index + 1);
      const hnswIndexes = async (q: Queryable = db) =>
        (await q.query<{ name: string }>(`select indexname as name from pg_indexes where schemaname = current_schema() and indexdef ilike '%hnsw%'`)).map((row) => row.name);

      beforeEach(async () => {
        ({ db, drop } = await freshDb(backend, 'vectors_tx'));
        await migrateSubgraph(db, SUBGRAPH);
      });
      afterEach(() => drop());

      it('lets a copy inside a transaction work while a call on the database waits for it (one connection on PGlite)', async () => {
        const store = await PgVectorStore.open(db, 'test-model');
        const id = randomUUID();
        let outside: Promise<unknown> | undefined;
        const inside = db.transaction(async (tx) => {
          // Queued behind this transaction on PGlite: what the copy needs must not wait for it.
          outside = store.nearest('Talent', vector, 5);
          await store.within(tx).upsert([{ kind: 'Talent', id, vector }]);
        });
        const deadlock = new Promise((_, reject) => setTimeout(() => reject(new Error('the copy waited on the database: deadlock')), 3_000).unref());
        await Promise.race([inside, deadlock]);
        expect(await outside).toEqual([{ id, similarity: expect.closeTo(1, 5) }]);
      });

      it(`builds the search indexes ${backend === 'pglite' ? 'once, at the end of a refill' : 'as a refill writes, keeping them for readers'}`, async () => {
        const store = await PgVectorStore.open(db, 'test-model');
        const old = randomUUID();
        await store.upsert([{ kind: 'Talent', id: old, vector }]);
        const talent = randomUUID();
        let whileWriting: string[] = [];
        await db.transaction(async (tx) => {
          await store.within(tx).refill(async (loading) => {
            await loading.upsert([{ kind: 'Talent', id: talent, vector }, { kind: 'Job', id: randomUUID(), vector }]);
            whileWriting = (await hnswIndexes(tx)).sort();
          });
          expect((await hnswIndexes(tx)).sort()).toEqual(['embeddings_hnsw_job_8', 'embeddings_hnsw_talent_8']);
        });
        // On PGlite no other connection can read during the transaction, so the indexes go until its end.
        expect(whileWriting).toEqual(backend === 'pglite' ? [] : ['embeddings_hnsw_job_8', 'embeddings_hnsw_talent_8']);
        expect((await hnswIndexes()).sort()).toEqual(['embeddings_hnsw_job_8', 'embeddings_hnsw_talent_8']);
        expect(await store.nearest('Talent', vector, 5)).toEqual([{ id: talent, similarity: expect.closeTo(1, 5) }]);
      });

      it('keeps the vectors and their index when a refill rolls back', async () => {
        const store = await PgVectorStore.open(db, 'test-model');
        const kept = randomUUID();
        await store.upsert([{ kind: 'Talent', id: kept, vector }]);
        await expect(
          db.transaction(async (tx) => {
            await store.within(tx).refill(async (loading) => {
              await loading.upsert([{ kind: 'Talent', id: randomUUID(), vector }]);
              throw new Error('rolled back');
            });
          }),
        ).rejects.toThrow('rolled back');
        expect(await hnswIndexes()).toEqual(['embeddings_hnsw_talent_8']);
        expect(await store.nearest('Talent', vector, 5)).toEqual([{ id: kept, similarity: expect.closeTo(1, 5) }]);
        await store.upsert([{ kind: 'Job', id: randomUUID(), vector }]);
        expect((await hnswIndexes()).sort()).toEqual(['embeddings_hnsw_job_8', 'embeddings_hnsw_talent_8']);
      });

      it('makes the index again after the transaction that made it rolled back', async () => {
        const store = await PgVectorStore.open(db, 'test-model');
        await expect(
          db.transaction(async (tx) => {
            await store.within(tx).upsert([{ kind: 'Talent', id: randomUUID(), vector }]);
            expect(await hnswIndexes(tx)).toHaveLength(1);
            throw new Error('rolled back');
          }),
        ).rejects.toThrow('rolled back');
        expect(await hnswIndexes()).toEqual([]);
        await store.upsert([{ kind: 'Talent', id: randomUUID(), vector }]);
        expect(await hnswIndexes()).toHaveLength(1);
        expect(await hnswIndexes()).toEqual(['embeddings_hnsw_talent_8']);
        await store.within(db).upsert([{ kind: 'Job', id: randomUUID(), vector }]);
        expect((await hnswIndexes()).sort()).toEqual(['embeddings_hnsw_job_8', 'embeddings_hnsw_talent_8']);
      });
    });
  });
}

contractSuite('vector store', await weaviateTarget(), () => {
  vectorStoreContract(`Weaviate at ${WEAVIATE_URL}`, async () => {
    const store = await WeaviateVectorStore.connect({ url: WEAVIATE_URL, model: 'test-model', prefix: `LoomaTest${Math.random().toString(36).slice(2, 8)}` });
    return {
      store,
      dispose: async () => {
        await store.drop();
        await store.close();
      },
    };
  });
});
