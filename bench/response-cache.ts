/**
 * What the gateway's response cache (gateway/response-cache) does for anonymous readers: the public
 * query (5 jobs with their companies, bench/flagship.ts) sent anonymously at 50 connections to two
 * gateways over the same subgraphs and demo data, one caching (the runner's: in-process bus and
 * store) and one not (no event bus), in turn. The load runs in its own process, pinned off the
 * server's core as the harness pins it (bench/harness/pinning.ts); its requests carry no token,
 * which the harness's load process cannot send, hence this script's own autocannon child.
 *   npx tsx bench/response-cache.ts [seconds per round=10] [connections=50]
 */
import './harness/environment.ts';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { loadDemoData } from '../demo/load.ts';
import { startGateway } from '../gateway/gateway.ts';
import { composeRegistry } from '../platform/compose.ts';
import { EmbeddedPostgres } from '../platform/db/pglite.ts';
import { loadRegistry, ROOT } from '../platform/registry.ts';
import { startSupergraph } from '../platform/runner.ts';
import { definitions } from '../subgraphs/index.ts';
import { scrape } from '../test/support/metrics.ts';
import { pinCores } from './harness/pinning.ts';

const PUBLIC = JSON.stringify({ query: 'query PublicJobs { jobs(first: 5) { edges { node { title company { name } } } } }' });

interface Load {
  url: string;
  connections: number;
  seconds: number;
}
interface Seen {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Non-2xx, GraphQL errors, socket errors. */
  failures: number;
}

/** The child: one autocannon round, the result as JSON on stdout. */
async function loadChild(load: Load): Promise<void> {
  let failures = 0;
  const url = new URL(load.url);
  const summary = await autocannon({
    url: url.origin,
    connections: load.connections,
    duration: load.seconds,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: url.pathname,
        headers: { 'content-type': 'application/json' },
        body: PUBLIC,
        onResponse: (status: number, body: string) => {
          if (status !== 200 || !body.startsWith('{"data":{') || body.includes('"errors"')) failures++;
        },
      },
    ],
  });
  const seen: Seen = { requestsPerSecond: summary.requests.average, p50: summary.latency.p50, p99: summary.latency.p99, failures: failures + summary.errors + summary.timeouts };
  process.stdout.write(JSON.stringify(seen));
}

/** One round in a child process, pinned as `prefix` says. */
function round(prefix: string[], load: Load): Promise<Seen> {
  const command = [...prefix, process.execPath, '--import', 'tsx', fileURLToPath(import.meta.url), '--load', JSON.stringify(load)];
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Seen) : reject(new Error(`load process exited with ${code}`))));
  });
}

async function cacheOutcomes(url: string): Promise<Record<string, number>> {
  const { samples } = await scrape(url);
  return Object.fromEntries(samples.filter((s) => s.name === 'gateway_response_cache_requests_total').map((s) => [s.labels.outcome!, s.value]));
}

if (process.argv[2] === '--load') {
  await loadChild(JSON.parse(process.argv[3]!) as Load);
} else {
  const seconds = Number(process.argv[2] ?? 10);
  const connections = Number(process.argv[3] ?? 50);
  const pinning = pinCores();
  const embedded = await EmbeddedPostgres.open();
  const supergraph = await startSupergraph({ definitions, embedded, ports: 'ephemeral', host: '127.0.0.1', beforeServe: loadDemoData });
  const composed = composeRegistry(loadRegistry());
  if (!composed.ok) throw new Error(composed.errors.join('\n'));
  // The same subgraphs behind a gateway without an event bus: it caches nothing.
  const uncached = await startGateway({
    supergraphSdl: composed.supergraphSdl,
    urls: Object.fromEntries([...supergraph.subgraphs].map(([name, running]) => [name, running.service.url])),
    host: '127.0.0.1',
    port: 0,
    usersUrl: supergraph.subgraphs.get('users')!.service.url,
  });
  try {
    await supergraph.built();
    const targets = [
      { name: 'cache off', url: uncached.url },
      { name: 'cache on (in-process)', url: supergraph.gateway.url },
    ].map((target) => ({ ...target, url: target.url.replace('//localhost:', '//127.0.0.1:') }));
    const rows: string[] = [];
    for (const target of targets) {
      await round(pinning.loadPrefix, { url: target.url, connections, seconds: 3 }); // warm-up
      const before = await cacheOutcomes(target.url);
      const seen = await round(pinning.loadPrefix, { url: target.url, connections, seconds });
      const after = await cacheOutcomes(target.url);
      const hits = (after.hit ?? 0) - (before.hit ?? 0);
      const cacheable = hits + (after.miss ?? 0) - (before.miss ?? 0);
      rows.push(
        `| ${target.name} | ${seen.requestsPerSecond.toFixed(0)} | ${seen.p50.toFixed(1)} ms | ${seen.p99.toFixed(1)} ms | ${seen.failures} | ${cacheable ? `${((100 * hits) / cacheable).toFixed(1)} %` : '—'} |`,
      );
    }
    process.stdout.write(
      [
        `public query (5 jobs with companies), anonymous, ${connections} connections, ${seconds} s rounds after 3 s of warm-up (node ${process.version}; ${pinning.description})`,
        `  npx tsx bench/response-cache.ts ${seconds} ${connections}`,
        '',
        '| gateway | requests/s | p50 | p99 | failures | hits / cacheable |',
        '|---|---|---|---|---|---|',
        ...rows,
        '',
      ].join('\n'),
    );
  } finally {
    await uncached.stop();
    await supergraph.stop();
    await embedded.close();
  }
}
