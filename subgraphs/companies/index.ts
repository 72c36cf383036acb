import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../platform/db/db.ts';
import { DateTime } from '../../platform/scalars.ts';
import type { SubgraphDefinition } from '../../platform/subgraph.ts';
import { Company } from './resolvers/company.ts';
import { Mutation } from './resolvers/mutation.ts';
import { Query } from './resolvers/query.ts';
import type { CompanyStore } from './store.ts';
import { PostgresCompanyStore } from './store.postgres.ts';

export interface Stores {
  companies: CompanyStore;
}

export const companies: SubgraphDefinition<Stores> = {
  name: 'companies',
  directory: dirname(fileURLToPath(import.meta.url)),
  createStores: (db: Db) => ({ companies: new PostgresCompanyStore(db) }),
  resolvers: { Query, Mutation, Company, DateTime },
  cachedEntities: ['Company'],
  snapshots: (stores) => [{ aggregate: 'Company', eventPrefix: 'company', page: (afterId, limit) => stores.companies.snapshotPage(afterId, limit) }],
};
