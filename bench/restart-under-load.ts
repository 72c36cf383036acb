/**
 * A fixed-rate load run through the gateway while one subgraph, run as replicas, is restarted one
 * replica at a time (SIGTERM, start again, wait for /health/ready and the gateway's rotation): the
 * supergraph as production runs it (a process per service, PostgreSQL, Redis) on loopback, loaded
 * by autocannon with the flagship query. Prints the figures as markdown; exits 1 if any request failed.
 *   npx tsx bench/restart-under-load.ts [seconds=60] [rate=50] [--subgraph=companies] [--replicas=2] [--connections=20] [--first=5]
 * Its own PostgreSQL database (BENCH_DATABASE, default looma_bench_restart, made and dropped through
 * BENCH_POSTGRES_URL) and an empty Redis database (BENCH_REDIS_DB, default 12, at BENCH_REDIS_URL), flushed at the end.
 */
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD } from '../demo/dataset.ts';
import { FLAGSHIP } from '../test/e2e/flagship.ts';
import { logger } from '../platform/logger.ts';
import { graphql } from '../test/support/client.ts';
import { runLoad } from './restart/load.ts';
import { markdownReport } from './restart/report.ts';
import { gatewayLinesFor, restartReplica, type RestartRecord } from './restart/rolling-restart.ts';
import { Stack } from './restart/stack.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    subgraph: { type: 'string', default: 'companies' },
    replicas: { type: 'string', default: '2' },
    connections: { type: 'string', default: '20' },
    first: { type: 'string', default: '5' },
  },
});
const run = {
  seconds: Number(positionals[0] ?? 60),
  rate: Number(positionals[1] ?? 50),
  subgraph: values.subgraph,
  replicas: Number(values.replicas),
  connections: Number(values.connections),
  first: Number(values.first),
};
for (const [name, value] of Object.entries(run)) {
  if (typeof value === 'number' && !(Number.isInteger(value) && value > 0)) throw new Error(`${name} must be a positive whole number, not ${value}`);
}
// This process only loads the demo dataset: its info lines would land amid the report on stdout.
logger.level = process.env.LOG_LEVEL ?? 'warn';
const say = (line: string) => console.error(`[restart-under-load] ${line}`);

const stack = new Stack(
  {
    replicated: run.subgraph,
    replicas: run.replicas,
    postgresAdminUrl: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    database: process.env.BENCH_DATABASE ?? 'looma_bench_restart',
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    redisDb: Number(process.env.BENCH_REDIS_DB ?? 12),
    logLevel: process.env.LOG_LEVEL ?? 'warn',
  },
  say,
);
let stopLoad: (() => void) | undefined;
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    say(`${signal}: stopping everything`);
    stopLoad?.();
    void stack.close({ keepLogs: false }).finally(() => process.exit(130));
  });
}

let failed = true;
try {
  const { gateway, replicas } = await stack.start();
  say(`supergraph up; logs in ${stack.logDir}`);

  const login = await graphql<{ login: { token: string } }>(gateway.graphqlUrl, `mutation { login(email: "${DEMO_ADMIN_EMAIL}", password: "${DEMO_PASSWORD}") { token } }`);
  if (!login.data) throw new Error(`login failed: ${JSON.stringify(login.errors)}`);
  const token = login.data.login.token;
  // Warm-up, proof that the query works before anything is restarted, and its latency one request at a time.
  const sequential: { ms: number }[] = [];
  for (let i = 0; i < 40; i++) {
    const started = performance.now();
    const answer = await graphql(gateway.graphqlUrl, FLAGSHIP, { first: run.first }, token);
    if (i >= 10) sequential.push({ ms: performance.now() - started });
    if (answer.errors) throw new Error(`the flagship query fails before any restart: ${JSON.stringify(answer.errors)}`);
  }

  // Replicas are restarted between a third and seven twelfths of the run (20 s and 35 s of 60), one after the other.
  const restartAt = replicas.map((_, i) => run.seconds * (1 / 3 + (replicas.length > 1 ? i / 4 / (replicas.length - 1) : 0)));
  say(`load: ${run.seconds} s at ${run.rate} req/s; restarting ${replicas.map((r, i) => `${r.label} at ${restartAt[i]!.toFixed(1)} s`).join(', ')}`);
  const clockStart = performance.now();
  const at = () => (performance.now() - clockStart) / 1000;
  const load = runLoad({
    url: gateway.graphqlUrl,
    body: JSON.stringify({ query: FLAGSHIP, variables: { first: run.first } }),
    headers: { authorization: `Bearer ${token}` },
    seconds: run.seconds,
    rate: run.rate,
    connections: run.connections,
    clockStart,
  });
  stopLoad = load.stop;
  const restarts: RestartRecord[] = [];
  const rolling = (async () => {
    for (const [i, replica] of replicas.entries()) {
      await sleep(Math.max(0, restartAt[i]! - at()) * 1000);
      if (interrupted) return;
      const record = await restartReplica(replica, gateway, run.subgraph, at);
      say(`${record.replica}: SIGTERM ${record.sigterm.toFixed(1)} s, ready again ${record.ready.toFixed(1)} s`);
      restarts.push(record);
    }
  })();
  // A restart that fails ends the load too, rather than leaving it running for nothing.
  rolling.catch(() => load.stop());
  const result = await load.done;
  await rolling;
  if (restarts.some((r) => r.ready > result.seconds)) say('a replica was ready again only after the load ended: lengthen the run');

  const report = markdownReport(run, result, restarts, await gatewayLinesFor(gateway, run.subgraph), sequential);
  console.log(report);
  failed = result.ok !== result.responses || result.errors.size > 0;
} catch (error) {
  if (!interrupted) say(`failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  // After an interrupt this is the same close the signal started: the exit waits for it.
  await stack.close({ keepLogs: failed && !interrupted });
  if (failed && !interrupted) say(`logs kept in ${stack.logDir}`);
}
process.exit(interrupted ? 130 : failed ? 1 : 0);
