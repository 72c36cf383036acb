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
  /** Statements run so far for requests, and for background work; exported as metrics. */
  readonly stats: { queries: number; background: number };
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
