import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault, ApolloServerPluginLandingPageProductionDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { Counter, type Registry } from 'prom-client';
import { isProduction } from '../platform/config.ts';
import { formatError } from '../platform/format-error.ts';
import { graphqlMetricsPlugin } from '../platform/metrics.ts';

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
}): ApolloServer<GatewayContext> {
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
    introspection: !isProduction,
    includeStacktraceInErrorResponses: false,
    formatError,
    plugins: [
      graphqlMetricsPlugin(options.registry),
      isProduction
        ? ApolloServerPluginLandingPageProductionDefault({ footer: false })
        : ApolloServerPluginLandingPageLocalDefault({ footer: false, embed: true }),
    ],
  });
}
