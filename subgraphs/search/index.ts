import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/db.ts';
import type { SubgraphDefinition } from '../../platform/subgraph.ts';
import { searchConsumer } from './projector.ts';
import { resolvers } from './resolvers/index.ts';
import type { SearchIndex } from './store.ts';
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
    if (index instanceof PostgresSearchIndex) return;
    const { ElasticsearchSearchIndex } = await import('./store.elasticsearch.ts');
    if (index instanceof ElasticsearchSearchIndex) await index.close();
  },
};

async function createStores(db: Db): Promise<Stores> {
  const { url, alias } = config.elasticsearch;
  if (!url) return { index: new PostgresSearchIndex(db), db, taxonomy: new Taxonomy(db) };
  // Loaded only for Elasticsearch: its client would add to every start's module loading otherwise.
  const { ElasticsearchSearchIndex } = await import('./store.elasticsearch.ts');
  const index = await ElasticsearchSearchIndex.create(url, alias);
  // A new or wiped cluster: whatever the schema says was built is not there, so build it again.
  if (index.startedEmpty) await db.query('delete from rebuilds where consumer = $1', [searchConsumer.name]);
  return { index, db, taxonomy: new Taxonomy(db) };
}
