import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../platform/db/db.ts';
import { DateTime } from '../../platform/scalars.ts';
import type { SubgraphDefinition } from '../../platform/subgraph.ts';
import { Application } from './resolvers/application.ts';
import { Company } from './resolvers/company.ts';
import { Job } from './resolvers/job.ts';
import { Mutation } from './resolvers/mutation.ts';
import { Query } from './resolvers/query.ts';
import { Talent } from './resolvers/talent.ts';
import type { ApplicationStore, JobStore } from './store.ts';
import { PostgresApplicationStore, PostgresJobStore } from './store.postgres.ts';

export interface Stores {
  jobs: JobStore;
  applications: ApplicationStore;
}

export const jobs: SubgraphDefinition<Stores> = {
  name: 'jobs',
  directory: dirname(fileURLToPath(import.meta.url)),
  createStores: (db: Db) => ({ jobs: new PostgresJobStore(db), applications: new PostgresApplicationStore(db) }),
  resolvers: { Query, Mutation, Job, Application, Company, Talent, DateTime },
  // Jobs first: a rebuild then meets each application's job before the application.
  snapshots: (stores) => [
    { aggregate: 'Job', eventPrefix: 'job', page: (afterId, limit) => stores.jobs.snapshotPage(afterId, limit) },
    { aggregate: 'Application', eventPrefix: 'application', page: (afterId, limit) => stores.applications.snapshotPage(afterId, limit) },
  ],
};
