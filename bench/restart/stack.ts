import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import pg from 'pg';
import { loadDemoData } from '../../demo/load.ts';
import { openPostgres } from '../../platform/db/postgres.ts';
import { loadRegistry } from '../../platform/registry.ts';
import { prepareStores } from '../../platform/subgraph.ts';
import { domains } from '../../subgraphs/index.ts';
import { parseMetrics } from '../../test/support/metrics.ts';
import { ServiceProcess } from './service-process.ts';

export interface StackOptions {
  /** The subgraph run as replicas. */
  replicated: string;
  replicas: number;
  /** A connection whose role may create and drop databases: the bench makes its own and drops it. */
  postgresAdminUrl: string;
  database: string;
  /** A Redis database number that must be empty: its keys are flushed at the end. */
  redisUrl: string;
  redisDb: number;
  logLevel: string;
}

/**
 * The supergraph the production way, one process per service (scripts/serve.ts) on loopback, on a
 * PostgreSQL database and a Redis database of its own that are removed again by `close()`. One
 * subgraph runs as several replicas, which the gateway gets as a comma-separated `<NAME>_URL`.
 */
export class Stack {
  readonly logDir = mkdtempSync(join(tmpdir(), 'looma-restart-bench-'));
  private readonly processes: ServiceProcess[] = [];
  private readonly cleanups: (() => Promise<void>)[] = [];
  private closing?: Promise<void>;

  constructor(
    private readonly options: StackOptions,
    private readonly say: (line: string) => void,
  ) {}

  /**
   * Creates the databases, loads the demo dataset and starts every service, waiting for each to be
   * ready; answers the gateway and the replicated subgraph's processes (in the order of its `<NAME>_URL`).
   */
  async start(): Promise<{ gateway: ServiceProcess; replicas: ServiceProcess[] }> {
    const { options, say } = this;
    const registry = loadRegistry();
    if (!registry.subgraphs.some((subgraph) => subgraph.name === options.replicated)) throw new Error(`No subgraph named ${options.replicated} in supergraph.yaml`);
    const databaseUrl = await createDatabase(options, this.cleanups);
    this.checkOpen();
    const redisUrl = await claimRedisDb(options, this.cleanups);
    this.checkOpen();
    // Cleanups run last first: the processes stop before their database and Redis go.
    this.cleanups.push(async () => void (await Promise.all(this.processes.map((service) => service.retire()))));
    const vectorAvailable = await hasExtension(databaseUrl, 'vector');

    say('migrating the owners and loading the demo dataset');
    await loadDemo(databaseUrl);
    this.checkOpen();

    const base: Record<string, string | undefined> = {
      ...process.env,
      NODE_ENV: 'production',
      GATEWAY_SECRET: randomBytes(32).toString('hex'),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      LOG_LEVEL: options.logLevel,
    };
    const definitions = new Map(domains.map(({ definition }) => [definition.name, definition]));
    // Every port is chosen up front: each subgraph is told where the others are, and a replica comes back on its own.
    const counts = registry.subgraphs.map(({ name }) => [name, name === options.replicated ? options.replicas : 1] as const);
    const free = await freePorts(counts.reduce((total, [, count]) => total + count, 1));
    const ports = new Map(counts.map(([name, count]) => [name, free.splice(0, count)]));
    const graphqlUrl = (port: number) => `http://127.0.0.1:${port}/graphql`;
    // Each subgraph finds the others at their first replica; the gateway balances over all of them.
    const firstUrls = Object.fromEntries([...ports].map(([name, list]) => [`${name.toUpperCase()}_URL`, graphqlUrl(list[0]!)]));
    const allUrls = Object.fromEntries([...ports].map(([name, list]) => [`${name.toUpperCase()}_URL`, list.map(graphqlUrl).join(',')]));
    const byName = new Map<string, ServiceProcess[]>();
    for (const [name, list] of ports) {
      const env: Record<string, string | undefined> = { ...base, ...firstUrls };
      // pgvector missing from the server: the AI subgraph keeps its vectors in its own embedded store (PGlite + pgvector).
      if (name === 'ai' && !vectorAvailable) Object.assign(env, { DATABASE_URL: undefined, DATA_DIR: join(this.logDir, 'ai-data') });
      const copies = list.map((port, i) => new ServiceProcess(name, list.length > 1 ? `${name}-${String.fromCharCode(97 + i)}` : name, port, env, this.logDir));
      this.processes.push(...copies);
      byName.set(name, copies);
    }
    const gateway = new ServiceProcess('gateway', 'gateway', free[0]!, { ...base, ...allUrls, GATEWAY_RATE_LIMIT_PER_MINUTE: '0' }, this.logDir);
    this.processes.push(gateway);

    // Owners first; the derived subgraphs (an event consumer each) draw their first build from the owners' snapshots.
    const owners = [...byName].filter(([name]) => !definitions.get(name)?.consumer).flatMap(([, copies]) => copies);
    const derived = [...byName].filter(([name]) => definitions.get(name)?.consumer).flatMap(([, copies]) => copies);
    for (const [wave, services] of [['owners', owners], ['derived subgraphs', derived], ['gateway', [gateway]]] as const) {
      this.checkOpen();
      say(`starting ${wave}: ${services.map((service) => `${service.label} :${service.port}`).join(', ')}`);
      for (const service of services) service.start();
      await Promise.all(services.map((service) => service.ready()));
    }
    await this.settle();
    return { gateway, replicas: byName.get(options.replicated)! };
  }

  /** Stops every process, drops the database, flushes the Redis database; the logs stay if asked. Safe to call twice, or while start() runs. */
  close({ keepLogs }: { keepLogs: boolean }): Promise<void> {
    this.closing ??= (async () => {
      for (const cleanup of this.cleanups.reverse()) await cleanup().catch((error: unknown) => this.say(`cleanup step failed: ${String(error)}`));
      if (!keepLogs) rmSync(this.logDir, { recursive: true, force: true });
    })();
    return this.closing;
  }

  /**
   * Waits until every event of the demo load is published and handled: the derived subgraphs'
   * catching up (embedding, indexing) would otherwise take the load run's CPU.
   */
  private async settle(withinMs = 300_000): Promise<void> {
    const deadline = Date.now() + withinMs;
    let pending = Infinity;
    while (Date.now() < deadline) {
      this.checkOpen();
      const counts = await Promise.all(
        this.processes.filter((service) => service.name !== 'gateway').map(async (service) => {
          const { samples } = parseMetrics(await (await fetch(`${service.baseUrl}/metrics`)).text());
          return samples.filter((sample) => sample.name === 'events_outbox_backlog' || sample.name === 'events_consumer_lag').reduce((total, sample) => total + sample.value, 0);
        }),
      );
      const now = counts.reduce((total, count) => total + count, 0);
      if (now === 0) return;
      if (now !== pending) this.say(`waiting for ${now} domain events to be published and handled`);
      pending = now;
      await sleep(1_000);
    }
    throw new Error(`domain events were still pending after ${withinMs / 1000} s`);
  }

  private checkOpen(): void {
    if (this.closing) throw new Error('stopped while starting');
  }
}

async function createDatabase(options: StackOptions, cleanups: (() => Promise<void>)[]): Promise<string> {
  const admin = new pg.Client({ connectionString: options.postgresAdminUrl });
  await admin.connect();
  try {
    // A database left by a run that was killed outright is the bench's own: start afresh.
    await admin.query(`drop database if exists "${options.database}" with (force)`);
    await admin.query(`create database "${options.database}"`);
  } finally {
    await admin.end();
  }
  cleanups.push(async () => {
    const client = new pg.Client({ connectionString: options.postgresAdminUrl });
    await client.connect();
    try {
      await client.query(`drop database if exists "${options.database}" with (force)`);
    } finally {
      await client.end();
    }
  });
  const url = new URL(options.postgresAdminUrl);
  url.pathname = `/${options.database}`;
  return url.toString();
}

async function claimRedisDb(options: StackOptions, cleanups: (() => Promise<void>)[]): Promise<string> {
  const url = new URL(options.redisUrl);
  url.pathname = `/${options.redisDb}`;
  const redis = new Redis(url.toString(), { maxRetriesPerRequest: 1, lazyConnect: true });
  await redis.connect();
  try {
    const keys = await redis.dbsize();
    // Its keys are flushed at the end, so it must hold nothing of anyone else's.
    if (keys > 0) throw new Error(`Redis database ${options.redisDb} at ${options.redisUrl} holds ${keys} keys: choose an empty one with BENCH_REDIS_DB`);
  } finally {
    redis.disconnect();
  }
  cleanups.push(async () => {
    const client = new Redis(url.toString(), { maxRetriesPerRequest: 1 });
    try {
      await client.flushdb();
    } finally {
      client.disconnect();
    }
  });
  return url.toString();
}

async function hasExtension(databaseUrl: string, extension: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_available_extensions where name = $1', [extension]);
    return (rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}

/** Migrates every subgraph that has demo data and loads it, as `npm start` does on a first run. */
async function loadDemo(databaseUrl: string): Promise<void> {
  const stores = new Map<string, unknown>();
  const dbs = [];
  try {
    for (const { definition, loadDemo } of domains) {
      if (!loadDemo) continue;
      const db = await openPostgres(databaseUrl, definition.name);
      dbs.push(db);
      stores.set(definition.name, await prepareStores(definition, db));
    }
    await loadDemoData(stores);
  } finally {
    await Promise.all(dbs.map((db) => db.close()));
  }
}

/** `count` distinct free ports: every one is held until all are found, so none is handed out twice. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
