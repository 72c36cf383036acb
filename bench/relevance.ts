/**
 * Search relevance on the demo dataset: nDCG@10 and MRR over the judged query set
 * (test/relevance/judgments.json), through the gateway as a recruiter, for the index backend
 * configured (embedded by default).
 *   LOG_LEVEL=warn npx tsx bench/relevance.ts
 */
import { loadDemoData } from '../demo/load.ts';
import { EmbeddedPostgres } from '../platform/db/pglite.ts';
import { startSupergraph } from '../platform/runner.ts';
import { definitions } from '../subgraphs/index.ts';
import { gatewaySearch } from '../subgraphs/search/test/relevance.ts';
import { evaluate, formatEvaluation, loadJudgments } from '../test/relevance/metrics.ts';

const embedded = await EmbeddedPostgres.open();
const supergraph = await startSupergraph({ definitions, embedded, ports: 'ephemeral', host: '127.0.0.1', beforeServe: loadDemoData });
await supergraph.built();
const judgments = loadJudgments();
const evaluation = await evaluate(await gatewaySearch(supergraph.gateway.url), judgments);
console.log(formatEvaluation(`search on ${process.env.ELASTICSEARCH_URL ? 'Elasticsearch' : 'the embedded index (PGlite)'}`, evaluation));
await supergraph.stop();
await embedded.close();
