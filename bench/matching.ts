/**
 * Matching quality on the demo dataset: nDCG@10 and recall@20 of Job.matchingTalents over the
 * labelled jobs (test/matching/judgments.json), next to a keyword-only baseline (the search
 * subgraph's full-text search with the job's title and skills), through the gateway as a
 * recruiter, with the embedder and vector store configured (built-in hashing and pgvector in
 * PGlite by default). Also the time one matchingTalents(first: 20) takes, p50 and p95.
 *   LOG_LEVEL=warn npx tsx bench/matching.ts
 */
import { DEMO_PASSWORD } from '../demo/dataset.ts';
import { loadDemoData } from '../demo/load.ts';
import { EmbeddedPostgres } from '../platform/db/pglite.ts';
import { startSupergraph } from '../platform/runner.ts';
import { definitions } from '../subgraphs/index.ts';
import { graphql } from '../test/support/client.ts';
import { evaluateMatching, formatMatching, loadMatchingJudgments } from '../test/matching/metrics.ts';
import { keywordRanker, matchingRanker } from '../test/matching/rankers.ts';

const embedded = await EmbeddedPostgres.open();
const supergraph = await startSupergraph({ definitions, embedded, ports: 'ephemeral', host: '127.0.0.1', beforeServe: loadDemoData });
await supergraph.built();
const url = supergraph.gateway.url;
const login = await graphql<{ login: { token: string } }>(url, `mutation { login(email: "recruiter@looma.dev", password: "${DEMO_PASSWORD}") { token } }`);
const token = login.data!.login.token;

const judgments = loadMatchingJudgments();
const matching = matchingRanker(url, token);
console.log(formatMatching('matchingTalents', await evaluateMatching(matching, judgments)));
console.log(formatMatching('keyword baseline (search)', await evaluateMatching(keywordRanker(url, token), judgments)));

const times: number[] = [];
for (let round = 0; round < 3; round++) {
  for (const judgment of judgments) {
    const started = performance.now();
    await matching(judgment.query);
    times.push(performance.now() - started);
  }
}
times.sort((a, b) => a - b);
const at = (share: number) => times[Math.min(times.length - 1, Math.floor(share * times.length))]!.toFixed(1);
console.log(`matchingTalents(first: 20) through the gateway: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms over ${times.length} calls`);
await supergraph.stop();
await embedded.close();
