import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import express from 'express';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../platform/http.ts';
import { ROOT } from '../platform/registry.ts';
import { graphql } from '../test/support/client.ts';
import { eventually } from '../test/support/eventually.ts';
import { parseMetrics, scrape } from '../test/support/metrics.ts';
import { contractSuite } from '../test/support/contract.ts';
import { openTestRedis } from '../test/support/redis.ts';
import { IN_MEMORY_TARGET } from '../test/support/targets.ts';
import { startLoneGateway } from '../test/support/lone-gateway.ts';
import { config } from '../platform/config.ts';
import { createGateway, startGateway } from './gateway.ts';
import { LoginLimiter } from './login-limiter.ts';
import { SupergraphSource } from './supergraph-source.ts';
import { concurrencyLimit, OperationRateLimiter, principalOf, shedCounter } from './overload.ts';

const SUPERGRAPH = readFileSync(resolve(ROOT, 'schema/supergraph.graphql'), 'utf8');
const SUBGRAPHS = Supergraph.build(SUPERGRAPH).subgraphsMetadata().map((subgraph) => subgraph.name);
const NO_LIMITS = { maxConcurrent: 0, ratePerMinute: 0 };

const listen = async (server: Server) => {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};
const close = (server: Server) => new Promise<void>((done) => server.close(() => done()));

/** A port nothing listens on: a subgraph that is down. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  const url = await listen(server);
  await close(server);
  return `${url}/graphql`;
}

const total = async (url: string, name: string, labels: Record<string, string> = {}) =>
  (await scrape(url)).samples
    .filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    .reduce((sum, sample) => sum + sample.value, 0);

const QUERY_DESCRIPTION = '{ __schema { queryType { description } } }';
const description = async (url: string) =>
  (await graphql<{ __schema: { queryType: { description: string | null } } }>(url, QUERY_DESCRIPTION)).data?.__schema.queryType.description;
/** The checked-in supergraph with a description on Query: a change a client can see. */
const described = (text: string) => SUPERGRAPH.replace(/^type Query /m, `"""${text}"""\ntype Query `);

describe('gateway health, subgraph status and supergraph hot reload', () => {
  let dir: string;
  let path: string;
  let standIn: Server;
  let held: Promise<void> | undefined;
  let answering = 0;
  let gateway: RunningService;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'looma-supergraph-'));
    path = join(dir, 'supergraph.graphql');
    writeFileSync(path, SUPERGRAPH);
    // Every subgraph but ai is this stand-in: ready, and answering `me` as the users subgraph would (after `held`).
    standIn = createServer(async (request: IncomingMessage, response) => {
      if (request.url === '/health/ready') return void response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
      for await (const chunk of request) void chunk;
      answering++;
      await held;
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"me":null}}');
    });
    const standInUrl = `${await listen(standIn)}/graphql`;
    const down = await deadUrl();
    const urls = Object.fromEntries(SUBGRAPHS.map((name) => [name, name === 'ai' ? down : standInUrl]));
    gateway = await startGateway({
      supergraphPath: path,
      urls,
      host: '127.0.0.1',
      port: 0,
      usersUrl: standInUrl,
      limits: NO_LIMITS,
      pollMs: 50,
      production: false,
      breakerState: (name) => (name === 'ai' ? 'open' : 'closed'),
    });
    url = gateway.url;
  });
  afterAll(async () => {
    await gateway?.stop();
    if (standIn) await close(standIn);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is ready once the supergraph is loaded, and one subgraph down does not fail readiness', async () => {
    expect((await fetch(new URL('/health/ready', url))).status).toBe(200);
    expect(await total(url, 'gateway_supergraph_loaded')).toBe(1);

    const response = await fetch(new URL('/health/subgraphs', url));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; subgraphs: { name: string; status: string; breaker?: string }[] };
    expect(body.status).toBe('degraded');
    expect(body.subgraphs.map((subgraph) => subgraph.name).sort()).toEqual([...SUBGRAPHS].sort());
    for (const subgraph of body.subgraphs) {
      expect(subgraph).toMatchObject(subgraph.name === 'ai' ? { status: 'unreachable', breaker: 'open' } : { status: 'ready', breaker: 'closed' });
    }
  });

  it('serves a changed supergraph file without a restart, letting a running query finish, and keeps the old one when the new is invalid', async () => {
    expect(await description(url)).toBeNull();

    // A query in flight (its subgraph answer held back) across the reload.
    let release!: () => void;
    held = new Promise<void>((done) => (release = done));
    const running = graphql<{ me: null }>(url, '{ me { id } }');
    await eventually(async () => answering, (count) => count === 1);

    writeFileSync(path, described('Reloaded once'));
    await eventually(() => description(url), (seen) => seen === 'Reloaded once');
    expect(await total(url, 'gateway_supergraph_reloads_total', { outcome: 'applied' })).toBe(1);
    release();
    expect(await running).toEqual({ data: { me: null } });
    held = undefined;

    // Not GraphQL at all, then GraphQL that is no supergraph: both rejected, the last good one serving.
    writeFileSync(path, 'type Query {');
    await eventually(() => total(url, 'gateway_supergraph_reloads_total', { outcome: 'rejected' }), (rejected) => rejected === 1);
    writeFileSync(path, 'type Query { hello: String }\n');
    await eventually(() => total(url, 'gateway_supergraph_reloads_total', { outcome: 'rejected' }), (rejected) => rejected === 2);
    expect(await description(url)).toBe('Reloaded once');
    expect((await fetch(new URL('/health/ready', url))).status).toBe(200);
    const subgraphs = (await (await fetch(new URL('/health/subgraphs', url))).json()) as { subgraphs: unknown[] };
    expect(subgraphs.subgraphs).toHaveLength(SUBGRAPHS.length);

    // A good file after a bad one is applied again.
    writeFileSync(path, described('Reloaded twice'));
    await eventually(() => description(url), (seen) => seen === 'Reloaded twice');
    expect(await total(url, 'gateway_supergraph_reloads_total', { outcome: 'applied' })).toBe(2);
  });
});

describe('the supergraph source', () => {
  const gatewayOver = (source: SupergraphSource, registry: Registry) =>
    createGateway({ supergraphSdl: '', supergraph: source, urls: {}, registry, loginLimiter: new LoginLimiter(config.loginLimits) });

  it('is not loaded (so /health/ready is 503) until the gateway has loaded the supergraph', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'looma-supergraph-'));
    try {
      const path = join(dir, 'supergraph.graphql');
      writeFileSync(path, SUPERGRAPH);
      const registry = new Registry();
      const source = new SupergraphSource({ path, pollMs: 50 }, registry);
      const server = gatewayOver(source, registry);
      expect(source.loaded).toBe(false);
      expect(source.subgraphs()).toEqual([]);
      await server.start();
      try {
        expect(source.loaded).toBe(true);
        expect(source.subgraphs().map((subgraph) => subgraph.name).sort()).toEqual([...SUBGRAPHS].sort());
      } finally {
        await server.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start from a file that is no supergraph', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'looma-supergraph-'));
    try {
      const path = join(dir, 'supergraph.graphql');
      writeFileSync(path, 'type Query { hello: String }\n');
      const registry = new Registry();
      const source = new SupergraphSource({ path, pollMs: 50 }, registry);
      await expect(gatewayOver(source, registry).start()).rejects.toThrow();
      expect(source.loaded).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('per-principal rate limit at the gateway', () => {
  let gateway: RunningService;

  beforeAll(async () => {
    gateway = await startLoneGateway({ limits: { maxConcurrent: 0, ratePerMinute: 3 } });
  });
  afterAll(() => gateway?.stop());

  it('answers an anonymous address past its budget with 429, Retry-After and RATE_LIMITED, and counts it', async () => {
    const send = () =>
      fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    for (let i = 0; i < 3; i++) expect((await send()).status).toBe(200);
    const refused = await send();
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await refused.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]!.extensions.code).toBe('RATE_LIMITED');
    expect(body.errors[0]!.extensions.requestId).toBe(refused.headers.get('x-request-id'));
    expect(body.errors[0]!.extensions.stacktrace).toBeUndefined();
    expect(await total(gateway.url, 'gateway_shed_requests_total', { reason: 'rate_limit' })).toBe(1);
  });
});

const { redis, target } = await openTestRedis();
afterAll(() => redis?.quit());

for (const store of [{ target: IN_MEMORY_TARGET, redis: undefined }, { target, redis }]) {
contractSuite('gateway operation budgets', store.target, () => {
  it('keeps users, API keys and addresses apart, a batch spends one point per operation, and a refused one spends none', async () => {
    const registry = new Registry();
    const limiter = new OperationRateLimiter(3, shedCounter(registry), store.redis);
    const alice = principalOf({ userId: `alice-${randomUUID()}` }, undefined, '10.0.0.1');
    expect(alice).toMatch(/^user:alice-/);
    const secret = `lk_${randomUUID()}`;
    const key = principalOf({ userId: 'alice' }, secret, '10.0.0.1');
    expect(key).toMatch(/^key:[0-9a-f]{32}$/);
    expect(key).not.toContain(secret);
    const address = randomUUID();
    const anonymous = principalOf(null, undefined, address);
    expect(anonymous).toBe(`ip:${address}`);

    await limiter.spend(alice, 3);
    await expect(limiter.spend(alice)).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    await limiter.spend(key);
    await limiter.spend(anonymous, 2);
    await expect(limiter.spend(anonymous, 2)).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    await limiter.spend(anonymous);
    const shed = parseMetrics(await registry.metrics()).samples.find((sample) => sample.name === 'gateway_shed_requests_total');
    expect(shed).toMatchObject({ labels: { reason: 'rate_limit' }, value: 2 });
  });
});
}

describe('concurrency limit', () => {
  let server: Server;
  let url: string;
  let registry: Registry;
  const gates: (() => void)[] = [];

  beforeAll(async () => {
    registry = new Registry();
    const app = express();
    app.use(concurrencyLimit(2, shedCounter(registry), registry));
    app.all('/', (_request, response) => {
      gates.push(() => response.json({ data: { ok: true } }));
    });
    app.get('/page', (_request, response) => response.send('landing page'));
    server = createServer(app);
    url = await listen(server);
  });
  afterAll(() => close(server));

  const post = () => fetch(`${url}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ ok }"}' });

  it('sheds operations beyond the limit in flight with 503, Retry-After and a JSON error, and takes them again once some finish', async () => {
    const first = post();
    const second = post();
    await eventually(async () => gates.length, (waiting) => waiting === 2);

    const shed = await post();
    expect(shed.status).toBe(503);
    expect(shed.headers.get('retry-after')).toBe('1');
    expect(await shed.json()).toMatchObject({ errors: [{ extensions: { code: 'SERVICE_UNAVAILABLE', retryAfter: 1 } }] });
    // Not an operation: a page load passes even when full.
    expect((await fetch(`${url}/page`)).status).toBe(200);
    const metrics = parseMetrics(await registry.metrics()).samples;
    expect(metrics.find((sample) => sample.name === 'gateway_shed_requests_total')).toMatchObject({ labels: { reason: 'concurrency' }, value: 1 });
    expect(metrics.find((sample) => sample.name === 'gateway_graphql_requests_in_flight')?.value).toBe(2);

    gates.shift()!();
    expect((await first).status).toBe(200);
    const third = post();
    await eventually(async () => gates.length, (waiting) => waiting === 2);
    for (const open of gates.splice(0)) open();
    expect((await second).status).toBe(200);
    expect((await third).status).toBe(200);
  });
});
