/**
 * Latency of the README's flagship query through the gateway on the demo dataset, for pages of
 * 5 and 50 talents, with the subgraph requests and SQL statements each costs (batching makes the
 * larger page cost more rows, not more round trips), and what verifying a token adds to a request.
 *   LOG_LEVEL=warn npx tsx bench/flagship.ts [iterations=100]
 */
import './no-response-cache.ts';
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD } from '../demo/dataset.ts';
import { loadDemoData } from '../demo/load.ts';
import { EmbeddedPostgres } from '../platform/db/pglite.ts';
import { startSupergraph } from '../platform/runner.ts';
import { definitions } from '../subgraphs/index.ts';
import { graphql } from '../test/support/client.ts';
import { scrapeTotal } from '../test/support/metrics.ts';
import { FLAGSHIP } from '../test/e2e/flagship.ts';

const iterations = Number(process.argv[2] ?? 100);

const embedded = await EmbeddedPostgres.open();
const supergraph = await startSupergraph({ definitions, embedded, ports: 'ephemeral', host: '127.0.0.1', beforeServe: loadDemoData });
await supergraph.built();
const url = supergraph.gateway.url;
const login = await graphql<{ login: { token: string } }>(url, `mutation { login(email: "${DEMO_ADMIN_EMAIL}", password: "${DEMO_PASSWORD}") { token } }`);
const token = login.data!.login.token;

async function sqlStatements(): Promise<number> {
  let total = 0;
  for (const { service } of supergraph.subgraphs.values()) total += await scrapeTotal(service.url, 'db_queries_total');
  return total;
}

async function latency(query: string, variables: Record<string, unknown>, credential?: string): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 10; i++) await graphql(url, query, variables, credential); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    const result = await graphql(url, query, variables, credential);
    samples.push(performance.now() - started);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(iterations * 0.5)]!, p95: samples[Math.floor(iterations * 0.95)]! };
}

async function measure(first: number) {
  for (let i = 0; i < 10; i++) await graphql(url, FLAGSHIP, { first }, token); // warm-up
  const requestsBefore = await scrapeTotal(url, 'gateway_subgraph_requests_total');
  const sqlBefore = await sqlStatements();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    const result = await graphql(url, FLAGSHIP, { first }, token);
    samples.push(performance.now() - started);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
  }
  samples.sort((a, b) => a - b);
  return {
    first,
    p50: samples[Math.floor(iterations * 0.5)]!,
    p95: samples[Math.floor(iterations * 0.95)]!,
    requests: ((await scrapeTotal(url, 'gateway_subgraph_requests_total')) - requestsBefore) / iterations,
    sql: ((await sqlStatements()) - sqlBefore) / iterations,
  };
}

const small = await measure(5);
const large = await measure(50);
console.log(`flagship query through the gateway, ${iterations} sequential requests each (node ${process.version})\n`);
console.log('| talents per page | p50 | p95 | subgraph requests / query | SQL statements / query |\n|---|---|---|---|---|');
for (const r of [small, large]) console.log(`| ${r.first} | ${r.p50.toFixed(1)} ms | ${r.p95.toFixed(1)} ms | ${r.requests} | ${r.sql} |`);
console.log(`\np50 ratio 50 / 5 talents: ${(large.p50 / small.p50).toFixed(2)} (10× the data)`);

// What verifying a token costs per request: signature (JWKS cached), and the session check,
// which without REDIS_URL is one call to the users subgraph.
const PUBLIC = '{ jobs(first: 5) { edges { node { title company { name } } } } }';
const anonymous = await latency(PUBLIC, {});
const signedIn = await latency(PUBLIC, {}, token);
console.log(`\n| public query (5 jobs with companies) | p50 | p95 |\n|---|---|---|`);
console.log(`| anonymous | ${anonymous.p50.toFixed(1)} ms | ${anonymous.p95.toFixed(1)} ms |`);
console.log(`| with an access token (no Redis) | ${signedIn.p50.toFixed(1)} ms | ${signedIn.p95.toFixed(1)} ms |`);
console.log(`\np50 ratio signed-in / anonymous: ${(signedIn.p50 / anonymous.p50).toFixed(2)}`);
await supergraph.stop();
await embedded.close();
