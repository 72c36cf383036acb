import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault, ApolloServerPluginLandingPageProductionDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { Counter, type Registry } from 'prom-client';
import { viewerFromAuthorization } from '../platform/auth.ts';
import { isProduction } from '../platform/config.ts';
import { formatError } from '../platform/format-error.ts';
import { serve, type RunningService } from '../platform/http.ts';
import { createRegistry, graphqlMetricsPlugin } from '../platform/metrics.ts';

export interface GatewayContext {
  authorization?: string;
}

/** Counts every fetch the gateway makes to a subgraph, by subgraph. */
function subgraphFetchCounter(registry: Registry): Counter<'subgraph'> {
  return new Counter({
    name: 'gateway_subgraph_requests_total',
    help: 'Requests the gateway sent to each subgraph',
    labelNames: ['subgraph'],
    registers: [registry],
  });
}

/**
 * The Apollo gateway over a composed supergraph. `urls` overrides the routing URLs baked into
 * the supergraph (ephemeral ports in tests, service hostnames in docker-compose).
 */
export function createGateway(options: {
  supergraphSdl: string;
  urls: Record<string, string | undefined>;
  registry: Registry;
  /** Production turns introspection and the Sandbox landing page off. */
  production?: boolean;
}): ApolloServer<GatewayContext> {
  const production = options.production ?? isProduction;
  const fetches = subgraphFetchCounter(options.registry);
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource<GatewayContext>({
        url: options.urls[name] ?? url,
        willSendRequest({ request, context }) {
          fetches.inc({ subgraph: name });
          if (context.authorization) request.http?.headers.set('authorization', context.authorization);
        },
      }),
  });
  return new ApolloServer<GatewayContext>({
    gateway,
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    // The process owns shutdown (scripts/start.ts, scripts/serve.ts): one ordered stop, not one per server.
    stopOnTerminationSignals: false,
    formatError,
    plugins: [
      graphqlMetricsPlugin(options.registry),
      production
        ? ApolloServerPluginLandingPageProductionDefault({ footer: false })
        : ApolloServerPluginLandingPageLocalDefault({ footer: false, embed: true }),
    ],
  });
}

/** The gateway as an HTTP service: GraphQL and Sandbox on / and /graphql, plus health and metrics. */
export function startGateway(options: {
  supergraphSdl: string;
  urls: Record<string, string | undefined>;
  host: string;
  port: number;
  production?: boolean;
}): Promise<RunningService> {
  const registry = createRegistry('gateway');
  return serve({
    name: 'gateway',
    host: options.host,
    port: options.port,
    apollo: createGateway({ ...options, registry }),
    paths: ['/', '/graphql'],
    registry,
    ready: async () => true,
    context: async (request) => {
      // Reject a bad token at the edge with 401 rather than let every subgraph fail on it.
      await viewerFromAuthorization(request.headers.authorization);
      return { authorization: request.headers.authorization };
    },
  });
}
