/**
 * One size of the growth benchmark, in its own process so each size's memory is its own: starts
 * the supergraph on a dataset of N talents, loads each operation (a warm-up round, then a
 * measured one) and writes a SizeResult (JSON) to the file its second argument names. bench/growth.ts runs it per size.
 */
import '../harness/environment.ts';
import { writeFileSync } from 'node:fs';
import { FLAGSHIP } from '../harness/operations.ts';
import { GRAPH_PATH } from '../harness/operations/graph-path.ts';
import { summarise } from '../harness/aggregate.ts';
import { readFixture, signIn } from '../harness/fixture.ts';
import { sampleRss } from '../harness/memory.ts';
import { pinCores } from '../harness/pinning.ts';
import { graphql } from '../../test/support/client.ts';
import { pathEnds } from './path-ends.ts';
import { runRound } from '../harness/load.ts';
import type { OperationResult, SizeResult } from './result.ts';
import { startGrown } from './start.ts';

/** The harness's flagship, search and job matches (each by the admin), and a graph path. */
export const GROWTH_OPERATIONS = [FLAGSHIP, 'search', 'job matches', GRAPH_PATH];

const HOST = '127.0.0.1';
const PATH_LENGTH = 'query($from: ID!, $to: ID!) { talent(id: $from) { pathTo(talentId: $to) { length } } }';

const [talents, connections, seconds, warmupSeconds] = (process.argv[2] ?? '').split(',').map(Number) as [number, number, number, number];
// Where the result goes: stdout also carries whatever the stack logs while it stops.
const output = process.argv[3];
if (!output) throw new Error('Usage: size.ts <talents,connections,seconds,warmup> <result file>');
const pinning = pinCores();
const peak = sampleRss();
const looma = await startGrown(talents, HOST);
try {
  const token = await signIn(looma.url);
  const fixture = await readFixture(looma.url, token);
  const path = pathEnds(looma.dataset);
  const answer = await graphql<{ talent: { pathTo: { length: number } | null } }>(looma.url, PATH_LENGTH, { ...path }, token);
  if (answer.errors) throw new Error(`pathTo failed: ${JSON.stringify(answer.errors)}`);

  const operations: OperationResult[] = [];
  for (const operation of GROWTH_OPERATIONS) {
    const spec = { url: looma.url, tokens: [token], operation, fixture: { ...fixture, path }, connections, seconds: warmupSeconds };
    await runRound(spec, pinning);
    const during = sampleRss();
    const round = await runRound({ ...spec, seconds }, pinning);
    during.stop();
    operations.push({ summary: summarise(operation, `${talents} talents`, [round]), peakRss: during.peak() });
    process.stderr.write(`growth: ${talents} talents, ${operation}: ${Math.round(operations.at(-1)!.summary.rps.mean)} RPS\n`);
  }
  const { dataset } = looma;
  const result: SizeResult = {
    talents,
    counts: { talents: dataset.talents.length, companies: dataset.companies.length, jobs: dataset.jobs.length, applications: dataset.applications.length, projects: dataset.projects.length, users: dataset.users.length },
    times: looma.times,
    pathLength: answer.data?.talent.pathTo?.length ?? null,
    operations,
    peakRss: peak.peak(),
    pinning: pinning.description,
  };
  writeFileSync(output, JSON.stringify(result));
} finally {
  peak.stop();
  await looma.stop();
}
