import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../platform/db/db.ts';
import type { SubgraphDefinition } from '../../platform/subgraph.ts';
import { searchConsumer } from './projector.ts';
import { resolvers } from './resolvers/index.ts';
import type { SearchIndex } from './store.ts';
import { PostgresSearchIndex } from './store.postgres.ts';
import { Taxonomy } from './taxonomy.ts';

export interface Stores {
  /** The search index: this subgraph's PostgreSQL schema (tsvector, pg_trgm). */
  index: SearchIndex;
  /** What the index is drawn from (the owners' payloads), the inbox, and the skill aliases. */
  db: Db;
  taxonomy: Taxonomy;
}

export const search: SubgraphDefinition<Stores> = {
  name: 'search',
  directory: dirname(fileURLToPath(import.meta.url)),
  createStores: (db: Db) => ({ index: new PostgresSearchIndex(db), db, taxonomy: new Taxonomy(db) }),
  resolvers,
  consumer: searchConsumer,
};
