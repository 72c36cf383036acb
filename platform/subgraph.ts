import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { Express } from 'express';
import { parse, type DocumentNode } from 'graphql';
import { enforceAuthDirectives, subgraphCaller, type Viewer } from './auth/index.ts';
import type { Db } from './db/db.ts';
import { migrate } from './db/migrate.ts';
import { EVENTS_MIGRATIONS, startRelay, type EventBus } from './events/index.ts';
import { formatError } from './format-error.ts';
import { serve, type RunningService } from './http.ts';
import { Loaders } from './loaders.ts';
import { createRegistry, graphqlMetricsPlugin, registerDbMetrics } from './metrics.ts';

export interface SubgraphContext<Stores> {
  viewer: Viewer | null;
  loaders: Loaders;
  stores: Stores;
}

export type Resolvers<Stores> = GraphQLResolverMap<SubgraphContext<Stores>>;

/** Everything a domain provides; the runtime does the rest. */
export interface SubgraphDefinition<Stores> {
  name: string;
  /** The folder holding `schema.graphql` and `migrations/`. */
  directory: string;
  createStores(db: Db): Stores;
  resolvers: Resolvers<Stores>;
  /** HTTP routes beside GraphQL, e.g. the users subgraph's JWKS. */
  routes?: (app: Express, stores: Stores) => void;
  /** Releases what the stores hold beyond the database (e.g. a Redis connection). */
  close?: (stores: Stores) => Promise<void>;
}

export function loadTypeDefs(directory: string): DocumentNode {
  return parse(readFileSync(join(directory, 'schema.graphql'), 'utf8'));
}

/** Migrates the subgraph's schema (the platform's outbox and inbox, then its own tables) and returns its stores. */
export async function prepareStores<Stores>(definition: SubgraphDefinition<Stores>, db: Db): Promise<Stores> {
  await migrate(db, EVENTS_MIGRATIONS, 'platform_migrations');
  await migrate(db, join(definition.directory, 'migrations'));
  return definition.createStores(db);
}

export async function startSubgraph<Stores>(
  definition: SubgraphDefinition<Stores>,
  /** `bus`: where this subgraph's outbox is published; without one its events wait in the outbox. */
  options: { db: Db; stores: Stores; port: number; host: string; bus?: EventBus },
): Promise<RunningService> {
  const registry = createRegistry(definition.name);
  registerDbMetrics(registry, options.db);
  const relay = options.bus && startRelay(options.db, definition.name, options.bus, registry);
  const apollo = new ApolloServer<SubgraphContext<Stores>>({
    schema: enforceAuthDirectives(
      buildSubgraphSchema({
        typeDefs: loadTypeDefs(definition.directory),
        resolvers: definition.resolvers as GraphQLResolverMap<unknown>,
      }),
    ),
    // Subgraphs are reached by the gateway only; people explore through the gateway's Sandbox.
    plugins: [graphqlMetricsPlugin(registry), ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled()],
    includeStacktraceInErrorResponses: false,
    // The process owns shutdown (scripts/start.ts, scripts/serve.ts): one ordered stop, not one per server.
    stopOnTerminationSignals: false,
    formatError,
  });
  const service = await serve({
    name: definition.name,
    host: options.host,
    port: options.port,
    apollo,
    paths: ['/graphql'],
    registry,
    routes: definition.routes && ((app) => definition.routes!(app, options.stores)),
    ready: () => options.db.ping(),
    context: async (request) => ({
      viewer: await subgraphCaller(request.headers.authorization),
      loaders: new Loaders(),
      stores: options.stores,
    }),
  });
  return {
    ...service,
    async stop() {
      await relay?.stop();
      await service.stop();
      await definition.close?.(options.stores);
    },
  };
}
