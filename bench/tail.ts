/**
 * Where a round's slow responses come from: Looma (with the peers beside it in this process, as
 * `npm run bench` runs them) under one operation at 50 connections, a 5 s warm-up, then measured
 * rounds of 10 s. Per round it prints p50 and p99 over every response and over those after the
 * round's first tenth (when the 50 new connections have all sent their first request at once),
 * and what held the server's event loop: turns longer than 100 ms, and garbage collections
 * longer than 30 ms, each with its time in the round; then the collections' pauses in all, and
 * the process's CPU time per response. `--target` loads a peer instead (the
 * monolith, or Hive Gateway), which runs in the same process. `--profile` records a CPU profile
 * of the rounds and prints where the time went during the long turns beside where it went in all.
 *   npx tsx bench/tail.ts [operation, default flagship] [--rounds 4] [--no-peers] [--target monolith] [--profile]
 */
import './harness/environment.ts';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { ROOT } from '../platform/registry.ts';
import { readFixture, signIn } from './harness/fixture.ts';
import { runRound } from './harness/load.ts';
import { startLooma } from './harness/looma.ts';
import { FLAGSHIP } from './harness/operations.ts';
import { startPeers } from './harness/peers.ts';
import { heapFlagsNote } from './harness/heap-flags.ts';
import { pinCores } from './harness/pinning.ts';
import { profileTables, samplesWithin, summariseProfile, type CpuProfile } from './profile/summary.ts';

const HOST = '127.0.0.1';
const TICK_MS = 50;
const args = process.argv.slice(2);
const optionValue = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const targetName = optionValue('--target');
const operation = args.find((arg, index) => !arg.startsWith('--') && !/^\d+$/.test(arg) && args[index - 1] !== '--target') ?? FLAGSHIP;
const rounds = Number(optionValue('--rounds')) || 4;

const pinning = pinCores();
const looma = await startLooma(HOST);
const peers = args.includes('--no-peers') && !targetName ? [] : await startPeers(looma, HOST, true);
const target = targetName ? peers.find((peer) => peer.name.toLowerCase() === targetName.toLowerCase()) : looma.target;
if (!target) throw new Error(`No target ${targetName}: ${peers.map((peer) => peer.name).join(', ')}`);
const token = await signIn(looma.target.url);
const spec = { url: target.url, tokens: [token], operation, fixture: await readFixture(looma.target.url, token), connections: 50, seconds: 5 };
await runRound(spec, pinning);

// What held the loop, stamped with the time since the round began.
let roundStarted = performance.now();
const held: string[] = [];
const at = () => `${((performance.now() - roundStarted) / 1000).toFixed(1)} s`;
// Every collection's pause, young (scavenge) and full (mark-compact) apart.
const collected = { young: { count: 0, ms: 0 }, full: { count: 0, ms: 0 } };
const isYoung = (entry: PerformanceEntry) => (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = collected[isYoung(entry) ? 'young' : 'full'];
    kind.count++;
    kind.ms += entry.duration;
    if (entry.duration > 30) held.push(`GC ${Math.round(entry.duration)} ms at ${at()}`);
  }
}).observe({ entryTypes: ['gc'] });
const gcLine = () => {
  const { young, full } = collected;
  return `${young.count} young collections (${young.ms.toFixed(0)} ms), ${full.count} full and incremental (${full.ms.toFixed(0)} ms)`;
};
// The long turns' spans in microseconds on the CPU profile's clock (process.hrtime's).
const longTurns: [number, number][] = [];
const nowUs = () => Number(process.hrtime.bigint() / 1000n);
let lastTick = performance.now();
let lastTickUs = nowUs();
setInterval(() => {
  const late = performance.now() - lastTick - TICK_MS;
  if (late > 100) {
    held.push(`turn ${Math.round(late)} ms at ${at()}`);
    longTurns.push([lastTickUs + TICK_MS * 1000, nowUs()]);
  }
  lastTick = performance.now();
  lastTickUs = nowUs();
}, TICK_MS).unref();

const quantiles = (latencies: readonly number[]) => {
  const sorted = [...latencies].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.floor(p * (sorted.length - 1))]!;
  return `p50 ${q(0.5).toFixed(0)} ms, p99 ${q(0.99).toFixed(0)} ms, p99/p50 ${(q(0.99) / q(0.5)).toFixed(2)}`;
};

console.log(`${operation} on ${target.name}, 50 connections, ${pinning.description}; ${peers.length ? 'Looma and the peers in the process' : 'Looma alone'}; Node ${process.version}${heapFlagsNote()}`);
const session = args.includes('--profile') ? new Session() : undefined;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
for (let round = 1; round <= rounds; round++) {
  held.length = 0;
  collected.young = { count: 0, ms: 0 };
  collected.full = { count: 0, ms: 0 };
  roundStarted = performance.now();
  const cpuBefore = process.cpuUsage();
  const { latencies, responses, socketErrors } = await runRound({ ...spec, seconds: 10 }, pinning);
  // CPU time, unlike requests per second, leaves out what another tenant of the machine took.
  const cpu = process.cpuUsage(cpuBefore);
  // Latencies come in the order responses arrived: the first tenth is about the first second.
  console.log(`round ${round}: ${responses} responses, ${socketErrors} without one; all: ${quantiles(latencies)}; after the first tenth: ${quantiles(latencies.slice(Math.round(latencies.length / 10)))}`);
  console.log(`  held the loop: ${held.join('; ') || 'nothing'}`);
  console.log(`  paused for garbage: ${gcLine()}; CPU ${((cpu.user + cpu.system) / 1000 / Math.max(responses, 1)).toFixed(2)} ms per response`);
}
if (session) {
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
  session.disconnect();
  const file = join(tmpdir(), `looma-tail-${operation.replace(/\W+/g, '-')}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  const turnsMs = longTurns.reduce((sum, [from, to]) => sum + (to - from) / 1000, 0);
  console.log(`\nDuring the ${longTurns.length} turns over 100 ms (${(turnsMs / 1000).toFixed(1)} s in all):\n`);
  console.log(profileTables(summariseProfile(samplesWithin(profile, longTurns), ROOT, 15)));
  console.log('\nIn all the rounds:\n');
  console.log(profileTables(summariseProfile(profile, ROOT, 15)));
  console.log(`\nThe raw profile: ${file}`);
}
for (const peer of peers) await peer.stop();
await looma.target.stop();
