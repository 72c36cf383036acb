import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../platform/db/db.ts';
import { DateTime } from '../../platform/scalars.ts';
import type { SubgraphDefinition } from '../../platform/subgraph.ts';
import { Experience } from './resolvers/experience.ts';
import { Mutation } from './resolvers/mutation.ts';
import { Query } from './resolvers/query.ts';
import { Resume } from './resolvers/resume.ts';
import { ResumeSkill } from './resolvers/resume-skill.ts';
import { ResumeVersion } from './resolvers/resume-version.ts';
import { Talent } from './resolvers/talent.ts';
import { User } from './resolvers/user.ts';
import type { ResumeStore, TalentStore } from './store.ts';
import { PostgresResumeStore, PostgresTalentStore } from './store.postgres.ts';

export interface Stores {
  talents: TalentStore;
  resumes: ResumeStore;
}

export const resumes: SubgraphDefinition<Stores> = {
  name: 'resumes',
  directory: dirname(fileURLToPath(import.meta.url)),
  createStores: (db: Db) => ({ talents: new PostgresTalentStore(db), resumes: new PostgresResumeStore(db) }),
  resolvers: { Query, Mutation, Talent, Resume, ResumeVersion, Experience, ResumeSkill, User, DateTime },
  // Talents first: a rebuild then meets each resume's talent before the resume.
  snapshots: (stores) => [
    { aggregate: 'Talent', eventPrefix: 'talent', page: (afterId, limit) => stores.talents.snapshotPage(afterId, limit) },
    { aggregate: 'Resume', eventPrefix: 'resume', page: (afterId, limit) => stores.resumes.snapshotPage(afterId, limit) },
  ],
};
