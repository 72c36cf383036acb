import type { Role as StoredRole } from '../store.ts';

/** GraphQL's upper-case enum values map to the lower-case roles tokens and rows carry. */
export const Role: Record<string, StoredRole> = {
  SUPER_ADMIN: 'super_admin',
  ADMIN: 'admin',
  DATA_ADMIN: 'data_admin',
  USER: 'user',
  GUEST: 'guest',
};
