import { PGlite, type Transaction } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { numberFromEnv } from '../env-number.ts';
import { assertSchemaName, DbStats, type Db, type Queryable, type Transactional, type Work } from './db.ts';
import { PreparedStatements } from './pglite-prepared.ts';

/**
 * How long one turn of the event loop may run statements before the next waits for another
 * turn: background work (relays, consumers) briefly, requests' statements longer, so the
 * connection seldom idles while a request waits (see `exclusive`).
 */
const TURN_MS: Record<Work, number> = {
  background: 10,
  request: process.env.PGLITE_REQUEST_TURN_MS === 'Infinity' ? Infinity : numberFromEnv(process.env, 'PGLITE_REQUEST_TURN_MS', 50),
};

/** Knows how long the current turn of the event loop has lasted (a marker set with setImmediate fires once it ends). */
class LoopTurns {
  private started = 0;
  private marked = false;

  /** Resolves at once, or on the next turn when this one has already run statements for `turnMs`. */
  async fair(turnMs: number): Promise<void> {
    if (!this.marked) return this.mark();
    if (performance.now() - this.started < turnMs) return;
    await new Promise((resolve) => setImmediate(resolve));
    this.mark();
  }

  private mark(): void {
    this.marked = true;
    this.started = performance.now();
    setImmediate(() => (this.marked = false));
  }
}

/**
 * One embedded PostgreSQL (PGlite) shared by every subgraph in a process, each subgraph in its
 * own schema. An instance costs ~800 MB and seconds to open, so a process opens one.
 * PGlite has a single connection: we serialise access ourselves so that the search_path set
 * for one subgraph cannot leak into another's statement.
 */
export class EmbeddedPostgres {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly turns = new LoopTurns();
  private readonly prepared = new PreparedStatements();
  private currentSchema: string | undefined;

  private constructor(private readonly pg: PGlite) {}

  /**
   * `dataDir` persists to disk; without it the database lives in memory (tests). The contrib
   * extensions subgraphs use are loaded here (a migration still runs `create extension`).
   * @electric-sql/pglite-pgvector is built for one exact PGlite release: package.json pins the
   * pair together (a mismatched pair broke pg_trgm's first use in the same database).
   */
  static async open(dataDir?: string): Promise<EmbeddedPostgres> {
    const extensions = { pg_trgm, vector };
    return new EmbeddedPostgres(await PGlite.create(dataDir ? { dataDir, extensions } : { extensions }));
  }

  /** A Db for one schema, created if missing. */
  async scope(schema: string): Promise<Db> {
    assertSchemaName(schema);
    await this.pg.exec(`create schema if not exists "${schema}"`);
    return new ScopedDb(this, schema);
  }

  async dropSchema(schema: string): Promise<void> {
    await this.exclusive(undefined, () => this.pg.exec(`drop schema if exists "${assertSchemaName(schema)}" cascade`));
  }

  /**
   * Runs `work` alone on the connection with search_path set to `schema`. PGlite answers
   * in-process, as settled promises, so a queue of statements (a batch of events through every
   * consumer, a burst of requests) would run as one unbroken chain of microtasks, and no socket
   * would be read or written until it ended (hundreds of milliseconds under load). A networked
   * PostgreSQL yields at every round trip; here a statement waits for the next turn of the event
   * loop once the current turn has run statements for TURN_MS: 10 ms for background work (outbox
   * relay, event consumers), 50 ms for requests. Requests yielding at 10 ms left the connection
   * idle too often (at 10k talents the reads lost about half their throughput); never yielding
   * let a process whose requests never wait on a socket (the benchmark's monolith) hold the loop
   * for up to 0.9 s per turn, so its connections timed out (BENCHMARKS.md, "What the run says").
   * Yielding at every statement made start-up half as slow again.
   */
  exclusive<T>(schema: string | undefined, work: (pg: PGlite) => Promise<T>, lane: Work = 'request'): Promise<T> {
    const run = async () => {
      await this.turns.fair(TURN_MS[lane]);
      if (schema && this.currentSchema !== schema) {
        await this.pg.exec(`set search_path to "${schema}"`);
        this.currentSchema = schema;
      }
      return work(this.pg);
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** One statement in `schema`'s search path, prepared the first time and run by name after (./pglite-prepared.ts). */
  statement<Row>(schema: string, sql: string, params: unknown[], lane: Work): Promise<Row[]> {
    return this.exclusive(schema, (pg) => this.prepared.query<Row>(pg, schema, sql, params), lane);
  }

  async close(): Promise<void> {
    await this.queue;
    if (!this.pg.closed) await this.pg.close();
  }
}

class ScopedDb implements Db {
  readonly backend = 'pglite' as const;
  readonly stats = new DbStats();
  readonly background = this.statements('background');
  private readonly requests = this.statements('request');

  constructor(
    private readonly server: EmbeddedPostgres,
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

  /** Statements for `work`, each counted and timed, the wait for the one connection included. */
  private statements(work: Work): Transactional {
    return {
      query: <Row>(sql: string, params: unknown[] = []) => this.stats.time(work, () => this.server.statement<Row>(this.schema, sql, params, work)),
      exec: (sql: string) => this.stats.time(work, () => this.server.exclusive(this.schema, async (pg) => void (await pg.exec(sql)), work)),
      transaction: (run) => this.server.exclusive(this.schema, (pg) => pg.transaction((tx) => run(this.wrap(tx, work))), work),
    };
  }

  private wrap(tx: Transaction, work: Work): Queryable {
    return {
      query: <Row>(sql: string, params: unknown[] = []) => this.stats.time(work, async () => (await tx.query<Row>(sql, params)).rows),
      exec: (sql: string) => this.stats.time(work, async () => void (await tx.exec(sql))),
    };
  }

  /** One process owns a PGlite: there is no other process to exclude. */
  withLock<T>(_key: string, work: () => Promise<T>): Promise<T> {
    return work();
  }

  async ping(): Promise<boolean> {
    await this.server.exclusive(this.schema, (pg) => pg.query('select 1'));
    return true;
  }

  /** The shared instance outlives its scopes; its owner closes it. */
  async close(): Promise<void> {}
}
