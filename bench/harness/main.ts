/**
 * `npm run bench`: Looma's gateway against Hive Gateway and a monolith on the same supergraph,
 * stores and demo data (issue 11). Starts everything in this process (pinned to core 0), checks
 * that every target answers every operation alike, then loads each operation with autocannon in a
 * child process (core 1): a warm-up per target, then A/B/A/B rounds. Prints the markdown report.
 *   npm run bench -- [--connections 50] [--seconds 10] [--warmup 5] [--rounds 3] [--only flagship,search] [--hive-no-dedupe] [--write]
 * --write replaces the section "Supergraph against Hive Gateway and a monolith" of BENCHMARKS.md.
 */
import { applied as environment } from './environment.ts';
import { heapFlagsNote } from './heap-flags.ts';
import { cpus, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../platform/registry.ts';
import { summarise } from './aggregate.ts';
import { SECTION, writeSection } from './benchmarks-file.ts';
import { dataSetSize } from './data-set.ts';
import { readFixture, signIn, signInRecruiters } from './fixture.ts';
import { runRound } from './load.ts';
import { sweep } from './leftovers.ts';
import { startLooma } from './looma.ts';
import { renderReport } from './markdown.ts';
import { sampleRss } from './memory.ts';
import { operations as allOperations, type Operation } from './operations.ts';
import { parseOptions } from './options.ts';
import { startPeers } from './peers.ts';
import { pinCores } from './pinning.ts';
import { errorsIn, type RoundResult } from './round.ts';
import { schedule } from './schedule.ts';
import { drainEvents, settle, unloaded } from './settle.ts';
import type { Target } from './target.ts';
import { verifyTargets } from './verify.ts';
import { verdicts } from './verdicts.ts';

const HOST = '127.0.0.1';
const options = parseOptions(process.argv.slice(2));
const log = (line: string) => process.stderr.write(`${line}\n`);

const pinning = pinCores();
log(`bench: ${pinning.description}`);
const memory = sampleRss();
const targets: Target[] = [];
try {
  log('bench: starting the supergraph on embedded stores with the demo data');
  const looma = await startLooma(HOST);
  targets.push(looma.target);
  const token = await signIn(looma.target.url);
  const recruiters = await signInRecruiters(looma.target.url);
  const tokensOf = (operation: Operation) => (operation.senders === 'admin' ? [token] : recruiters);
  const fixture = await readFixture(looma.target.url, token);
  log('bench: starting Hive Gateway and the monolith beside it');
  targets.push(...(await startPeers(looma, HOST, options.hiveDedupe)));

  const operations = allOperations(fixture).filter((operation) => options.only.length === 0 || options.only.includes(operation.name));
  if (operations.length === 0) throw new Error(`--only names no operation; there are: ${allOperations(fixture).map((operation) => operation.name).join(', ')}`);
  await verifyTargets(targets, operations, tokensOf);
  log(`bench: ${targets.map((target) => target.name).join(', ')} answer ${operations.map((operation) => operation.name).join(', ')} alike`);

  const notes: string[] = [];
  const sizeBefore = await dataSetSize(looma.target, token);
  const unloadedMs = new Map<string, number>();
  for (const target of targets) unloadedMs.set(target.name, await unloaded(target, token));
  const metricsUrls = [looma.supergraph.gateway, ...[...looma.supergraph.subgraphs.values()].map(({ service }) => service)].map((service) => new URL('/metrics', service.url).toString());
  const rounds = new Map<string, RoundResult[]>();
  for (const phase of schedule(operations.map((operation) => operation.name), targets.map((target) => target.name), options.rounds)) {
    const target = targets.find((candidate) => candidate.name === phase.target)!;
    const operation = operations.find((candidate) => candidate.name === phase.operation)!;
    const seconds = phase.round === 0 ? options.warmupSeconds : options.seconds;
    const result = await runRound({ url: target.url, tokens: tokensOf(operation), operation: operation.name, fixture, connections: options.connections, seconds }, pinning);
    const settled = await settle(target, token, unloadedMs.get(target.name)!);
    // Cycles cut short by the round's end leave records: deleted, so every round sees the same data set.
    const swept = operation.leftovers ? await sweep(target, operation.leftovers, token) : 0;
    const drained = operation.kind === 'mutations' ? await drainEvents(metricsUrls) : 0;
    log(
      `bench: ${operation.name} on ${target.name}, ${phase.round === 0 ? 'warm-up' : `round ${phase.round}`}: ` +
        `${(result.responses / result.seconds).toFixed(0)} req/s, ${errorsIn(result)} errors${swept ? `, ${swept} leftovers deleted` : ''}, ` +
        `settled in ${(settled / 1000).toFixed(1)} s${drained ? `, events applied everywhere ${(drained / 1000).toFixed(1)} s later` : ''}`,
    );
    if (phase.round === 0) continue;
    const key = `${operation.name}\u0000${target.name}`;
    rounds.set(key, [...(rounds.get(key) ?? []), result]);
  }

  const sizeAfter = await dataSetSize(looma.target, token);
  notes.push(sizeAfter === sizeBefore ? `The data set was the same after the run as before: ${sizeAfter}.` : `**The data set changed**: ${sizeBefore} before the run, ${sizeAfter} after.`);

  const summaries = operations.flatMap((operation) => targets.map((target) => summarise(operation.name, target.name, rounds.get(`${operation.name}\u0000${target.name}`) ?? [])));
  const cpu = cpus();
  const report = renderReport({
    command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
    date: new Date().toISOString(),
    machine: `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${type()} ${release()}, Node ${process.version}${heapFlagsNote()}`,
    settings: options,
    pinning: pinning.description,
    environment,
    operations: operations.map(({ name, description }) => ({ name, description })),
    summaries,
    verdicts: verdicts(summaries, options.connections),
    peakRss: memory.peak(),
    notes: [
      sharingNote(options.hiveDedupe, process.env.GATEWAY_SHARE_QUERIES !== 'false', recruiters.length),
      ...notes,
    ],
  });
  process.stdout.write(`\n## ${SECTION}\n\n${report}\n`);
  if (options.write) {
    writeSection(join(ROOT, 'BENCHMARKS.md'), report);
    log(`bench: wrote the section "${SECTION}" of BENCHMARKS.md`);
  }
} finally {
  memory.stop();
  for (const target of targets.reverse()) await target.stop().catch((error: Error) => log(`bench: stopping ${target.name} failed: ${error.message}`));
}

/**
 * When every connection sends the same operation as the same user, a gateway that shares identical
 * in-flight subgraph queries sends the subgraphs far fewer requests; the monolith shares nothing.
 */
function sharingNote(hive: boolean, looma: boolean, recruiters: number): string {
  const state = (on: boolean) => (on ? 'on' : 'off');
  return (
    `Sharing of identical in-flight subgraph queries: Looma ${state(looma)} (GATEWAY_SHARE_QUERIES), Hive Gateway ${state(hive)} (its deduplication; --hive-no-dedupe turns it off), ` +
    'the monolith has none. The admin operations send the same request on every connection, so sharing saves the subgraphs most of their work there; ' +
    `the "many users" operations send each request as the next of the ${recruiters} demo recruiters with the next of its variable sets, ` +
    'and a call is shared only between requests of one user (the credential is part of what is shared), so there sharing has little to share.'
  );
}
