import { parse, protocol, type PGlite } from '@electric-sql/pglite';

/** Statements kept prepared in one embedded database; past that, the least recently used is closed. */
export const MAX_PREPARED = 500;

/** "cached plan must not change result type": a table the statement reads changed its columns. */
const PLAN_CHANGED = '0A000';

/** PGlite's own value serializers and row parsers, by type id (array types included). */
interface Codecs {
  serializers: Record<number, ((value: unknown) => string) | undefined>;
  parsers: Parameters<typeof parse.parseResults>[1];
}

type Messages = Awaited<ReturnType<PGlite['execProtocol']>>['messages'];

interface Prepared {
  name: string;
  /** Each parameter's type id, as the server inferred it. */
  types: number[];
}

const UNSYNCED = { syncToFs: false };

/**
 * Named prepared statements on the embedded database, as a driver keeps them on a server
 * connection: a statement is parsed and described once, then each run sends only Bind, Describe
 * (portal), Execute and Sync, where PGlite's `query` parses and describes it every time (a fifth
 * to two fifths of a request's statement time: BENCHMARKS.md, lever 9). Kept per schema, since
 * the same text reads another subgraph's tables under another search path; the caller runs each
 * statement with the search path of its schema set.
 */
export class PreparedStatements {
  /** By schema and text, the most recently used last. */
  private readonly prepared = new Map<string, Prepared>();
  private named = 0;

  /** Statements are named `<prefix>_<n>`: another set on the same database (a benchmark's) takes another prefix. */
  constructor(private readonly prefix = 'looma') {}

  /** Runs one statement prepared (preparing it first if it is new): its rows, as `pg.query` gives them. */
  async query<Row>(pg: PGlite, schema: string, sql: string, params: unknown[]): Promise<Row[]> {
    const key = `${schema}\n${sql}`;
    let statement = this.prepared.get(key);
    if (statement) {
      this.prepared.delete(key);
      this.prepared.set(key, statement);
    } else {
      statement = await this.prepare(pg, key, sql);
    }
    try {
      return await execute<Row>(pg, statement, params);
    } catch (error) {
      if ((error as { code?: unknown }).code !== PLAN_CHANGED) throw error;
      await this.close(pg, key);
      return execute<Row>(pg, await this.prepare(pg, key, sql), params);
    }
  }

  private async prepare(pg: PGlite, key: string, sql: string): Promise<Prepared> {
    const oldest = this.prepared.keys().next();
    if (this.prepared.size >= MAX_PREPARED && !oldest.done) await this.close(pg, oldest.value);
    const name = `${this.prefix}_${this.named++}`;
    const types = parse.parseDescribeStatementResults(
      await exchange(pg, [protocol.serialize.parse({ name, text: sql }), protocol.serialize.describe({ type: 'S', name })]),
    );
    const statement = { name, types };
    this.prepared.set(key, statement);
    return statement;
  }

  private async close(pg: PGlite, key: string): Promise<void> {
    const statement = this.prepared.get(key);
    if (!statement) return;
    this.prepared.delete(key);
    await exchange(pg, [protocol.serialize.close({ type: 'S', name: statement.name })]);
  }
}

async function execute<Row>(pg: PGlite, { name, types }: Prepared, params: unknown[]): Promise<Row[]> {
  const { serializers, parsers } = pg as unknown as Codecs;
  const values = params.map((value, index) => (value == null ? null : (serializers[types[index]!]?.(value) ?? String(value))));
  const messages = await exchange(pg, [protocol.serialize.bind({ statement: name, values }), protocol.serialize.describe({ type: 'P' }), protocol.serialize.execute({})]);
  return parse.parseResults(messages, parsers)[0]!.rows as Row[];
}

/**
 * Sends the messages one by one, then Sync whatever happened: after an error the server skips
 * to the Sync, and a failed message throws PGlite's DatabaseError, as `query` does.
 */
async function exchange(pg: PGlite, messages: Uint8Array[]): Promise<Messages> {
  const received: Messages = [];
  try {
    for (const message of messages) received.push(...(await pg.execProtocol(message, UNSYNCED)).messages);
  } finally {
    received.push(...(await pg.execProtocol(protocol.serialize.sync())).messages);
  }
  return received;
}
