import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { graphql, parse, type DocumentNode } from 'graphql';
import { REFUSED_UNRUN_HEADER } from '../../platform/drain.ts';

/**
 * How a fake subgraph treats the next request: `ok` answers, `refuse` closes the port (connection
 * refused), `hang` reads the request and never answers, `draining` answers as a draining Looma service
 * does (503 marking the request unrun), `status500` / `status503` / `status429` answer with that
 * status (429 with `retryAfter` as Retry-After), `slow` answers after `ms`.
 */
export type FakeMode = 'ok' | 'refuse' | 'hang' | 'status500' | 'status503' | 'status429' | 'draining' | { slow: number };

export interface FakeCall {
  /** The GraphQL operation the gateway sent. */
  query: string;
  mode: FakeMode;
  at: number;
  /** The gateway closed the connection before this request was answered. */
  aborted: boolean;
}

export interface FakeSubgraph {
  name: string;
  /** The GraphQL endpoint, on 127.0.0.1 (the port stays the same across `refuse`). */
  url: string;
  port: number;
  typeDefs: DocumentNode;
  /** Every request that reached the server, in order. */
  calls: FakeCall[];
  /** Requests the gateway gave up on (socket closed before the answer). */
  readonly aborted: number;
  /** The Retry-After header of `status429` answers. */
  retryAfter: string;
  /** The mode of every request from now on (after any queued ones). */
  setMode(mode: FakeMode): Promise<void>;
  /** Modes for the next requests, one each, before the standing mode applies again (not `refuse`). */
  queue(...modes: FakeMode[]): void;
  stop(): Promise<void>;
}

/** A small federation subgraph on a plain node:http server, switchable between misbehaviours. */
export async function startFakeSubgraph(name: string, typeDefs: string, resolvers: GraphQLResolverMap<unknown>): Promise<FakeSubgraph> {
  const document = parse(typeDefs);
  const schema = buildSubgraphSchema({ typeDefs: document, resolvers });
  let standing: FakeMode = 'ok';
  const queued: FakeMode[] = [];
  const calls: FakeCall[] = [];

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    // Readiness as the gateway's replica probe asks it: ready while the standing mode answers queries.
    if (request.url?.startsWith('/health/')) {
      const ready = standing === 'ok' || typeof standing === 'object';
      response.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: ready ? 'ready' : 'unavailable' }));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { query?: string; variables?: Record<string, unknown>; operationName?: string };
    const mode = queued.shift() ?? standing;
    const call: FakeCall = { query: body.query ?? '', mode, at: Date.now(), aborted: false };
    calls.push(call);
    response.on('close', () => {
      if (!response.writableFinished) call.aborted = true;
    });
    if (mode === 'hang') return;
    if (mode === 'draining') {
      response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1', [REFUSED_UNRUN_HEADER]: 'draining', connection: 'close' });
      response.end(JSON.stringify({ errors: [{ message: `fake ${name} is shutting down`, extensions: { code: 'SERVICE_UNAVAILABLE' } }] }));
      return;
    }
    if (mode === 'status500' || mode === 'status503' || mode === 'status429') {
      const status = Number(mode.slice('status'.length));
      response.writeHead(status, { 'content-type': 'application/json', ...(status === 429 ? { 'retry-after': fake.retryAfter } : {}) });
      response.end(JSON.stringify({ errors: [{ message: `fake ${name} failed` }] }));
      return;
    }
    if (typeof mode === 'object') await new Promise((resolve) => setTimeout(resolve, mode.slow));
    if (call.aborted) return;
    const result = await graphql({ schema, source: body.query ?? '', variableValues: body.variables, operationName: body.operationName });
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(result));
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(400).end(String(error));
    });
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const close = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  await listen(0);
  const { port } = server.address() as AddressInfo;

  const fake: FakeSubgraph = {
    name,
    url: `http://127.0.0.1:${port}/graphql`,
    port,
    typeDefs: document,
    calls,
    get aborted() {
      return calls.filter((call) => call.aborted).length;
    },
    retryAfter: '1',
    async setMode(mode) {
      standing = mode;
      if (mode === 'refuse') await close();
      else if (!server.listening) await listen(port);
    },
    queue(...modes) {
      queued.push(...modes);
    },
    stop: close,
  };
  return fake;
}

/** The supergraph of some fake subgraphs, composed in-process the way platform/compose.ts does. */
export function composeFakes(fakes: FakeSubgraph[]): string {
  const result = composeServices(fakes.map((fake) => ({ name: fake.name, url: fake.url, typeDefs: fake.typeDefs })));
  if (result.errors) throw new Error(result.errors.map((error) => error.message).join('\n'));
  return result.supergraphSdl;
}
