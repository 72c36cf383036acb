/**
 * Runs one service alone, as production does: `tsx scripts/serve.ts <subgraph>|gateway`.
 * A subgraph uses PostgreSQL when its DATABASE_URL is set, else its own PGlite under DATA_DIR.
 * The gateway serves schema/supergraph.graphql (or SUPERGRAPH_PATH), reloading it when it changes, reaching each subgraph
 * at `<NAME>_URL` or the routing_url in supergraph.yaml.
 */
import { resolve } from 'node:path';
import { config, oneSubgraphUrl, subgraphUrlOverride } from '../platform/config.ts';
import { openDatabase } from '../platform/db/open.ts';
import { numberFromEnv } from '../platform/env-number.ts';
import { createEventBus } from '../platform/events/index.ts';
import type { RunningService } from '../platform/http.ts';
import { logger } from '../platform/logger.ts';
import { exitOnSignalsDuringStartup, exitOnTerminationSignals, type ShutdownStep } from '../platform/shutdown.ts';
import { loadRegistry, ROOT } from '../platform/registry.ts';
import { prepareStores, startSubgraph } from '../platform/subgraph.ts';
import { startGateway } from '../gateway/gateway.ts';
import { definitions } from '../subgraphs/index.ts';

const startingUp = exitOnSignalsDuringStartup();
const name = process.argv[2] ?? '';
const registry = loadRegistry();
const port = process.env.PORT ? numberFromEnv(process.env, 'PORT', 0, { whole: true }) : undefined;

/** The service, and what to close after it on shutdown, in order. */
async function startOne(): Promise<{ service: RunningService; closeAfter: ShutdownStep[] }> {
  if (name === 'gateway') {
    // Watched: a new supergraph written there is served without a restart (gateway/supergraph-source.ts).
    const supergraphPath = resolve(ROOT, process.env.SUPERGRAPH_PATH ?? 'schema/supergraph.graphql');
    const urls = Object.fromEntries(registry.subgraphs.map((s) => [s.name, subgraphUrlOverride(s.name)]));
    const usersUrl = oneSubgraphUrl('users') ?? registry.subgraphs.find((s) => s.name === 'users')?.routingUrl;
    if (!usersUrl) throw new Error('The gateway needs the users subgraph (USERS_URL or supergraph.yaml): it verifies tokens with its keys');
    // Alone, the gateway hears domain events only through Redis; without, it caches no answers.
    const events = config.redisUrl ? createEventBus() : undefined;
    const service = await startGateway({ supergraphPath, urls, host: config.host, port: port ?? config.gatewayPort, usersUrl, bus: events?.bus });
    return { service, closeAfter: events ? [{ name: 'event bus (Redis)', close: events.close }] : [] };
  }
  const definition = definitions.find((d) => d.name === name);
  const entry = registry.subgraphs.find((s) => s.name === name);
  if (!definition || !entry) {
    throw new Error(`Unknown service "${name}". Choose gateway or one of: ${registry.subgraphs.map((s) => s.name).join(', ')}`);
  }
  const database = await openDatabase(name);
  const { db } = database;
  const stores = await prepareStores(definition, db);
  // Alone, this process has no consumers of its own: events go out only through Redis.
  const events = createEventBus();
  if (!events.shared) logger.warn({ service: name }, 'no REDIS_URL: domain events wait in the outbox until one is set');
  const bus = events.shared ? events.bus : undefined;
  const locate = (other: string) => {
    const url = oneSubgraphUrl(other) ?? registry.subgraphs.find((s) => s.name === other)?.routingUrl;
    if (!url) throw new Error(`${other} is not in supergraph.yaml and ${other.toUpperCase()}_URL is not set`);
    return url;
  };
  const service = await startSubgraph(definition, { db, stores, host: config.host, port: port ?? entry.port, bus, locate });
  service.publish();
  return {
    service,
    closeAfter: [
      { name: events.shared ? 'event bus (Redis)' : 'event bus', close: events.close },
      { name: `${db.backend === 'pglite' ? 'embedded PGlite' : 'PostgreSQL pool'} of ${name}`, close: database.close },
    ],
  };
}

const { service, closeAfter } = await startOne().catch((error: unknown) => {
  logger.fatal({ err: error }, 'start-up failed');
  process.exit(1);
});
startingUp();
// Requests first (drained within SHUTDOWN_GRACE_MS), then the bus, then the store they wrote to.
exitOnTerminationSignals([{ name: `${service.name} service`, close: () => service.stop() }, ...closeAfter]);
