import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { Express } from 'express';
import type { Registry } from 'prom-client';
import { parse, type DocumentNode } from 'graphql';
import { enforceAuthDirectives, subgraphCaller, type Viewer } from './auth/index.ts';
import type { Db } from './db/db.ts';
import { migrate } from './db/migrate.ts';
import { openEntityCache } from './entity-cache.ts';
import { EVENTS_MIGRATIONS, PostgresOutbox, createRelay, nudgeAfterMutations, type EventBus, type Outbox } from './events/index.ts';
import { Projection, type EventConsumer, type Locate } from './events/projection.ts';
import { snapshotRoute, type SnapshotSource } from './events/snapshot.ts';
import { formatError } from './format-error.ts';
import { serve, type RunningService } from './http.ts';
import { Loaders } from './loaders.ts';
import { logger } from './logger.ts';
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
  createStores(db: Db): Stores | Promise<Stores>;
  resolvers: Resolvers<Stores>;
  /** HTTP routes beside GraphQL, e.g. the users subgraph's JWKS. */
  routes?: (app: Express, stores: Stores) => void;
  /** Releases what the stores hold beyond the database (e.g. a Redis connection). */
  close?: (stores: Stores) => Promise<void>;
  /** Derived subgraphs: the store they build from the owners' domain events. */
  consumer?: EventConsumer<Stores>;
  /** Owners: their aggregates, served in full as events (GET /events/snapshot) for rebuilding derived stores. */
  snapshots?: (stores: Stores) => SnapshotSource[];
  /** Where the stores record their events, when not the schema's outbox table (null: that table; resumes on MongoDB). */
  outbox?: (stores: Stores) => Outbox | null;
  /**
   * The state of systems outside Looma the subgraph talks to (the integrations subgraph's
   * Zervigo services), shown in /health/ready and the gateway's /health/subgraphs. It never
   * makes the subgraph unready: those systems being down must not take Looma down.
   */
  external?: (stores: Stores) => unknown;
  /** Registers the subgraph's own metrics on its registry (served at /metrics with the runtime's). */
  metrics?: (stores: Stores, registry: Registry) => void;
  /** Whether the stores beyond the database answer (the database is always checked). */
  ready?: (stores: Stores) => Promise<boolean>;
  /**
   * Aggregate types whose lookups by id (`ctx.loaders.entities`) go through the shared entity
   * cache when REDIS_URL is set; their domain events invalidate it (platform/entity-cache.ts).
   */
  cachedEntities?: readonly string[];
}

export function loadTypeDefs(directory: string): DocumentNode {
  return parse(readFileSync(join(directory, 'schema.graphql'), 'utf8'));
}

/** Migrates a subgraph's schema: the platform's tables (outbox, inbox, …), then its own from `directory`/migrations. */
export async function migrateSubgraph(db: Db, directory: string): Promise<void> {
  await migrate(db, EVENTS_MIGRATIONS, 'platform_migrations');
  await migrate(db, join(directory, 'migrations'));
}

/** Migrates the subgraph's schema and returns its stores. */
export async function prepareStores<Stores>(definition: SubgraphDefinition<Stores>, db: Db): Promise<Stores> {
  await migrateSubgraph(db, definition.directory);
  return await definition.createStores(db);
}

export interface RunningSubgraphService<Stores> extends RunningService {
  /** Starts publishing the outbox. The runner calls it once every consumer has subscribed, so none misses an event. */
  publish(): void;
  /** Drains its HTTP requests only (the first step of stop()). */
  stopRequests(graceMs?: number): Promise<void>;
  /** Stops relaying its outbox; what is left there is published at the next start. */
  stopPublishing(): Promise<void>;
  /** The consumer's runtime, for subgraphs that declare one. */
  projection?: Projection<Stores>;
}

export async function startSubgraph<Stores>(
  definition: SubgraphDefinition<Stores>,
  options: {
    db: Db;
    stores: Stores;
    port: number;
    host: string;
    /** Where this subgraph's outbox is published and its consumer subscribes; without one, events wait in the outbox. */
    bus?: EventBus;
    /** Where the other subgraphs answer: a consumer reads the owners' snapshots there. */
    locate?: Locate;
    /** The entity cache's Redis (REDIS_URL by default), key prefix and lifetimes; tests give each run its own prefix. */
    cache?: { url?: string; prefix?: string; ttlSeconds?: number; guardSeconds?: number };
  },
): Promise<RunningSubgraphService<Stores>> {
  const registry = createRegistry(definition.name);
  const stopDbMetrics = registerDbMetrics(registry, options.db);
  definition.metrics?.(options.stores, registry);
  const outbox = definition.outbox?.(options.stores) ?? new PostgresOutbox(options.db, definition.name);
  const relay = options.bus && createRelay(outbox, definition.name, options.bus, registry);
  const projection = definition.consumer && options.locate && new Projection(definition.consumer, options.db, options.stores, options.locate);
  if (projection && options.bus) await projection.subscribe(options.bus, registry);
  const cache = openEntityCache(definition.cachedEntities, { ...options.cache, subgraph: definition.name, registry });
  // Subscribed before the relay starts (publish()), like the consumers: no event of ours goes by unseen.
  const invalidation = cache && options.bus && (await cache.invalidateOn(options.bus, definition.cachedEntities ?? []));
  const apollo = new ApolloServer<SubgraphContext<Stores>>({
    schema: enforceAuthDirectives(
      buildSubgraphSchema({
        typeDefs: loadTypeDefs(definition.directory),
        resolvers: definition.resolvers as GraphQLResolverMap<unknown>,
      }),
    ),
    // Subgraphs are reached by the gateway only; people explore through the gateway's Sandbox.
    // No cache hints are declared or read (the gateway caches anonymous answers whole), and the
    // cache-control plugin would wrap every field resolver to compute them.
    plugins: [
      graphqlMetricsPlugin(registry),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      ...(relay ? [nudgeAfterMutations(relay)] : []),
    ],
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
    routes: (app) => {
      definition.routes?.(app, options.stores);
      if (definition.snapshots) snapshotRoute(app, definition.name, definition.snapshots(options.stores), outbox);
      projection?.route(app);
    },
    ready: async () => (await options.db.ping()) && (await (definition.ready?.(options.stores) ?? true)),
    ...(definition.external ? { external: () => definition.external!(options.stores) } : {}),
    context: async (request) => ({
      viewer: await subgraphCaller(request.headers.authorization),
      loaders: new Loaders(cache),
      stores: options.stores,
    }),
  });
  if (projection) projection.startBootstrap();
  let stopped: Promise<void> | undefined;
  return {
    ...service,
    projection,
    publish: () => relay?.start(),
    stopRequests: (graceMs) => service.stop(graceMs),
    stopPublishing: async () => relay?.stop(),
    stop(graceMs) {
      // Requests first (they drain), then what runs beside them: an event committed meanwhile waits in the outbox.
      stopped ??= (async () => {
        await service.stop(graceMs);
        await projection?.stop();
        await relay?.stop();
        await invalidation?.stop();
        await cache?.close();
        stopDbMetrics();
        if (definition.close) {
          await definition.close(options.stores);
          logger.info({ service: definition.name }, 'store clients closed');
        }
      })();
      return stopped;
    },
  };
}
