import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from '../../platform/db/db.ts';
import { signGatewayCredential, viewerWithRole, type Role } from '../../platform/auth/index.ts';
import type { RunningService } from '../../platform/http.ts';
import { startSupergraph, type RunningSupergraph } from '../../platform/runner.ts';
import { prepareStores, startSubgraph, type SubgraphDefinition } from '../../platform/subgraph.ts';
import { definitions } from '../../subgraphs/index.ts';
import { freshDb, type Backend } from './databases.ts';
import type { ZervigoConfig } from '../../platform/zervigo-client.ts';

/**
 * One subgraph on a free port over a fresh schema, for the subgraph's own tests. `url` reaches
 * it the way the gateway does: a request without a credential gets the anonymous gateway
 * credential, one with `tokenFor(...)` passes as it is. `service.url` is the subgraph itself,
 * for tests of calls that bypass the gateway.
 */
export async function startTestSubgraph<Stores>(
  definition: SubgraphDefinition<Stores>,
  backend: Backend = 'pglite',
): Promise<{ url: string; service: RunningService; db: Db; stores: Stores; stop: () => Promise<void> }> {
  const { db, drop } = await freshDb(backend, definition.name);
  const stores = await prepareStores(definition, db);
  const service = await startSubgraph(definition, { db, stores, host: '127.0.0.1', port: 0 });
  const standIn = await gatewayStandIn(service.url);
  return {
    url: standIn.url,
    service,
    db,
    stores,
    stop: async () => {
      await standIn.stop();
      await service.stop();
      await drop();
    },
  };
}

/** Forwards GraphQL POSTs to a subgraph with a gateway credential, as the gateway would. */
async function gatewayStandIn(subgraphUrl: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const authorization = request.headers.authorization ?? `Bearer ${await anonymousToken()}`;
    const upstream = await fetch(subgraphUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: Buffer.concat(chunks),
    });
    response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    response.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Every subgraph and the gateway, in-process on free ports, each subgraph on a fresh schema. */
export async function startTestSupergraph(
  beforeServe?: (stores: Map<string, unknown>) => Promise<void>,
  /** Replaces subgraph definitions by name, e.g. one on another store backend. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each subgraph has its own store type
  replacing: SubgraphDefinition<any>[] = [],
  /** `zervigo`: where the gateway finds Zervigo (e.g. a fake's `config()`); the environment's by default. */
  options: { zervigo?: ZervigoConfig } = {},
): Promise<RunningSupergraph & { url: string }> {
  const drops: (() => Promise<void>)[] = [];
  const supergraph = await startSupergraph({
    definitions: definitions.map((definition) => replacing.find((replacement) => replacement.name === definition.name) ?? definition),
    ports: 'ephemeral',
    host: '127.0.0.1',
    databaseFor: async (name) => {
      const { db, drop } = await freshDb('pglite', name);
      drops.push(drop);
      return db;
    },
    beforeServe,
    zervigo: options.zervigo,
  });
  return {
    ...supergraph,
    url: supergraph.gateway.url,
    async stop() {
      await supergraph.stop();
      for (const drop of drops) await drop();
    },
  };
}

/**
 * What the gateway would send a subgraph for a caller with this role, signed in with a user
 * token (so with a session): subgraph tests call a subgraph as the gateway does. (Tests through
 * the gateway sign in with `login` instead.)
 */
export async function tokenFor(role: Role, userId = '00000000-0000-4000-8000-000000000001'): Promise<string> {
  return signGatewayCredential(viewerWithRole(userId, role, randomUUID()));
}

/** What the gateway sends a subgraph for a caller who is not signed in. */
export function anonymousToken(): Promise<string> {
  return signGatewayCredential(null);
}
