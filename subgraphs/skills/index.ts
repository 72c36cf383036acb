import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../platform/db/db.ts';
import { DateTime } from '../../platform/scalars.ts';
import type { SubgraphDefinition } from '../../platform/subgraph.ts';
import { Mutation } from './resolvers/mutation.ts';
import { Query } from './resolvers/query.ts';
import { Skill } from './resolvers/skill.ts';
import type { SkillStore } from './store.ts';
import { PostgresSkillStore } from './store.postgres.ts';

export interface Stores {
  skills: SkillStore;
}

export const skills: SubgraphDefinition<Stores> = {
  name: 'skills',
  directory: dirname(fileURLToPath(import.meta.url)),
  createStores: (db: Db) => ({ skills: new PostgresSkillStore(db) }),
  resolvers: { Query, Mutation, Skill, DateTime },
  cachedEntities: ['Skill'],
  snapshots: (stores) => [{ aggregate: 'Skill', eventPrefix: 'skill', page: (afterId, limit) => stores.skills.snapshotPage(afterId, limit) }],
};
