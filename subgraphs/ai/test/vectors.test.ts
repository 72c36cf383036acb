import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { migrateSubgraph } from '../../../platform/subgraph.ts';
import pg from 'pg';
import { POSTGRES_URL, backends, freshDb } from '../../../test/support/databases.ts';
import { WEAVIATE_URL, weaviateUnreachableReason } from '../../../test/support/weaviate.ts';
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

for (const { backend, label, reachable } of await backends()) {
  const missing = reachable && backend === 'postgres' ? await pgvectorMissing() : null;
  describe.skipIf(!reachable || missing !== null)(`vectors in pgvector on ${label}${missing ? ` — ${missing}, skipped` : ''}`, () => {
    vectorStoreContract(`pgvector on ${label}`, async () => {
      const { db, drop } = await freshDb(backend, 'vectors');
      await migrateSubgraph(db, SUBGRAPH);
      return { store: new PgVectorStore(db, 'test-model'), dispose: drop };
    });
  });
}

const unreachable = await weaviateUnreachableReason();
describe.skipIf(unreachable !== null)(`vectors in Weaviate at ${WEAVIATE_URL}${unreachable ? ` — UNREACHABLE (${unreachable}), skipped` : ''}`, () => {
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
