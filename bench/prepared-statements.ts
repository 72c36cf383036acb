/**
 * Lever 9 of issue 11, prepared statements, on the embedded database: records the SQL statements
 * one request of each of the harness's admin queries runs (Looma on its demo data, as
 * `npm run bench` starts it), then runs each recorded statement again on PGlite, as its `query`
 * sends it (Parse and Describe of the statement every time: parsed and planned on every run, as
 * the stores sent statements before lever 9) and prepared, as the stores send them now
 * (`platform/db/pglite-prepared.ts`: Parse and Describe once, then per run only Bind, Describe of
 * the portal, Execute and Sync), in alternating rounds. Prints per operation the statements' time
 * per request both ways (median of the rounds), and checks both ways answer the same rows.
 *   npx tsx bench/prepared-statements.ts [--rounds 5] [--repeat 200]
 */
import './harness/environment.ts';
import { parseArgs } from 'node:util';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { EmbeddedPostgres } from '../platform/db/pglite.ts';
import { PreparedStatements } from '../platform/db/pglite-prepared.ts';
import { readFixture, signIn } from './harness/fixture.ts';
import { startLooma } from './harness/looma.ts';
import { operations } from './harness/operations.ts';

const HOST = '127.0.0.1';
// The stores' own prepared statements, under names of their own on the same database.
const preparedOnce = new PreparedStatements('bench');
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, repeat: { type: 'string', default: '200' } } });
const rounds = Number(values.rounds);
const repeat = Number(values.repeat);

interface Statement {
  /** The embedded database it ran on, and in which subgraph's schema. */
  server: EmbeddedPostgres;
  schema: string;
  sql: string;
  params: unknown[];
}

// A request's statements outside transactions go through `statement`; those in one, through the
// transaction `exclusive` hands over.
let recording: Statement[] | undefined;
const statement = EmbeddedPostgres.prototype.statement;
EmbeddedPostgres.prototype.statement = function <Row>(this: EmbeddedPostgres, schema: string, sql: string, params: unknown[], lane: 'request' | 'background') {
  if (recording && lane === 'request') recording.push({ server: this, schema, sql, params });
  return statement.call(this, schema, sql, params, lane) as Promise<Row[]>;
};
const exclusive = EmbeddedPostgres.prototype.exclusive;
EmbeddedPostgres.prototype.exclusive = function <T>(this: EmbeddedPostgres, schema: string | undefined, work: (pg: PGlite) => Promise<T>, lane: 'request' | 'background' = 'request') {
  if (!recording || lane !== 'request' || schema === undefined) return exclusive.call(this, schema, work, lane) as Promise<T>;
  const into = recording;
  const inSchema = schema;
  // The connection, whose transactions' queries are recorded as they are sent.
  const recorder = (server: EmbeddedPostgres) => {
    const record = <Connection extends Pick<PGlite, 'query'>>(connection: Connection, inTransaction = false): Connection =>
      new Proxy(connection, {
        get(target, property) {
          if (property === 'query' && inTransaction)
            return (sql: string, params: unknown[] = []) => {
              into.push({ server, schema: inSchema, sql, params });
              return target.query(sql, params);
            };
          if (property === 'transaction') return <R>(run: (tx: Transaction) => Promise<R>) => (target as unknown as PGlite).transaction((tx) => run(record(tx, true)));
          const value = Reflect.get(target, property, target) as unknown;
          // PGlite's methods read its private fields: they run on the connection itself.
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      });
    return record;
  };
  const recordOn = recorder(this);
  return exclusive.call(this, schema, (pg) => work(recordOn(pg)), lane) as Promise<T>;
};

const looma = await startLooma(HOST);
try {
  const token = await signIn(looma.target.url);
  const fixture = await readFixture(looma.target.url, token);
  const queries = operations(fixture).filter((operation) => operation.kind === 'query' && operation.senders === 'admin');
  console.log(`Statements of one request, on PGlite: parsed and planned each time against prepared once; median of ${rounds} alternating rounds of ${repeat} runs each.\n`);
  console.log('| operation | statements | as sent | prepared | prepared ÷ as sent | same rows |');
  console.log('|---|---|---|---|---|---|');
  for (const operation of queries) {
    const step = operation.steps[0]!;
    recording = [];
    const response = await fetch(looma.target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: step.query, variables: step.variables({ variant: 0 }) }),
    });
    const answer = (await response.json()) as { errors?: unknown[] };
    const statements = recording;
    recording = undefined;
    if (answer.errors) throw new Error(`${operation.name} answered errors: ${JSON.stringify(answer.errors)}`);
    const timing = await compare(statements);
    console.log(
      `| ${operation.name} | ${statements.length} | ${timing.plain.toFixed(2)} ms | ${timing.prepared.toFixed(2)} ms | ${(timing.prepared / timing.plain).toFixed(2)}× | ${timing.same ? 'yes' : 'no'} |`,
    );
  }
} finally {
  await looma.target.stop();
}

/** The statements' time per request, as sent and prepared, each the median of the rounds. */
async function compare(statements: Statement[]) {
  const run = <T>(statement: Statement, work: (pg: PGlite) => Promise<T>) => statement.server.exclusive(statement.schema, work, 'request');
  const asSent = async (statement: Statement) => (await run(statement, (pg) => pg.query(statement.sql, statement.params))).rows;
  const prepared = (statement: Statement) => run(statement, (pg) => preparedOnce.query(pg, statement.schema, statement.sql, statement.params));
  let same = true;
  for (const statement of statements) same &&= JSON.stringify(await asSent(statement)) === JSON.stringify(await prepared(statement));
  const timeOf = async (send: (statement: Statement) => Promise<unknown>) => {
    const started = performance.now();
    for (let time = 0; time < repeat; time++) for (const statement of statements) await send(statement);
    return (performance.now() - started) / repeat;
  };
  const plainTimes: number[] = [];
  const preparedTimes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    plainTimes.push(await timeOf(asSent));
    preparedTimes.push(await timeOf(prepared));
  }
  const median = (times: number[]) => times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  return { plain: median(plainTimes), prepared: median(preparedTimes), same };
}
