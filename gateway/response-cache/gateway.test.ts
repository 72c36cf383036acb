import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessBus, RedisStreamBus, type DomainEvent, type EventBus } from '../../platform/events/index.ts';
import type { RunningService } from '../../platform/http.ts';
import { contractSuite } from '../../test/support/contract.ts';
import { eventually } from '../../test/support/eventually.ts';
import { scrape } from '../../test/support/metrics.ts';
import { REDIS_URL, openTestRedis } from '../../test/support/redis.ts';
import { startLoneGateway } from '../../test/support/lone-gateway.ts';
import type { ResponseCacheOptions } from './config.ts';

/** Answered by the gateway alone: no subgraph is up in these tests. */
const TYPENAME = 'query Typename { __typename }';
const INTROSPECTION = 'query Types($includeDeprecated: Boolean) { __schema { types { name fields(includeDeprecated: $includeDeprecated) { name } } } }';
/** Reaches the jobs subgraph, which is down: an answer with errors. */
const JOBS = '{ jobs(first: 1) { totalCount } }';

interface Answer {
  status: number;
  cache: string | null;
  body: { data?: unknown; errors?: { extensions?: { code?: string } }[] };
}

async function post(url: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, cache: response.headers.get('x-response-cache'), body: (await response.json()) as Answer['body'] };
}

const query = (url: string, text: string, variables: Record<string, unknown> = {}) => post(url, { query: text, variables });

async function outcomes(url: string): Promise<Record<string, number>> {
  const { samples } = await scrape(url);
  return Object.fromEntries(samples.filter((s) => s.name === 'gateway_response_cache_requests_total').map((s) => [s.labels.outcome!, s.value]));
}

const event = (): DomainEvent => ({
  id: randomBytes(8).toString('hex'),
  type: 'company.updated',
  source: 'companies',
  aggregate: { type: 'Company', id: 'c1' },
  payload: {},
  occurredAt: new Date().toISOString(),
  position: 1,
});

function start(options: { bus?: EventBus; responseCache?: Partial<ResponseCacheOptions> & { redisUrl?: string; prefix?: string; consumer?: string } }) {
  return startLoneGateway({
    resilience: { retries: 0 },
    ...options,
    // Never the environment's Redis: the in-process store unless a test names one.
    responseCache: { redisUrl: undefined, ...options.responseCache },
  });
}

describe('the response cache of a gateway with an in-process bus', () => {
  const bus = new InProcessBus();
  let gateway: RunningService;
  beforeAll(async () => {
    gateway = await start({ bus });
  });
  afterAll(() => gateway?.stop());

  it('computes an anonymous query once, then serves the same answer from cache, counted as a hit', async () => {
    const before = await outcomes(gateway.url);
    const first = await query(gateway.url, INTROSPECTION, { includeDeprecated: false });
    const second = await query(gateway.url, INTROSPECTION, { includeDeprecated: false });
    expect([first.cache, second.cache]).toEqual(['miss', 'hit']);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect((first.body.data as { __schema: { types: unknown[] } }).__schema.types.length).toBeGreaterThan(50);
    const after = await outcomes(gateway.url);
    expect(after.hit! - before.hit!).toBe(1);
    expect(after.miss! - before.miss!).toBe(1);
  });

  it('keys on the variables and the operation: other values are another answer', async () => {
    await query(gateway.url, INTROSPECTION, { includeDeprecated: true });
    expect((await query(gateway.url, INTROSPECTION, { includeDeprecated: true })).cache).toBe('hit');
    const other = await post(gateway.url, { query: `${TYPENAME} query Other { __typename }`, operationName: 'Other' });
    expect(other.cache).toBe('miss');
    expect((await post(gateway.url, { query: `${TYPENAME} query Other { __typename }`, operationName: 'Typename' })).cache).toBe('miss');
  });

  it('serves a persisted query sent by its hash alone from the answer of its text', async () => {
    const text = 'query Persisted { __typename }';
    const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(text).digest('hex') };
    expect((await post(gateway.url, { query: text, extensions: { persistedQuery } })).cache).toBe('miss');
    const byHash = await post(gateway.url, { extensions: { persistedQuery } });
    expect(byHash.cache).toBe('hit');
    expect(byHash.body).toEqual({ data: { __typename: 'Query' } });
  });

  it('serves nothing filled before a domain event', async () => {
    await query(gateway.url, TYPENAME);
    expect((await query(gateway.url, TYPENAME)).cache).toBe('hit');
    await bus.publish([event()]);
    expect((await query(gateway.url, TYPENAME)).cache).toBe('miss');
    expect((await query(gateway.url, TYPENAME)).cache).toBe('hit');
  });

  it('never caches an answer with errors', async () => {
    const first = await query(gateway.url, JOBS);
    expect(first.body.errors?.length).toBeGreaterThan(0);
    const second = await query(gateway.url, JOBS);
    expect([first.cache, second.cache]).toEqual(['miss', 'miss']);
    expect(second.body.errors?.length).toBeGreaterThan(0);
  });

  it('lets mutations and signed-in callers by: no header, counted as bypass', async () => {
    const before = await outcomes(gateway.url);
    const mutation = await query(gateway.url, 'mutation { login(email: "nobody@looma.dev", password: "wrong-password") { token } }');
    expect(mutation.cache).toBeNull();
    // The users subgraph is down, so the credential cannot be verified: the request fails before any cache.
    const signedIn = await post(gateway.url, { query: TYPENAME }, { 'x-api-key': 'lk_test_key' });
    expect(signedIn.cache).toBeNull();
    const after = await outcomes(gateway.url);
    expect(after.bypass! - before.bypass!).toBeGreaterThanOrEqual(1);
    expect(after.hit).toBe(before.hit);
  });
});

describe('a gateway whose response cache is off', () => {
  const gateways: RunningService[] = [];
  afterAll(() => Promise.all(gateways.map((gateway) => gateway.stop())));

  it('caches nothing with RESPONSE_CACHE_TTL_SECONDS=0, nor without an event bus to hear changes by', async () => {
    gateways.push(await start({ bus: new InProcessBus(), responseCache: { ttlSeconds: 0 } }), await start({}));
    for (const gateway of gateways) {
      const answers = [await query(gateway.url, TYPENAME), await query(gateway.url, TYPENAME)];
      expect(answers.map((answer) => answer.cache)).toEqual([null, null]);
      expect(answers[1]!.body).toEqual({ data: { __typename: 'Query' } });
      expect((await scrape(gateway.url)).names).not.toContain('gateway_response_cache_requests_total');
    }
  });
});

const { redis, target } = await openTestRedis();

contractSuite('gateway response cache shared by replicas', target, () => {
  // Each run its own keys, stream and consumer group, so parallel runs on one Redis do not meet.
  const run = randomBytes(4).toString('hex');
  const prefix = `looma:response-cache:test-${run}`;
  const stream = `looma:events:test-${run}`;
  const connections: Redis[] = [];
  const buses: RedisStreamBus[] = [];
  let one: RunningService;
  let two: RunningService;
  let publisher: RedisStreamBus;

  const redisBus = () => {
    const connection = redis!.duplicate();
    connections.push(connection);
    const bus = new RedisStreamBus(connection, { stream, batchSize: 100, blockMs: 100, claimIdleMs: 1_000 });
    buses.push(bus);
    return bus;
  };

  beforeAll(async () => {
    const responseCache = { redisUrl: REDIS_URL, prefix, consumer: `gateway:response-cache:test-${run}` };
    // Each replica its own bus connection, as two processes would have.
    [one, two] = await Promise.all([start({ bus: redisBus(), responseCache }), start({ bus: redisBus(), responseCache })]);
    publisher = redisBus();
  });
  afterAll(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
    await Promise.all(buses.map((bus) => bus.close()));
    for (const connection of connections) connection.disconnect();
    const keys = await redis!.keys(`${prefix}*`);
    await redis!.del(stream, ...keys);
    await redis!.xgroup('DESTROY', stream, `gateway:response-cache:test-${run}`).catch(() => undefined);
    redis!.disconnect();
  });

  it('serves through one replica the answer filled through the other', async () => {
    // The first read of a fresh Redis sets the generation; from then on, fills count.
    await eventually(() => query(one.url, TYPENAME), (answer) => answer.cache === 'hit', 5_000);
    const through = await query(two.url, TYPENAME);
    expect(through.cache).toBe('hit');
    expect(through.body).toEqual({ data: { __typename: 'Query' } });
  });

  it('drops every replica’s cached answers on a domain event one replica heard', async () => {
    await eventually(() => query(two.url, TYPENAME), (answer) => answer.cache === 'hit', 5_000);
    const generation = await redis!.get(`${prefix}:generation`);
    await publisher.publish([event()]);
    // One replica's consumer takes the event and replaces the shared generation.
    await eventually(() => redis!.get(`${prefix}:generation`), (now) => now !== generation, 5_000);
    expect((await query(one.url, TYPENAME)).cache).toBe('miss');
    expect((await query(two.url, TYPENAME)).cache).toBe('hit');
  });
});
