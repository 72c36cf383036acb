/**
 * A CPU profile of the hot path (issue 11, lever 10): starts the stack as `npm run bench` does,
 * warms one target up with one operation, then records a V8 CPU profile of the whole process (the
 * gateway, the subgraphs and embedded PostgreSQL share it) while autocannon loads it, and prints
 * where the busy time went. The raw profile is kept for Chrome DevTools / speedscope.
 * `--allocations` records a sampling heap profile instead, every object the collectors took kept
 * in, and prints where the allocated bytes came from; `--survivors` keeps only the objects that
 * outlived a young collection (promoted to the old generation, whether they died there later or
 * not): the bytes that make full collections.
 *   npx tsx bench/profile.ts [--target Looma|'Hive Gateway'|monolith] [--operation 'flagship (many users)'] [--seconds 20] [--connections 50] [--allocations | --survivors]
 */
import './harness/environment.ts';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../platform/registry.ts';
import { readFixture, signIn, signInRecruiters } from './harness/fixture.ts';
import { runRound } from './harness/load.ts';
import { startLooma } from './harness/looma.ts';
import { FLAGSHIP_MANY, operations } from './harness/operations.ts';
import { startPeers } from './harness/peers.ts';
import { heapFlagsNote } from './harness/heap-flags.ts';
import { pinCores } from './harness/pinning.ts';
import { errorsIn } from './harness/round.ts';
import { LOOMA, type Target } from './harness/target.ts';
import { allocationTables, summariseAllocations, type SamplingHeapProfile } from './profile/allocations.ts';
import { profileTables, summariseProfile, type CpuProfile } from './profile/summary.ts';

const HOST = '127.0.0.1';
const { values } = parseArgs({
  options: {
    target: { type: 'string', default: LOOMA },
    operation: { type: 'string', default: FLAGSHIP_MANY },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    allocations: { type: 'boolean', default: false },
    survivors: { type: 'boolean', default: false },
  },
});
const log = (line: string) => process.stderr.write(`${line}\n`);
const pinning = pinCores();
const targets: Target[] = [];
try {
  const looma = await startLooma(HOST);
  targets.push(looma.target);
  if (values.target !== LOOMA) targets.push(...(await startPeers(looma, HOST, true)));
  const target = targets.find((candidate) => candidate.name === values.target);
  if (!target) throw new Error(`--target must be one of ${targets.map((t) => t.name).join(', ')}`);
  const admin = await signIn(looma.target.url);
  const recruiters = await signInRecruiters(looma.target.url);
  const fixture = await readFixture(looma.target.url, admin);
  const operation = operations(fixture).find((candidate) => candidate.name === values.operation);
  if (!operation || operation.kind !== 'query') throw new Error(`--operation must name a query of bench/harness/operations.ts, not ${values.operation}`);
  const round = (seconds: number) =>
    runRound(
      { url: target.url, tokens: operation.senders === 'admin' ? [admin] : recruiters, operation: operation.name, fixture, connections: Number(values.connections), seconds },
      pinning,
    );

  const file = join(tmpdir(), `looma-${target.name.replaceAll(' ', '-')}-${operation.name.replace(/\W+/g, '-')}.cpuprofile`);
  log(`profile: warming ${target.name} up with ${operation.name} for ${values.warmup} s`);
  await round(Number(values.warmup));
  const session = new Session();
  session.connect();
  const heap = values.allocations || values.survivors;
  if (heap) {
    await session.post('HeapProfiler.enable');
    // One sample per 16 KB allocated, the garbage of the full collections included; that of the
    // young ones too for --allocations (what is allocated), not for --survivors (what is promoted).
    await session.post('HeapProfiler.startSampling', { samplingInterval: 16_384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: !values.survivors });
  } else {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  log(`profile: recording ${values.seconds} s of ${operation.name} on ${target.name}`);
  const result = await round(Number(values.seconds));
  const tables = heap
    ? allocationTables(summariseAllocations(((await session.post('HeapProfiler.stopSampling')) as unknown as { profile: SamplingHeapProfile }).profile, ROOT), result.responses, values.survivors ? 'Outlived a young collection' : 'Allocated')
    : await (async () => {
        const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
        writeFileSync(file, JSON.stringify(profile));
        return profileTables(summariseProfile(profile, ROOT));
      })();
  session.disconnect();

  const command = `npx tsx bench/profile.ts ${process.argv.slice(2).map((arg) => (/\s/.test(arg) ? `'${arg}'` : arg)).join(' ')}`.trim();
  process.stdout.write(
    [
      '```bash',
      command,
      '```',
      '',
      `${operation.name} on ${target.name}, ${values.connections} connections for ${values.seconds} s: ${(result.responses / result.seconds).toFixed(0)} req/s, ${errorsIn(result)} errors; ${pinning.description}; Node ${process.version}${heapFlagsNote()}.`,
      '',
      tables,
      '',
    ].join('\n'),
  );
  if (!heap) log(`profile: the raw profile is ${file}`);
} finally {
  for (const target of targets.reverse()) await target.stop().catch((error: Error) => log(`profile: stopping ${target.name} failed: ${error.message}`));
}
