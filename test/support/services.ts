import type { Db } from '../../platform/db/db.ts';
import { signToken, type Role } from '../../platform/auth.ts';
import type { RunningService } from '../../platform/http.ts';
import { startSupergraph, type RunningSupergraph } from '../../platform/runner.ts';
import { prepareStores, startSubgraph, type SubgraphDefinition } from '../../platform/subgraph.ts';
import { definitions } from '../../subgraphs/index.ts';
import { freshDb, type Backend } from './databases.ts';

/** One subgraph on a free port over a fresh schema, for the subgraph's own tests. */
export async function startTestSubgraph<Stores>(
  definition: SubgraphDefinition<Stores>,
  backend: Backend = 'pglite',
): Promise<{ service: RunningService; db: Db; stores: Stores; stop: () => Promise<void> }> {
  const { db, drop } = await freshDb(backend, definition.name);
  const stores = await prepareStores(definition, db);
  const service = await startSubgraph(definition, { db, stores, host: '127.0.0.1', port: 0 });
  return {
    service,
    db,
    stores,
    stop: async () => {
      await service.stop();
      await drop();
    },
  };
}

/** Every subgraph and the gateway, in-process on free ports, each subgraph on a fresh schema. */
export async function startTestSupergraph(
  beforeServe?: (stores: Map<string, unknown>) => Promise<void>,
): Promise<RunningSupergraph & { url: string }> {
  const drops: (() => Promise<void>)[] = [];
  const supergraph = await startSupergraph({
    definitions,
    ports: 'ephemeral',
    host: '127.0.0.1',
    databaseFor: async (name) => {
      const { db, drop } = await freshDb('pglite', name);
      drops.push(drop);
      return db;
    },
    beforeServe,
  });
  return {
    ...supergraph,
    url: supergraph.gateway.url,
    async stop() {
      await supergraph.stop();
      for (const drop of drops) await drop();
    },
  };
}

/** A signed token for a made-up user, for tests that need a caller with a role. */
export async function tokenFor(role: Role, userId = '00000000-0000-4000-8000-000000000001'): Promise<string> {
  return (await signToken({ userId, role })).token;
}
