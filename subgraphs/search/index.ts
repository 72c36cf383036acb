import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/db.ts';
import type { SubgraphDefinition } from '../../platform/subgraph.ts';
import { searchConsumer } from './projector.ts';
import { resolvers } from './resolvers/index.ts';
import type { SearchIndex } from './store.ts';
import { ElasticsearchSearchIndex } from './store.elasticsearch.ts';
import { PostgresSearchIndex } from './store.postgres.ts';
import { Taxonomy } from './taxonomy.ts';

export interface Stores {
  /** Elasticsearch when ELASTICSEARCH_URL is set, else this subgraph's PostgreSQL schema (tsvector, pg_trgm). */
  index: SearchIndex;
  /** What the index is drawn from (the owners' payloads), the inbox, and the skill aliases. */
  db: Db;
  taxonomy: Taxonomy;
}

export const search: SubgraphDefinition<Stores> = {
  name: 'search',
  directory: dirname(fileURLToPath(import.meta.url)),
  createStores,
  resolvers,
  consumer: searchConsumer,
  close: async ({ index }) => {
    if (index instanceof ElasticsearchSearchIndex) await index.close();
  },
};

async function createStores(db: Db): Promise<Stores> {
  const { url, alias } = config.elasticsearch;
  const index = url ? await ElasticsearchSearchIndex.create(url, alias) : new PostgresSearchIndex(db);
  // A new or wiped cluster: whatever the schema says was built is not there, so build it again.
  if (index instanceof ElasticsearchSearchIndex && index.startedEmpty) await db.query('delete from rebuilds where consumer = $1', [searchConsumer.name]);
  return { index, db, taxonomy: new Taxonomy(db) };
}
