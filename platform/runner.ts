import { config, databaseUrlFor, subgraphPortOverride } from './config.ts';
import type { Db } from './db/db.ts';
import type { EmbeddedPostgres } from './db/pglite.ts';
import { openDatabase } from './db/open.ts';
import { composeRegistry } from './compose.ts';
import type { RunningService } from './http.ts';
import { loadRegistry, type Registry } from './registry.ts';
import { migrateSubgraph, startSubgraph, type RunningSubgraphService, type SubgraphDefinition } from './subgraph.ts';
import { startGateway } from '../gateway/gateway.ts';
import { logger } from './logger.ts';
import { createEventBus, type EventBus } from './events/index.ts';
import { step } from './startup/failure.ts';
import { startupOrder } from './startup/order.ts';
import { waitUntilReady } from './startup/readiness.ts';
import type { ZervigoConfig } from './zervigo-client.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each subgraph has its own store type
type AnyDefinition = SubgraphDefinition<any>;

export interface RunningSubgraph {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each subgraph has its own store type
  service: RunningSubgraphService<any>;
  db: Db;
  stores: unknown;
}

export interface RunningSupergraph {
  gateway: RunningService;
  /** Consumers (derived subgraphs, tests) subscribe here. */
  bus: EventBus;
  subgraphs: Map<string, RunningSubgraph>;
  /** Resolves once every derived store that was never built has been built from the owners. */
  built(): Promise<void>;
  stop(): Promise<void>;
}

export interface SupergraphOptions {
  definitions: readonly AnyDefinition[];
  registry?: Registry;
  /** One embedded instance for every subgraph without a DATABASE_URL. */
  embedded?: EmbeddedPostgres;
  /** Tests pass their own databases (fresh schemas); otherwise openDatabase decides. */
  databaseFor?: (name: string) => Promise<Db>;
  /** `ephemeral` binds every service to a free port (tests). */
  ports?: 'registry' | 'ephemeral';
  host?: string;
  /** Runs after every subgraph's stores are migrated and before anything listens. */
  beforeServe?: (stores: Map<string, unknown>) => Promise<void>;
  /** How long each service may take to answer /health/ready (and a database to answer); STARTUP_TIMEOUT_MS by default. */
  startupTimeoutMs?: number;
  /** Where Zervigo is, for the gateway's Zervigo tokens; the environment's (ZERVIGO_*) by default. */
  zervigo?: ZervigoConfig;
}

/**
 * Starts every subgraph named in supergraph.yaml, in its order (a derived subgraph after the
 * owners it reads: platform/startup/order.ts), then the gateway over the supergraph composed
 * from the same files; each service answers /health/ready before the next one starts. A step
 * that fails stops what had started and rejects with a StartupFailure naming the service and
 * the cause. Used by `npm start` and by the end-to-end tests.
 */
export async function startSupergraph(options: SupergraphOptions): Promise<RunningSupergraph> {
  const registry = options.registry ?? loadRegistry();
  const host = options.host ?? config.host;
  const ephemeral = options.ports === 'ephemeral';
  const timeoutMs = options.startupTimeoutMs ?? config.startupTimeoutMs;
  const closers: (() => Promise<void>)[] = [];
  const subgraphs = new Map<string, RunningSubgraph>();
  let gateway: RunningService | undefined;
  let stopping: Promise<void> | undefined;
  const logFailure = (error: unknown) => logger.error({ err: error }, 'shutdown step failed');
  // Requests end first everywhere (the gateway, then each subgraph in reverse start order); then
  // every relay stops while every consumer still listens, so no event is handed to an in-process
  // bus nobody hears any more; then the rest closes in reverse start order.
  const stop = () =>
    (stopping ??= (async () => {
      await gateway?.stop().catch(logFailure);
      const running = [...subgraphs.values()].map(({ service }) => service).reverse();
      for (const service of running) await service.stopRequests().catch(logFailure);
      for (const service of running) await service.stopPublishing().catch(logFailure);
      for (const close of [...closers].reverse()) await close().catch(logFailure);
    })());
  try {
    const ordered = await step(undefined, 'order', async () => startupOrder(registry.subgraphs, options.definitions));
    const prepared: { entry: (typeof ordered)[number]; definition: AnyDefinition; db: Db; stores: unknown }[] = [];
    for (const entry of ordered) {
      const { name } = entry;
      const definition = options.definitions.find((candidate) => candidate.name === name)!;
      let db: Db;
      if (options.databaseFor) db = await step(name, 'database', () => options.databaseFor!(name));
      else {
        const databaseUrl = databaseUrlFor(name);
        const opened = await step(name, 'database', () => within(timeoutMs, openDatabase(name, options.embedded)), { databaseUrl });
        closers.push(opened.close);
        db = opened.db;
      }
      await step(name, 'migrate', () => migrateSubgraph(db, definition.directory));
      prepared.push({ entry, definition, db, stores: await step(name, 'stores', async () => definition.createStores(db)) });
    }
    const beforeServe = options.beforeServe;
    if (beforeServe) await step(undefined, 'demo', () => beforeServe(new Map(prepared.map((p) => [p.entry.name, p.stores]))));

    // One bus for the process: in-process for `npm start`, Redis Streams with REDIS_URL.
    const events = createEventBus();
    closers.push(events.close);
    const locate = (name: string) => {
      const running = subgraphs.get(name);
      if (!running) throw new Error(`No subgraph named ${name} is running`);
      return running.service.url;
    };
    for (const { entry, definition, db, stores } of prepared) {
      const port = subgraphPortOverride(entry.name) ?? (ephemeral ? 0 : entry.port);
      const started = Date.now();
      const service = await step(entry.name, 'listen', () => startSubgraph(definition, { db, stores, host, port, bus: events.bus, locate }), { port });
      closers.push(() => service.stop());
      subgraphs.set(entry.name, { service, db, stores });
      await awaitReady(entry.name, service.url, started, timeoutMs);
    }
    // Only now that every consumer has subscribed: an in-process bus hands an event to the
    // consumers subscribed when it is published, and no later one.
    for (const { service } of subgraphs.values()) service.publish();

    const composed = await step('gateway', 'compose', async () => {
      const result = composeRegistry(registry);
      if (!result.ok) throw new Error(result.errors.join('\n'));
      return result;
    });
    const usersUrl = requireUsers(subgraphs).service.url;
    const gatewayPort = ephemeral ? 0 : config.gatewayPort;
    const gatewayStarted = Date.now();
    const started = await step(
      'gateway',
      'listen',
      () =>
        startGateway({
          supergraphSdl: composed.supergraphSdl,
          urls: Object.fromEntries([...subgraphs].map(([name, running]) => [name, running.service.url])),
          host,
          port: gatewayPort,
          usersUrl,
          zervigo: options.zervigo,
          // Last to subscribe: the in-process bus hands it each event after every subgraph's consumer.
          bus: events.bus,
        }),
      { port: gatewayPort },
    );
    gateway = started;
    await awaitReady('gateway', started.url, gatewayStarted, timeoutMs);
    const built = async () => {
      for (const { service } of subgraphs.values()) await service.projection?.built();
    };
    return { gateway: started, subgraphs, bus: events.bus, built, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Waits for a service's /health/ready, logging how long it took from the start of its start-up. */
async function awaitReady(service: string, url: string, started: number, timeoutMs: number): Promise<void> {
  await step(service, 'ready', () => waitUntilReady(url, timeoutMs));
  const ms = Date.now() - started;
  logger.info({ service, ms }, `${service} ready in ${ms} ms`);
}

/** Rejects when `work` has not settled within `ms`: a database behind a firewall never answers, it does not refuse. */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms} ms`), { name: 'TimeoutError' })), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The gateway verifies tokens with the users subgraph's keys, so a supergraph needs one. */
function requireUsers(subgraphs: Map<string, RunningSubgraph>): RunningSubgraph {
  const users = subgraphs.get('users');
  if (!users) throw new Error('supergraph.yaml must name a users subgraph: the gateway verifies tokens with its keys');
  return users;
}
