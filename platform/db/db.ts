/** What a store needs from PostgreSQL, whichever backend (PGlite or a real server) serves it. */
export interface Queryable {
  /** One statement with `$n` parameters. Pass JSON as `JSON.stringify(value)` with `$n::jsonb`. */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Transactional extends Queryable {
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
}

/** A database scoped to one subgraph's own schema: unqualified table names resolve there. */
export interface Db extends Transactional {
  readonly schema: string;
  readonly backend: 'pglite' | 'postgres';
  /** Statements run so far for requests, and for background work, and how long each took; exported as metrics. */
  readonly stats: DbStats;
  /** The same database for background work (outbox relay, event consumers), counted apart from requests. */
  readonly background: Transactional;
  /**
   * Runs `work` holding the advisory lock `key` alone, across every process on the database,
   * without keeping a transaction open (work may wait on other services meanwhile). On PGlite,
   * which one process owns, the caller's own ordering is all there is to add to.
   */
  withLock<T>(key: string, work: () => Promise<T>): Promise<T>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export function assertSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Invalid schema name: ${schema}`);
  return schema;
}

/** What a statement was run for: a request, or background work (outbox relay, event consumers). */
export type Work = 'request' | 'background';

/** The statements a Db runs, counted by work and timed; platform/metrics.ts exports both. */
export class DbStats {
  /** Statements run for requests so far. */
  queries = 0;
  /** Statements run in the background so far. */
  background = 0;
  private readonly observers = new Set<(work: Work, seconds: number) => void>();

  /** Calls `observer` with the duration of every statement from now on, until the returned function is called. */
  observe(observer: (work: Work, seconds: number) => void): () => void {
    this.observers.add(observer);
    return () => void this.observers.delete(observer);
  }

  /** Runs one statement for `work`: counted as it starts, timed until it settles (succeeded or failed). */
  async time<T>(work: Work, statement: () => Promise<T>): Promise<T> {
    if (work === 'request') this.queries++;
    else this.background++;
    const started = performance.now();
    try {
      return await statement();
    } finally {
      const seconds = (performance.now() - started) / 1000;
      for (const observer of this.observers) observer(work, seconds);
    }
  }
}
