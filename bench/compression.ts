/**
 * What compression at the edge (GATEWAY_COMPRESSION, gateway/compression.ts) saves and costs:
 * the flagship query's answer for 5 and 50 talents and the harness's search, plain, gzip and br
 * as the gateway sends them, and the gateway's CPU time to compress each (gzip at zlib's default level,
 * brotli at quality 4: the `compression` middleware's settings), against the request's unloaded latency.
 *   npx tsx bench/compression.ts [iterations=200]
 */
import './harness/environment.ts';
import { request as httpRequest } from 'node:http';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD } from '../demo/dataset.ts';
import { loadDemoData } from '../demo/load.ts';
import { EmbeddedPostgres } from '../platform/db/pglite.ts';
import { startSupergraph } from '../platform/runner.ts';
import { definitions } from '../subgraphs/index.ts';
import { graphql } from '../test/support/client.ts';
import { FLAGSHIP_QUERY } from './harness/operations.ts';
import { readFileSync } from 'node:fs';

const iterations = Number(process.argv[2] ?? 200);
/** The `compression` middleware's brotli quality (its default, 4; zlib's own is 11). */
const BROTLI_QUALITY = 4;
const SEARCH = readFileSync(new URL('./harness/operations/SearchEntities.graphql', import.meta.url), 'utf8');

/** One POST as a client sends it; the bytes as they arrive (fetch would inflate them). */
function post(url: string, body: string, token: string, acceptEncoding?: string): Promise<{ bytes: number; encoding?: string; ms: number }> {
  const started = performance.now();
  return new Promise((done, fail) => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}) };
    const request = httpRequest(url, { method: 'POST', headers }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => done({ bytes, encoding: response.headers['content-encoding'], ms: performance.now() - started }));
    });
    request.on('error', fail);
    request.end(body);
  });
}

const microseconds = (work: () => unknown) => {
  for (let i = 0; i < 20; i++) work();
  const started = performance.now();
  for (let i = 0; i < iterations; i++) work();
  return ((performance.now() - started) / iterations) * 1000;
};

const embedded = await EmbeddedPostgres.open();
const supergraph = await startSupergraph({ definitions, embedded, ports: 'ephemeral', host: '127.0.0.1', beforeServe: loadDemoData });
try {
  await supergraph.built();
  const url = supergraph.gateway.url.replace('//localhost:', '//127.0.0.1:');
  const token = (await graphql<{ login: { token: string } }>(url, `mutation { login(email: "${DEMO_ADMIN_EMAIL}", password: "${DEMO_PASSWORD}") { token } }`)).data!.login.token;
  const cases = [
    { name: 'flagship, 5 talents', query: FLAGSHIP_QUERY, variables: { first: 5 } },
    { name: 'flagship, 50 talents', query: FLAGSHIP_QUERY, variables: { first: 50 } },
    { name: 'search "engineer", 10 hits', query: SEARCH, variables: { query: 'engineer', first: 10 } },
  ];
  const rows: string[] = [];
  for (const { name, query, variables } of cases) {
    const body = JSON.stringify({ query, variables });
    const answer = JSON.stringify((await graphql(url, query, variables, token)));
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) latencies.push((await post(url, body, token)).ms);
    latencies.sort((a, b) => a - b);
    const plain = await post(url, body, token);
    const gzip = await post(url, body, token, 'gzip');
    const br = await post(url, body, token, 'br');
    if (gzip.encoding !== 'gzip' || br.encoding !== 'br') throw new Error(`The gateway did not compress ${name}: ${gzip.encoding}, ${br.encoding}`);
    const gzipUs = microseconds(() => gzipSync(answer));
    const brUs = microseconds(() => brotliCompressSync(answer, { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } }));
    const p50 = latencies[Math.floor(latencies.length / 2)]!;
    rows.push(
      `| ${name} | ${(plain.bytes / 1024).toFixed(1)} KB | ${(gzip.bytes / 1024).toFixed(1)} KB (${((100 * gzip.bytes) / plain.bytes).toFixed(0)} %) | ${(br.bytes / 1024).toFixed(1)} KB (${((100 * br.bytes) / plain.bytes).toFixed(0)} %) | ` +
        `${gzipUs.toFixed(0)} µs | ${brUs.toFixed(0)} µs | ${p50.toFixed(1)} ms | ${((100 * gzipUs) / 1000 / p50).toFixed(1)} % |`,
    );
  }
  process.stdout.write(
    [
      '| answer | plain | gzip | br | gzip CPU | br CPU | request p50, unloaded | gzip CPU ÷ p50 |',
      '|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
    ].join('\n'),
  );
} finally {
  await supergraph.stop();
  await embedded.close();
}
