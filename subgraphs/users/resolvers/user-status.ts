import type { UserStatus as StoredUserStatus } from '../store.ts';

/** GraphQL's upper-case enum values map to the lower-case statuses stored in rows. */
export const UserStatus: Record<string, StoredUserStatus> = {
  ACTIVE: 'active',
  INACTIVE: 'inactive',
  SUSPENDED: 'suspended',
  PENDING: 'pending',
};
