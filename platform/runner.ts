import { config } from './config.ts';
import type { Db } from './db/db.ts';
import type { EmbeddedPostgres } from './db/pglite.ts';
import { openDatabase } from './db/open.ts';
import { composeRegistry } from './compose.ts';
import type { RunningService } from './http.ts';
import { loadRegistry, type Registry } from './registry.ts';
import { prepareStores, startSubgraph, type RunningSubgraphService, type SubgraphDefinition } from './subgraph.ts';
import { startGateway } from '../gateway/gateway.ts';
import { logger } from './logger.ts';
import { createEventBus, type EventBus } from './events/index.ts';

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
}

/**
 * Starts every subgraph named in supergraph.yaml, in its order, then the gateway over the
 * supergraph composed from the same files. Used by `npm start` and by the end-to-end tests.
 */
export async function startSupergraph(options: SupergraphOptions): Promise<RunningSupergraph> {
  const registry = options.registry ?? loadRegistry();
  const host = options.host ?? config.host;
  const ephemeral = options.ports === 'ephemeral';
  const closers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const close of closers.reverse()) await close().catch((error) => logger.error({ err: error }, 'shutdown step failed'));
  };
  try {
    const prepared = [];
    for (const entry of registry.subgraphs) {
      const definition = options.definitions.find((candidate) => candidate.name === entry.name);
      if (!definition) throw new Error(`supergraph.yaml names ${entry.name}, but no subgraph definition has that name`);
      let db: Db;
      if (options.databaseFor) db = await options.databaseFor(entry.name);
      else {
        const opened = await openDatabase(entry.name, options.embedded);
        closers.push(opened.close);
        db = opened.db;
      }
      prepared.push({ entry, definition, db, stores: await prepareStores(definition, db) });
    }
    await options.beforeServe?.(new Map(prepared.map((p) => [p.entry.name, p.stores])));

    // One bus for the process: in-process for `npm start`, Redis Streams with REDIS_URL.
    const events = createEventBus();
    closers.push(events.close);
    const subgraphs = new Map<string, RunningSubgraph>();
    const locate = (name: string) => {
      const running = subgraphs.get(name);
      if (!running) throw new Error(`No subgraph named ${name} is running`);
      return running.service.url;
    };
    for (const { entry, definition, db, stores } of prepared) {
      const service = await startSubgraph(definition, { db, stores, host, port: ephemeral ? 0 : entry.port, bus: events.bus, locate });
      closers.push(() => service.stop());
      subgraphs.set(entry.name, { service, db, stores });
    }
    // Only now that every consumer has subscribed: an in-process bus hands an event to the
    // consumers subscribed when it is published, and no later one.
    for (const { service } of subgraphs.values()) service.publish();

    const composed = composeRegistry(registry);
    if (!composed.ok) throw new Error(`Composition failed:\n${composed.errors.join('\n')}`);
    const gateway = await startGateway({
      supergraphSdl: composed.supergraphSdl,
      urls: Object.fromEntries([...subgraphs].map(([name, running]) => [name, running.service.url])),
      host,
      port: ephemeral ? 0 : config.gatewayPort,
      usersUrl: requireUsers(subgraphs).service.url,
    });
    closers.push(() => gateway.stop());
    const built = async () => {
      for (const { service } of subgraphs.values()) await service.projection?.built();
    };
    return { gateway, subgraphs, bus: events.bus, built, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The gateway verifies tokens with the users subgraph's keys, so a supergraph needs one. */
function requireUsers(subgraphs: Map<string, RunningSubgraph>): RunningSubgraph {
  const users = subgraphs.get('users');
  if (!users) throw new Error('supergraph.yaml must name a users subgraph: the gateway verifies tokens with its keys');
  return users;
}
