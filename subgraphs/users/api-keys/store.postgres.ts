import type { Db } from '../../../platform/db/db.ts';
import type { ApiKey, ApiKeyStore } from './store.ts';

interface Row {
  id: string;
  owner_id: string;
  name: string;
  secret_hash: string;
  role: ApiKey['role'];
  permissions: ApiKey['permissions'];
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const toKey = (row: Row): ApiKey => ({
  id: row.id,
  ownerId: row.owner_id,
  name: row.name,
  role: row.role,
  permissions: row.permissions,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

export class PostgresApiKeyStore implements ApiKeyStore {
  constructor(private readonly db: Db) {}

  async create(key: Omit<ApiKey, 'createdAt' | 'lastUsedAt' | 'revokedAt'> & { secretHash: string }): Promise<ApiKey> {
    const [row] = await this.db.query<Row>(
      `insert into api_keys (id, owner_id, name, secret_hash, role, permissions, expires_at)
       values ($1, $2, $3, $4, $5, $6::text[], $7) returning *`,
      [key.id, key.ownerId, key.name, key.secretHash, key.role, key.permissions, key.expiresAt],
    );
    return toKey(row!);
  }

  async get(id: string): Promise<(ApiKey & { secretHash: string }) | null> {
    const [row] = await this.db.query<Row>('select * from api_keys where id = $1', [id]);
    return row ? { ...toKey(row), secretHash: row.secret_hash } : null;
  }

  async listOf(ownerId: string): Promise<ApiKey[]> {
    const rows = await this.db.query<Row>('select * from api_keys where owner_id = $1 order by created_at, id', [ownerId]);
    return rows.map(toKey);
  }

  async revoke(id: string): Promise<ApiKey | null> {
    const [row] = await this.db.query<Row>('update api_keys set revoked_at = coalesce(revoked_at, now()) where id = $1 returning *', [id]);
    return row ? toKey(row) : null;
  }

  async touch(id: string): Promise<void> {
    await this.db.query(
      "update api_keys set last_used_at = now() where id = $1 and (last_used_at is null or last_used_at < now() - interval '1 minute')",
      [id],
    );
  }
}
