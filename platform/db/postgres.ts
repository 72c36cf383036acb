import pg from 'pg';
import { assertSchemaName, type Db, type Queryable, type Transactional } from './db.ts';

/** A real PostgreSQL server through `pg`, every connection pinned to the subgraph's schema. */
export async function openPostgres(connectionString: string, schema: string): Promise<Db> {
  assertSchemaName(schema);
  const bootstrap = new pg.Client({ connectionString });
  await bootstrap.connect();
  try {
    await bootstrap.query(`create schema if not exists "${schema}"`);
  } finally {
    await bootstrap.end();
  }
  const pool = new pg.Pool({
    connectionString,
    options: `-c search_path="${schema}"`,
    max: Number(process.env.PG_POOL_SIZE ?? 10),
  });
  return new PostgresDb(pool, schema);
}

class PostgresDb implements Db {
  readonly backend = 'postgres' as const;
  readonly stats = { queries: 0, background: 0 };
  readonly background: Transactional = {
    query: async <Row>(sql: string, params: unknown[] = []) => {
      this.stats.background++;
      return (await this.pool.query(sql, params)).rows as Row[];
    },
    exec: async (sql: string) => {
      this.stats.background++;
      await this.pool.query(sql);
    },
    transaction: (work) => this.transactionCounted(work, 'background'),
  };

  constructor(
    private readonly pool: pg.Pool,
    readonly schema: string,
  ) {}

  async query<Row>(sql: string, params: unknown[] = []): Promise<Row[]> {
    this.stats.queries++;
    return (await this.pool.query(sql, params)).rows as Row[];
  }

  async exec(sql: string): Promise<void> {
    this.stats.queries++;
    await this.pool.query(sql);
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.transactionCounted(work, 'queries');
  }

  private async transactionCounted<T>(work: (tx: Queryable) => Promise<T>, counter: keyof PostgresDb['stats']): Promise<T> {
    const client = await this.pool.connect();
    const tx: Queryable = {
      query: async <Row>(sql: string, params: unknown[] = []) => {
        this.stats[counter]++;
        return (await client.query(sql, params)).rows as Row[];
      },
      exec: async (sql: string) => {
        this.stats[counter]++;
        await client.query(sql);
      },
    };
    try {
      await client.query('begin');
      const result = await work(tx);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('select pg_advisory_lock(hashtext($1))', [key]);
    } catch (error) {
      client.release(true);
      throw error;
    }
    try {
      return await work();
    } finally {
      // A connection that cannot unlock is closed instead, which releases the lock too.
      await client.query('select pg_advisory_unlock(hashtext($1))', [key]).then(
        () => client.release(),
        (error: Error) => client.release(error),
      );
    }
  }

  async ping(): Promise<boolean> {
    await this.pool.query('select 1');
    return true;
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
