import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db/db.ts';
import type { Page } from '../../platform/pagination.ts';
import { SqlFilter, containing } from '../../platform/sql.ts';
import { EmailTakenError, type NewUser, type User, type UserFields, type UserFilter, type UserOrder, type UserStore } from './store.ts';

interface Row {
  id: string;
  email: string;
  name: string;
  role: User['role'];
  status: User['status'];
  created_at: Date;
  updated_at: Date;
  last_login_at: Date | null;
}

/** Every column but password_hash, which only the credential methods read. */
const COLUMNS = 'id, email, name, role, status, created_at, updated_at, last_login_at';

const toUser = (row: Row): User => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  status: row.status,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  lastLoginAt: row.last_login_at,
});

/** Rows per bulk insert: large enough to be fast, small enough to keep one parameter modest. */
const IMPORT_CHUNK = 1000;

const ORDER_COLUMNS = { NAME: 'lower(name)', EMAIL: 'email', CREATED_AT: 'created_at' } as const;

/** PGlite and pg both report unique violations with the SQLSTATE and the index name. */
function isEmailTaken(error: unknown): boolean {
  const { code, constraint } = (error ?? {}) as { code?: string; constraint?: string };
  return code === '23505' && constraint === 'users_email_key';
}

/** UserStore on PostgreSQL: PGlite by default, a real server when DATABASE_URL is set. */
export class PostgresUserStore implements UserStore {
  constructor(private readonly db: Db) {}

  async create(fields: NewUser, id: string = randomUUID()): Promise<User> {
    const email = fields.email.toLowerCase();
    try {
      const [row] = await this.db.query<Row>(
        `insert into users (id, email, name, role, status, password_hash)
         values ($1, $2, $3, $4, $5, $6) returning ${COLUMNS}`,
        [id, email, fields.name, fields.role, fields.status, fields.passwordHash],
      );
      return toUser(row!);
    } catch (error) {
      if (isEmailTaken(error)) throw new EmailTakenError(email);
      throw error;
    }
  }

  async importMany(users: readonly (NewUser & { id: string })[]): Promise<void> {
    const rows = users.map(({ id, email, name, role, status, passwordHash }, n) => ({ id, email: email.toLowerCase(), name, role, status, passwordHash, n }));
    await this.db.transaction(async (tx) => {
      for (let start = 0; start < rows.length; start += IMPORT_CHUNK) {
        // One microsecond apart from the first, in list order: CREATED_AT orders them as listed.
        await tx.query(
          `insert into users (id, email, name, role, status, password_hash, created_at, updated_at)
           select u.id, u.email, u.name, u.role, u.status, u."passwordHash",
                  now() + u.n * interval '1 microsecond', now() + u.n * interval '1 microsecond'
           from jsonb_to_recordset($1::jsonb) as u(id uuid, email text, name text, role text, status text, "passwordHash" text, n int)`,
          [JSON.stringify(rows.slice(start, start + IMPORT_CHUNK))],
        );
      }
    });
  }

  async update(id: string, fields: Partial<UserFields>): Promise<User | null> {
    const email = fields.email?.toLowerCase() ?? null;
    try {
      const [row] = await this.db.query<Row>(
        `update users set
           email = coalesce($2, email),
           name = coalesce($3, name),
           role = coalesce($4, role),
           status = coalesce($5, status),
           updated_at = now()
         where id = $1 returning ${COLUMNS}`,
        [id, email, fields.name ?? null, fields.role ?? null, fields.status ?? null],
      );
      return row ? toUser(row) : null;
    } catch (error) {
      if (email && isEmailTaken(error)) throw new EmailTakenError(email);
      throw error;
    }
  }

  async delete(id: string): Promise<boolean> {
    return (await this.db.query('delete from users where id = $1 returning id', [id])).length > 0;
  }

  async getMany(ids: readonly string[]): Promise<User[]> {
    const rows = await this.db.query<Row>(`select ${COLUMNS} from users where id = any($1::uuid[])`, [ids]);
    return rows.map(toUser);
  }

  async list(filter: UserFilter, order: UserOrder, page: Page) {
    const where = new SqlFilter();
    if (filter.role?.length) where.add('role = any($?::text[])', filter.role);
    if (filter.status?.length) where.add('status = any($?::text[])', filter.status);
    const search = filter.search?.trim();
    if (search && filter.searchEmail === false) where.add('name ilike $?', containing(search));
    else if (search) where.add('(name ilike $? or email ilike $?)', containing(search), containing(search));
    const direction = order.direction === 'DESC' ? 'desc' : 'asc';
    // The total in a subquery run once: `count(*) over ()` would read and sort every matching row for a page (issue 11, growth).
    const rows = await this.db.query<Row & { total: number }>(
      `select ${COLUMNS}, (select count(*)::int from users ${where.sql()}) as total from users ${where.sql()}
       order by ${ORDER_COLUMNS[order.field]} ${direction}, id
       limit ${page.limit} offset ${page.offset}`,
      where.params,
    );
    // No row can mean an empty result or an empty page (`first: 0`, or past the end): only the first is 0 for sure.
    const totalCount = rows[0]?.total ?? (page.offset > 0 || page.limit === 0 ? await this.countWhere(where) : 0);
    return { rows: rows.map(toUser), totalCount };
  }

  private async countWhere(where: SqlFilter): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(`select count(*)::int as n from users ${where.sql()}`, where.params);
    return row!.n;
  }

  async count(): Promise<number> {
    const [row] = await this.db.query<{ n: number }>('select count(*)::int as n from users');
    return row!.n;
  }

  async findCredentials(email: string): Promise<{ user: User; passwordHash: string } | null> {
    const [row] = await this.db.query<Row & { password_hash: string }>(
      `select ${COLUMNS}, password_hash from users where lower(email) = lower($1)`,
      [email],
    );
    return row ? { user: toUser(row), passwordHash: row.password_hash } : null;
  }

  async getPasswordHash(id: string): Promise<string | null> {
    const [row] = await this.db.query<{ password_hash: string }>('select password_hash from users where id = $1', [id]);
    return row?.password_hash ?? null;
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<boolean> {
    const rows = await this.db.query('update users set password_hash = $2, updated_at = now() where id = $1 returning id', [id, passwordHash]);
    return rows.length > 0;
  }

  async recordLogin(id: string): Promise<User | null> {
    const [row] = await this.db.query<Row>(`update users set last_login_at = now() where id = $1 returning ${COLUMNS}`, [id]);
    return row ? toUser(row) : null;
  }
}
