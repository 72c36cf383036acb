import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../platform/db/db.ts';
import { DateTime } from '../../platform/scalars.ts';
import type { SubgraphDefinition } from '../../platform/subgraph.ts';
import { Mutation } from './resolvers/mutation.ts';
import { Query } from './resolvers/query.ts';
import { Role } from './resolvers/role.ts';
import { UserStatus } from './resolvers/user-status.ts';
import { User } from './resolvers/user.ts';
import type { UserStore } from './store.ts';
import { PostgresUserStore } from './store.postgres.ts';

export interface Stores {
  users: UserStore;
}

export const users: SubgraphDefinition<Stores> = {
  name: 'users',
  directory: dirname(fileURLToPath(import.meta.url)),
  createStores: (db: Db) => ({ users: new PostgresUserStore(db) }),
  resolvers: { Query, Mutation, User, Role, UserStatus, DateTime },
};
