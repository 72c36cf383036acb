import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../platform/db/db.ts';
import { DateTime } from '../../platform/scalars.ts';
import type { SubgraphDefinition } from '../../platform/subgraph.ts';
import { Company } from './resolvers/company.ts';
import { Mutation } from './resolvers/mutation.ts';
import { Project } from './resolvers/project.ts';
import { ProjectMember } from './resolvers/project-member.ts';
import { Query } from './resolvers/query.ts';
import { Talent } from './resolvers/talent.ts';
import type { ProjectStore } from './store.ts';
import { PostgresProjectStore } from './store.postgres.ts';

export interface Stores {
  projects: ProjectStore;
}

export const projects: SubgraphDefinition<Stores> = {
  name: 'projects',
  directory: dirname(fileURLToPath(import.meta.url)),
  createStores: (db: Db) => ({ projects: new PostgresProjectStore(db) }),
  resolvers: { Query, Mutation, Project, ProjectMember, Talent, Company, DateTime },
  snapshots: (stores) => [{ aggregate: 'Project', eventPrefix: 'project', page: (afterId, limit) => stores.projects.snapshotPage(afterId, limit) }],
};
