import type { Role } from '../../platform/auth/index.ts';
import type { Page } from '../../platform/pagination.ts';

export type { Role };
export type UserStatus = 'active' | 'inactive' | 'suspended' | 'pending';

/** A user as every caller may see it: the password hash is deliberately not part of it. */
export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: UserStatus;
  createdAt: Date;
  updatedAt: Date;
  lastLoginAt: Date | null;
}

export type UserFields = Pick<User, 'email' | 'name' | 'role' | 'status'>;

export interface NewUser extends UserFields {
  /** From password.ts hashPassword; the store never sees a plain password. */
  passwordHash: string;
}

export interface UserFilter {
  role?: Role[] | null;
  status?: UserStatus[] | null;
  search?: string | null;
  /** false: `search` matches names only (for callers who may not read emails). */
  searchEmail?: boolean;
}

export interface UserOrder {
  field: 'NAME' | 'EMAIL' | 'CREATED_AT';
  direction: 'ASC' | 'DESC';
}

/** Thrown by `create` and `update` when another user already has the email (in any case). */
export class EmailTakenError extends Error {
  constructor(readonly email: string) {
    super(`The email ${email} is already registered`);
    this.name = 'EmailTakenError';
  }
}

export interface UserStore {
  /** `id` is optional so the demo loader can keep its references stable. Emails are stored lower-case. */
  create(fields: NewUser, id?: string): Promise<User>;
  /**
   * Inserts many users at once into a store that has none of them (the demo loader), each with its
   * id; `createdAt` follows the list's order, as creating them one by one would.
   */
  importMany(users: readonly (NewUser & { id: string })[]): Promise<void>;
  update(id: string, fields: Partial<UserFields>): Promise<User | null>;
  delete(id: string): Promise<boolean>;
  getMany(ids: readonly string[]): Promise<User[]>;
  list(filter: UserFilter, order: UserOrder, page: Page): Promise<{ rows: User[]; totalCount: number }>;
  count(): Promise<number>;
  /** The user with this email (any case) and their password hash, for signing in. */
  findCredentials(email: string): Promise<{ user: User; passwordHash: string } | null>;
  getPasswordHash(id: string): Promise<string | null>;
  setPasswordHash(id: string, passwordHash: string): Promise<boolean>;
  /** Stamps `lastLoginAt` with the current time. */
  recordLogin(id: string): Promise<User | null>;
}
