/**
 * Looma's gateway and the monolith baseline side by side on the demo dataset, for measuring by
 * hand: prints both URLs, the demo admin's token and the autocannon command for the flagship
 * query through each, then serves until interrupted.
 *   LOG_LEVEL=warn GATEWAY_RATE_LIMIT_PER_MINUTE=0 npx tsx bench/monolith/serve.ts [talents per page=5]
 * (without GATEWAY_RATE_LIMIT_PER_MINUTE=0 the gateway refuses one caller past 600 operations a minute)
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD } from '../../demo/dataset.ts';
import { loadDemoData } from '../../demo/load.ts';
import { EmbeddedPostgres } from '../../platform/db/pglite.ts';
import { startSupergraph } from '../../platform/runner.ts';
import { definitions } from '../../subgraphs/index.ts';
import { graphql } from '../../test/support/client.ts';
import { FLAGSHIP } from '../../test/e2e/flagship.ts';
import { startMonolith } from './server.ts';

const first = Number(process.argv[2] ?? 5);
const embedded = await EmbeddedPostgres.open();
const supergraph = await startSupergraph({ definitions, embedded, ports: 'ephemeral', host: '127.0.0.1', beforeServe: loadDemoData });
await supergraph.built();
const monolith = await startMonolith({ stores: new Map([...supergraph.subgraphs].map(([name, running]) => [name, running.stores])), port: 0, host: '127.0.0.1' });

const login = await graphql<{ login: { token: string } }>(supergraph.gateway.url, 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }', {
  email: DEMO_ADMIN_EMAIL,
  password: DEMO_PASSWORD,
});
const token = login.data?.login.token;
if (!token) throw new Error(`The demo admin could not sign in: ${JSON.stringify(login.errors)}`);
const body = join(tmpdir(), `looma-flagship-${first}.json`);
writeFileSync(body, JSON.stringify({ query: FLAGSHIP, variables: { first } }));

const command = (url: string) => `npx autocannon -c 50 -d 20 -m POST -H 'content-type: application/json' -H 'authorization: Bearer ${token}' -i ${body} ${url}`;
console.log(`gateway:  ${supergraph.gateway.url}\nmonolith: ${monolith.url}\n`);
console.log(`# the flagship query, ${first} talents a page (the token lasts ACCESS_TOKEN_TTL_SECONDS)`);
console.log(`${command(supergraph.gateway.url)}\n${command(monolith.url)}`);

const stop = async () => {
  await monolith.stop();
  await supergraph.stop();
  await embedded.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
