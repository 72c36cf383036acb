import type { Permission, Role } from '../../../platform/auth/index.ts';

export interface ApiKey {
  id: string;
  ownerId: string;
  name: string;
  /** Exactly one of `role` and `permissions` is set. */
  role: Role | null;
  permissions: Permission[] | null;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface ApiKeyStore {
  create(key: Omit<ApiKey, 'createdAt' | 'lastUsedAt' | 'revokedAt'> & { secretHash: string }): Promise<ApiKey>;
  get(id: string): Promise<(ApiKey & { secretHash: string }) | null>;
  listOf(ownerId: string): Promise<ApiKey[]>;
  revoke(id: string): Promise<ApiKey | null>;
  /** Records a use, at most once a minute per key (a write per request would be wasteful). */
  touch(id: string): Promise<void>;
}
