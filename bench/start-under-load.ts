/**
 * `npm start` as a user runs it (issue 11, section 4): the first run on an empty data directory
 * (create, migrate, load the demo dataset, build the derived stores), how long until "is up", the
 * all-in-one process's RSS once up, and its peak RSS while autocannon loads the flagship query at
 * 50 connections for a while. Prints markdown.
 *   npx tsx bench/start-under-load.ts [seconds=60] [connections=50]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD } from '../demo/dataset.ts';
import { FLAGSHIP } from '../test/e2e/flagship.ts';
import { graphql } from '../test/support/client.ts';
import { runScript } from '../test/support/processes.ts';
import { runLoad } from './restart/load.ts';

const seconds = Number(process.argv[2] ?? 60);
const connections = Number(process.argv[3] ?? 50);
const rssMb = (pid: number) => Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)]).toString().trim()) / 1024;

const dataDir = mkdtempSync(join(tmpdir(), 'looma-start-load-'));
try {
  const started = performance.now();
  const running = await runScript('scripts/start.ts', [], { DATA_DIR: dataDir, PORTS: 'ephemeral', LOG_LEVEL: 'warn', GATEWAY_RATE_LIMIT_PER_MINUTE: '0' }, /Gateway \+ Apollo Sandbox\s+(\S+)/, 120_000);
  const readySeconds = (performance.now() - started) / 1000;
  const pid = running.child.pid!;
  const url = new URL('/graphql', running.match[1]!).toString();
  const upRss = rssMb(pid);
  const login = await graphql<{ login: { token: string } }>(url, `mutation { login(email: "${DEMO_ADMIN_EMAIL}", password: "${DEMO_PASSWORD}") { token } }`);
  const token = login.data!.login.token;

  let peakRss = upRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(pid))), 250);
  const load = runLoad({
    url,
    body: JSON.stringify({ query: FLAGSHIP, variables: { first: 5 } }),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    seconds,
    rate: 1_000_000, // as fast as the connections go
    connections,
    clockStart: performance.now(),
  });
  const result = await load.done;
  clearInterval(sampler);
  running.child.kill('SIGINT');
  await running.exited;

  const failed = [...result.errors.values()].reduce((total, kind) => total + kind.count, 0);
  const latencies = result.responseTimes.map((response) => response.ms).sort((a, b) => a - b);
  const at = (share: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * share))] ?? 0;
  console.log(`npm start, first run on an empty data directory, then the flagship query {first: 5} at ${connections} connections for ${seconds} s (node ${process.version})\n`);
  console.log('| ready ("is up") | RSS when up | peak RSS under load | RPS | p50 | p99 | errors |\n|---|---|---|---|---|---|---|');
  console.log(
    `| ${readySeconds.toFixed(1)} s | ${upRss.toFixed(0)} MB | ${peakRss.toFixed(0)} MB | ${(result.responses / result.seconds).toFixed(0)} | ${at(0.5).toFixed(0)} ms | ${at(0.99).toFixed(0)} ms | ${failed} |`,
  );
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
