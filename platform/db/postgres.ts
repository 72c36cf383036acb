import pg from 'pg';
import { logger } from '../logger.ts';
import { assertSchemaName, DbStats, type Db, type Queryable, type Transactional, type Work } from './db.ts';

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
    // Names the subgraph's connections in pg_stat_activity.
    application_name: `looma:${schema}`,
  });
  // An idle connection the server closed (a restart, a failover, an administrator) is an event on
  // the pool; unhandled, it would end the process. The pool drops it and connects anew on demand.
  pool.on('error', (error) => logger.warn({ err: error, schema }, 'PostgreSQL closed an idle connection; the pool will open another'));
  return new PostgresDb(pool, schema);
}

class PostgresDb implements Db {
  readonly backend = 'postgres' as const;
  readonly stats = new DbStats();
  readonly background = this.statements('background');
  private readonly requests = this.statements('request');

  constructor(
    private readonly pool: pg.Pool,
    readonly schema: string,
  ) {}

  query<Row>(sql: string, params?: unknown[]): Promise<Row[]> {
    return this.requests.query<Row>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.requests.exec(sql);
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.requests.transaction(work);
  }

  /** Statements for `work` through the pool, each counted and timed, the wait for a connection included. */
  private statements(work: Work): Transactional {
    return { ...this.through(() => this.pool, work), transaction: (run) => this.inTransaction(run, work) };
  }

  /** Statements for `work` sent through `client` (the pool, or a transaction's connection), each counted and timed. */
  private through(client: () => pg.Pool | pg.PoolClient, work: Work): Queryable {
    return {
      query: <Row>(sql: string, params: unknown[] = []) => this.stats.time(work, async () => (await client().query(sql, params)).rows as Row[]),
      exec: (sql: string) => this.stats.time(work, async () => void (await client().query(sql))),
    };
  }

  private async inTransaction<T>(run: (tx: Queryable) => Promise<T>, work: Work): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      const result = await run(this.through(() => client, work));
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
