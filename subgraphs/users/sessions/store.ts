/** Sign-in sessions and the keys that sign access tokens, owned by the users subgraph. */

export interface Session {
  id: string;
  userId: string;
  refreshHash: string;
  previousHash: string | null;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface SigningKey {
  kid: string;
  privateJwk: Record<string, unknown>;
  publicJwk: Record<string, unknown>;
  createdAt: Date;
}

export interface SessionStore {
  create(session: { id: string; userId: string; refreshHash: string; expiresAt: Date }): Promise<void>;
  /** Swaps the refresh secret if `currentHash` is still the current one; false if another refresh won. */
  rotate(id: string, currentHash: string, nextHash: string, expiresAt: Date): Promise<boolean>;
  get(id: string): Promise<Session | null>;
  /** Ends sessions; returns the ids that were live. */
  revoke(ids: readonly string[], reason: string): Promise<string[]>;
  revokeAllOf(userId: string, reason: string, except?: string): Promise<string[]>;
  /** Live: not revoked, not expired, and its user is active. */
  isLive(id: string): Promise<boolean>;
}

export interface SigningKeyStore {
  /** Newest first. */
  list(): Promise<SigningKey[]>;
  add(key: Omit<SigningKey, 'createdAt'>): Promise<void>;
  delete(kids: readonly string[]): Promise<void>;
}
