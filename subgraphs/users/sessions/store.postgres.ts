import type { Db } from '../../../platform/db/db.ts';
import type { Session, SessionStore, SigningKey, SigningKeyStore } from './store.ts';

interface SessionRow {
  id: string;
  user_id: string;
  refresh_hash: string;
  previous_hash: string | null;
  expires_at: Date;
  revoked_at: Date | null;
}

const toSession = (row: SessionRow): Session => ({
  id: row.id,
  userId: row.user_id,
  refreshHash: row.refresh_hash,
  previousHash: row.previous_hash,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
});

export class PostgresSessionStore implements SessionStore {
  constructor(private readonly db: Db) {}

  async create(session: { id: string; userId: string; refreshHash: string; expiresAt: Date }): Promise<void> {
    await this.db.query('insert into sessions (id, user_id, refresh_hash, expires_at) values ($1, $2, $3, $4)', [
      session.id,
      session.userId,
      session.refreshHash,
      session.expiresAt,
    ]);
  }

  async rotate(id: string, currentHash: string, nextHash: string, expiresAt: Date): Promise<boolean> {
    const rows = await this.db.query(
      `update sessions set previous_hash = refresh_hash, refresh_hash = $3, expires_at = $4, last_used_at = now()
       where id = $1 and refresh_hash = $2 and revoked_at is null returning id`,
      [id, currentHash, nextHash, expiresAt],
    );
    return rows.length > 0;
  }

  async get(id: string): Promise<Session | null> {
    const [row] = await this.db.query<SessionRow>('select * from sessions where id = $1', [id]);
    return row ? toSession(row) : null;
  }

  async revoke(ids: readonly string[], reason: string): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      'update sessions set revoked_at = now(), revoked_reason = $2 where id = any($1::uuid[]) and revoked_at is null returning id',
      [ids, reason],
    );
    return rows.map((row) => row.id);
  }

  async revokeAllOf(userId: string, reason: string, except?: string): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `update sessions set revoked_at = now(), revoked_reason = $2
       where user_id = $1 and revoked_at is null and ($3::uuid is null or id <> $3::uuid) returning id`,
      [userId, reason, except ?? null],
    );
    return rows.map((row) => row.id);
  }

  async isLive(id: string): Promise<boolean> {
    const rows = await this.db.query(
      `select 1 from sessions s join users u on u.id = s.user_id
       where s.id = $1 and s.revoked_at is null and s.expires_at > now() and u.status = 'active'`,
      [id],
    );
    return rows.length > 0;
  }
}

interface KeyRow {
  kid: string;
  private_jwk: Record<string, unknown>;
  public_jwk: Record<string, unknown>;
  created_at: Date;
}

export class PostgresSigningKeyStore implements SigningKeyStore {
  constructor(private readonly db: Db) {}

  async list(): Promise<SigningKey[]> {
    const rows = await this.db.query<KeyRow>('select * from signing_keys order by created_at desc, kid');
    return rows.map((row) => ({ kid: row.kid, privateJwk: row.private_jwk, publicJwk: row.public_jwk, createdAt: row.created_at }));
  }

  async add(key: Omit<SigningKey, 'createdAt'>): Promise<void> {
    await this.db.query('insert into signing_keys (kid, private_jwk, public_jwk) values ($1, $2::jsonb, $3::jsonb)', [
      key.kid,
      JSON.stringify(key.privateJwk),
      JSON.stringify(key.publicJwk),
    ]);
  }

  async delete(kids: readonly string[]): Promise<void> {
    if (kids.length) await this.db.query('delete from signing_keys where kid = any($1::text[])', [kids]);
  }
}
