/**
 * Where an operation's SQL goes: statements per response for requests and in the background
 * (outbox relays, event consumers), per subgraph, with their mean time (the wait for the embedded
 * connection included), read from each subgraph's /metrics around one loaded round.
 *   npx tsx bench/db-lanes.ts [operation=mutations] [seconds=15]
 */
import './harness/environment.ts';
import { readFixture, signIn } from './harness/fixture.ts';
import { runRound } from './harness/load.ts';
import { startLooma } from './harness/looma.ts';
import { pinCores } from './harness/pinning.ts';
import { errorsIn } from './harness/round.ts';

interface Lanes {
  request: number;
  background: number;
  requestSeconds: number;
  backgroundSeconds: number;
}

const operation = process.argv[2] ?? 'mutations';
const seconds = Number(process.argv[3] ?? 15);
const pinning = pinCores();
const looma = await startLooma('127.0.0.1');
const admin = await signIn(looma.target.url);
const fixture = await readFixture(looma.target.url, admin);

async function lanes(): Promise<Map<string, Lanes>> {
  const bySubgraph = new Map<string, Lanes>();
  for (const [name, { service }] of looma.supergraph.subgraphs) {
    const text = await (await fetch(new URL('/metrics', service.url))).text();
    const value = (pattern: RegExp) => Number(text.match(pattern)?.[1] ?? 0);
    bySubgraph.set(name, {
      request: value(/^db_queries_total\{[^}]*\} (\S+)/m),
      background: value(/^db_background_queries_total\{[^}]*\} (\S+)/m),
      requestSeconds: value(/^db_query_duration_seconds_sum\{[^}]*work="request"[^}]*\} (\S+)/m),
      backgroundSeconds: value(/^db_query_duration_seconds_sum\{[^}]*work="background"[^}]*\} (\S+)/m),
    });
  }
  return bySubgraph;
}

const round = (length: number) => runRound({ url: looma.target.url, tokens: [admin], operation, fixture, connections: 50, seconds: length }, pinning);
await round(5);
const before = await lanes();
const result = await round(seconds);
const after = await lanes();
const latencies = [...result.latencies].sort((a, b) => a - b);
const percentile = (p: number) => latencies[Math.floor((latencies.length - 1) * p)] ?? 0;
console.log(`${operation}: ${result.responses} responses in ${result.seconds} s, p50 ${percentile(0.5).toFixed(0)} ms, p99 ${percentile(0.99).toFixed(0)} ms, ${errorsIn(result)} errors`);
console.log('| subgraph | request statements | mean ms | background statements | mean ms |\n|---|---|---|---|---|');
const total = { request: 0, background: 0 };
for (const [name, now] of after) {
  const was = before.get(name)!;
  const request = now.request - was.request;
  const background = now.background - was.background;
  total.request += request;
  total.background += background;
  const mean = (secondsSpent: number, count: number) => (count ? ((secondsSpent * 1000) / count).toFixed(2) : '–');
  console.log(`| ${name} | ${request} | ${mean(now.requestSeconds - was.requestSeconds, request)} | ${background} | ${mean(now.backgroundSeconds - was.backgroundSeconds, background)} |`);
}
const per = (count: number) => (count / Math.max(result.responses, 1)).toFixed(1);
console.log(`\nPer response: ${per(total.request)} request statements, ${per(total.background)} in the background.`);
await looma.target.stop();
process.exit(0);
