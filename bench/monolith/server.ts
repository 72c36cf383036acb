import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { composeRegistry } from '../../platform/compose.ts';
import { formatError } from '../../platform/format-error.ts';
import { serve, type RunningService } from '../../platform/http.ts';
import { createRegistry, graphqlMetricsPlugin } from '../../platform/metrics.ts';
import { loadRegistry } from '../../platform/registry.ts';
import type { SubgraphDefinition } from '../../platform/subgraph.ts';
import { definitions as allDefinitions } from '../../subgraphs/index.ts';
import type { Stores as UsersStores } from '../../subgraphs/users/index.ts';
import { monolithCaller } from './caller.ts';
import { MonolithRequest } from './request.ts';
import { monolithSchema } from './schema.ts';

export interface MonolithOptions {
  /** Each subgraph's stores by subgraph name: those of a running supergraph (`beforeServe`, or `subgraphs[name].stores`). */
  stores: ReadonlyMap<string, unknown>;
  port: number;
  host: string;
  /** The supergraph whose API schema is served; composed from supergraph.yaml, as the runner does, by default. */
  supergraphSdl?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each subgraph has its own store type
  definitions?: readonly SubgraphDefinition<any>[];
}

function composedSupergraph(): string {
  const composed = composeRegistry(loadRegistry());
  if (!composed.ok) throw new Error(composed.errors.join('\n'));
  return composed.supergraphSdl;
}

/**
 * The benchmark's monolith baseline (issue 11): the same resolvers over the same stores, served
 * as one schema by one Apollo Server in this process, without federation: no query plan, no
 * subgraph HTTP calls, no gateway credential. The HTTP stack is the services' own (platform/http.ts)
 * and errors are formatted as everywhere else. It answers on `url` (…/graphql).
 */
export async function startMonolith(options: MonolithOptions): Promise<RunningService> {
  const definitions = (options.definitions ?? allDefinitions).filter((definition) => options.stores.has(definition.name));
  const users = options.stores.get('users') as UsersStores | undefined;
  if (!users) throw new Error('The monolith verifies tokens with the users subgraph\'s keys and sessions: give it the users stores');
  const callerOf = monolithCaller(users);
  const registry = createRegistry('monolith');
  const apollo = new ApolloServer<MonolithRequest>({
    schema: monolithSchema(options.supergraphSdl ?? composedSupergraph(), definitions),
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // Whoever starts it owns shutdown (stop()).
    stopOnTerminationSignals: false,
    formatError,
    // As the subgraphs run (platform/subgraph.ts): no cache hints computed per field.
    plugins: [graphqlMetricsPlugin(registry), ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled()],
  });
  return serve({
    name: 'monolith',
    host: options.host,
    port: options.port,
    apollo,
    paths: ['/graphql'],
    registry,
    ready: async () => true,
    // A bad credential fails the request with 401 before any resolver runs, as at the gateway.
    context: async (request) => new MonolithRequest(await callerOf(request), options.stores),
  });
}
