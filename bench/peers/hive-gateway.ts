/**
 * Hive Gateway's JavaScript runtime (npm @graphql-hive/gateway, a dev dependency) as the benchmark's
 * peer gateway: the same composed supergraph over the same running subgraphs as Looma's gateway,
 * in this process, so the harness (bench/harness) can load both with the same operations.
 *
 * Like for like: Hive does the auth work Looma's gateway does (bench/peers/hive-credential.ts), and
 * keeps its own defaults otherwise (request ids, error masking, the subgraph error plugin, GraphiQL
 * and its landing page on GET, deduplication of identical in-flight subgraph queries); nothing
 * Looma's gateway does not do by default is turned on (no response cache, no compression, no
 * inbound request deduplication, no usage reporting).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loomaCredentialPlugin } from './hive-credential.ts';
import { createHiveRuntime } from './hive-runtime.ts';

export interface HiveGatewayOptions {
  supergraphSdl: string;
  /** Each subgraph's URL by its name in the supergraph (`@join__graph(name:)`), over the routing URLs baked into it. */
  urls: Record<string, string>;
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** Hive's deduplication of identical in-flight subgraph queries (its default, true); Looma's gateway has none. */
  deduplicateInflightRequests?: boolean;
}

export interface RunningHiveGateway {
  /** The GraphQL endpoint. */
  url: string;
  stop(): Promise<void>;
}

/** The subgraph names a composed supergraph routes to. */
function subgraphNames(supergraphSdl: string): string[] {
  return [...supergraphSdl.matchAll(/@join__graph\(name: "([^"]+)"/g)].map((match) => match[1]!);
}

export async function startHiveGateway(options: HiveGatewayOptions): Promise<RunningHiveGateway> {
  // Every subgraph must be overridden: a routing URL left from the file could reach another stack's ports.
  const names = subgraphNames(options.supergraphSdl);
  const missing = names.filter((name) => !options.urls[name]);
  if (missing.length) throw new Error(`No URL for the subgraphs ${missing.join(', ')}`);
  const usersUrl = options.urls.users;
  if (!usersUrl) throw new Error('The supergraph must name a users subgraph: tokens are verified with its keys');

  const gateway = await createHiveRuntime({
    supergraph: options.supergraphSdl,
    transportEntries: {
      ...Object.fromEntries(names.map((name) => [name, { location: options.urls[name] }])),
      '*.http': { options: { deduplicateInflightRequests: options.deduplicateInflightRequests ?? true } },
    },
    // Warnings and errors only: Looma's gateway logs no line per request at the bench's LOG_LEVEL=warn either.
    logging: 'warn',
    plugins: () => [loomaCredentialPlugin({ usersUrl })],
  });
  // Loads and plans the supergraph now, so the first measured request does not pay for it.
  await gateway.getSchema();

  const server = createServer(gateway);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let stopped: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}/graphql`,
    stop: () =>
      (stopped ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await gateway.dispose();
      })()),
  };
}
