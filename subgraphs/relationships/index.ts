import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/db.ts';
import type { SubgraphDefinition } from '../../platform/subgraph.ts';
import { graphConsumer } from './projector.ts';
import { resolvers } from './resolvers/index.ts';
import type { GraphStore } from './store.ts';
import { PostgresGraphStore } from './store.postgres.ts';

export interface Stores {
  /** Neo4j when NEO4J_URL is set, else this subgraph's PostgreSQL schema. */
  graph: GraphStore;
  /** What the graph is drawn from (resume sources, KNOWS links, endorsements) and the inbox: always PostgreSQL. */
  db: Db;
}

async function createStores(db: Db): Promise<Stores> {
  const { url, user, password } = config.neo4j;
  if (!url) return { graph: new PostgresGraphStore(db), db };
  // Loaded only for Neo4j: the driver would add to every start's module loading otherwise.
  const [{ default: neo4j }, { Neo4jGraphStore }] = await Promise.all([import('neo4j-driver'), import('./store.neo4j.ts')]);
  const auth = password ? neo4j.auth.basic(user, password) : undefined;
  return { graph: await Neo4jGraphStore.create(url, { auth }), db };
}

export const relationships: SubgraphDefinition<Stores> = {
  name: 'relationships',
  directory: dirname(fileURLToPath(import.meta.url)),
  createStores,
  resolvers,
  consumer: graphConsumer,
  close: async ({ graph }) => {
    if (graph instanceof PostgresGraphStore) return;
    const { Neo4jGraphStore } = await import('./store.neo4j.ts');
    if (graph instanceof Neo4jGraphStore) await graph.close();
  },
};
