/**
 * Shortest paths between talents on the demo dataset, on the embedded backend: the store call
 * alone (PGlite, the graph drawn from the demo data by the event projector) and `Talent.pathTo`
 * through the gateway. Pairs are drawn with a fixed seed, so runs compare.
 *   LOG_LEVEL=warn npx tsx bench/shortest-path.ts [pairs=300]
 */
import { Faker, base } from '@faker-js/faker';
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD } from '../demo/dataset.ts';
import { loadDemoData } from '../demo/load.ts';
import { EmbeddedPostgres } from '../platform/db/pglite.ts';
import { startSupergraph } from '../platform/runner.ts';
import { definitions } from '../subgraphs/index.ts';
import type { Stores } from '../subgraphs/relationships/index.ts';
import { MAX_PATH_DEPTH } from '../subgraphs/relationships/store.ts';
import { graphql } from '../test/support/client.ts';

const pairCount = Number(process.argv[2] ?? 300);

const embedded = await EmbeddedPostgres.open();
const supergraph = await startSupergraph({ definitions, embedded, ports: 'ephemeral', host: '127.0.0.1', beforeServe: loadDemoData });
await supergraph.built();
const url = supergraph.gateway.url;
const token = (await graphql<{ login: { token: string } }>(url, `mutation { login(email: "${DEMO_ADMIN_EMAIL}", password: "${DEMO_PASSWORD}") { token } }`)).data!.login.token;
const { graph, db } = supergraph.subgraphs.get('relationships')!.stores as Stores;

const talents = (await db.query<{ id: string }>(`select id from nodes where kind = 'Talent' order by id`)).map((row) => row.id);
const [{ edges }] = (await db.query<{ edges: number }>('select count(*)::int as edges from edges')) as [{ edges: number }];
const faker = new Faker({ locale: [base], seed: 7 });
const pairs = Array.from({ length: pairCount }, () => faker.helpers.arrayElements(talents, 2) as [string, string]);

const percentile = (samples: number[], p: number) => [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor(samples.length * p))]!;

async function measure(run: (from: string, to: string) => Promise<number | null>) {
  for (const [from, to] of pairs.slice(0, 20)) await run(from, to); // warm-up
  const samples: number[] = [];
  const lengths = new Map<string, number>();
  for (const [from, to] of pairs) {
    const started = performance.now();
    const length = await run(from, to);
    samples.push(performance.now() - started);
    const key = length === null ? 'none' : String(length);
    lengths.set(key, (lengths.get(key) ?? 0) + 1);
  }
  return { p50: percentile(samples, 0.5), p95: percentile(samples, 0.95), max: Math.max(...samples), lengths };
}

const store = await measure(async (from, to) => (await graph.shortestPath(from, to, MAX_PATH_DEPTH))?.edges.length ?? null);
const PATH = `query($from: ID!, $to: ID!) { talent(id: $from) { pathTo(talentId: $to) { length nodes { label } edges { kind } } } }`;
const gateway = await measure(async (from, to) => {
  const result = await graphql<{ talent: { pathTo: { length: number } | null } }>(url, PATH, { from, to }, token);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!.talent.pathTo?.length ?? null;
});

console.log(`shortest path (maxDepth ${MAX_PATH_DEPTH}) between ${pairCount} seeded talent pairs; graph: ${talents.length} talents, ${edges} edges (node ${process.version})\n`);
console.log('| measured | p50 | p95 | max |\n|---|---|---|---|');
console.log(`| store call (PGlite) | ${store.p50.toFixed(1)} ms | ${store.p95.toFixed(1)} ms | ${store.max.toFixed(1)} ms |`);
console.log(`| Talent.pathTo through the gateway | ${gateway.p50.toFixed(1)} ms | ${gateway.p95.toFixed(1)} ms | ${gateway.max.toFixed(1)} ms |`);
console.log(`\npath lengths: ${[...store.lengths].sort().map(([length, n]) => `${length}: ${n}`).join(', ')}`);
await supergraph.stop();
await embedded.close();
