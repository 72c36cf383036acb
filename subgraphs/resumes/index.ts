import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { config } from '../../platform/config.ts';
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
import type { MongoStores } from './store.mongo.ts';

export interface Stores {
  talents: TalentStore;
  resumes: ResumeStore;
  /** Set when talents and resumes live in MongoDB (MONGODB_URL), which then also holds their events. */
  mongo?: MongoStores;
}

/** The stores on the MongoDB at `url` (its path names the database; `looma` when it names none). */
export async function mongoStores(url: string): Promise<Stores> {
  // Loaded only for MongoDB: its driver would add to every start's module loading otherwise.
  const { MongoStores } = await import('./store.mongo.ts');
  const mongo = await MongoStores.open(url);
  return { talents: mongo.talents, resumes: mongo.resumes, mongo };
}

function createStores(db: Db): Stores | Promise<Stores> {
  return config.mongodbUrl ? mongoStores(config.mongodbUrl) : { talents: new PostgresTalentStore(db), resumes: new PostgresResumeStore(db) };
}

export const resumes: SubgraphDefinition<Stores> = {
  name: 'resumes',
  directory: dirname(fileURLToPath(import.meta.url)),
  createStores,
  outbox: (stores) => stores.mongo?.outbox ?? null,
  ready: async (stores) => (await stores.mongo?.ping()) ?? true,
  close: async (stores) => stores.mongo?.close(),
  resolvers: { Query, Mutation, Talent, Resume, ResumeVersion, Experience, ResumeSkill, User, DateTime },
  // Talents first: a rebuild then meets each resume's talent before the resume.
  snapshots: (stores) => [
    { aggregate: 'Talent', eventPrefix: 'talent', page: (afterId, limit) => stores.talents.snapshotPage(afterId, limit) },
    { aggregate: 'Resume', eventPrefix: 'resume', page: (afterId, limit) => stores.resumes.snapshotPage(afterId, limit) },
  ],
};
