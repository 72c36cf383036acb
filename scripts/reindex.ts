/**
 * `npm run reindex -- <subgraph>`: rebuilds a derived subgraph's store (e.g. relationships) from
 * the owners' current state, while it keeps serving. It asks the running subgraph to do it, at
 * `<NAME>_URL` or its routing_url in supergraph.yaml, with a credential signed with GATEWAY_SECRET.
 */
import { oneSubgraphUrl } from '../platform/config.ts';
import { REBUILD_PATH } from '../platform/events/projection.ts';
import { besideGraphql, serviceCredential } from '../platform/events/snapshot.ts';
import { loadRegistry } from '../platform/registry.ts';
import { definitions } from '../subgraphs/index.ts';

const name = process.argv[2] ?? '';
const derived = definitions.filter((definition) => definition.consumer).map((definition) => definition.name);

if (!derived.includes(name)) {
  console.error(`Usage: npm run reindex -- <subgraph>, where <subgraph> is one built from events: ${derived.join(', ')}`);
  process.exit(2);
}

const url = oneSubgraphUrl(name) ?? loadRegistry().subgraphs.find((entry) => entry.name === name)!.routingUrl;
const target = new URL(besideGraphql(url, REBUILD_PATH));
const response = await fetch(target, { method: 'POST', headers: { authorization: `Bearer ${await serviceCredential('reindex')}` } }).catch(
  (error: unknown) => {
    console.error(`${name} does not answer at ${target.origin} (${(error as Error).message}). Is it running? Set ${name.toUpperCase()}_URL if it runs elsewhere.`);
    process.exit(1);
  },
);
const body = (await response.json().catch(() => ({}))) as { events?: number; tookMs?: number; errors?: { message: string }[] };
if (!response.ok) {
  console.error(`${name} refused the rebuild (${response.status}): ${body.errors?.[0]?.message ?? response.statusText}`);
  process.exit(1);
}
console.log(`${name} rebuilt from ${body.events} owner records in ${body.tookMs} ms`);
