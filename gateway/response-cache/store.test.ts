import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { contractSuite } from '../../test/support/contract.ts';
import { openTestRedis } from '../../test/support/redis.ts';
import { IN_MEMORY_TARGET } from '../../test/support/targets.ts';
import { InProcessBus, type DomainEvent } from '../../platform/events/index.ts';
import { invalidateOnEvents } from './invalidation.ts';
import { MemoryResponseStore } from './memory-store.ts';
import { RedisResponseStore } from './redis-store.ts';
import type { ResponseStore } from './store.ts';

const ANSWER = { data: { jobs: { edges: [{ node: { title: 'Engineer' } }] } } };
const OTHER = { data: { jobs: { edges: [] } } };

const event = (id: string): DomainEvent => ({
  id,
  type: 'job.updated',
  source: 'jobs',
  aggregate: { type: 'Job', id },
  payload: {},
  occurredAt: new Date().toISOString(),
  position: 1,
});

/** The generation rule every store keeps, whatever holds the answers. */
function storeContract(open: (ttlSeconds: number) => ResponseStore) {
  const stores: ResponseStore[] = [];
  const store = (ttlSeconds = 60) => {
    const opened = open(ttlSeconds);
    stores.push(opened);
    return opened;
  };
  afterAll(() => Promise.all(stores.map((opened) => opened.close())));

  /** The generation, once the store knows one (a Redis store sets it on the first read). */
  const generationOf = async (opened: ResponseStore, key: string) => {
    const first = await opened.read(key);
    return first.generation ?? (await opened.read(key)).generation!;
  };

  it('serves an answer filled in the current generation, and nothing for another key', async () => {
    const cache = store();
    const generation = await generationOf(cache, 'a');
    expect((await cache.read('a')).answer).toBeUndefined();
    await cache.write('a', generation, ANSWER);
    expect(await cache.read('a')).toEqual({ generation, answer: ANSWER });
    expect((await cache.read('b')).answer).toBeUndefined();
  });

  it('serves nothing filled before a bump, and the next fill is served again', async () => {
    const cache = store();
    const before = await generationOf(cache, 'a');
    await cache.write('a', before, ANSWER);
    await cache.bump();
    const after = await cache.read('a');
    expect(after.answer).toBeUndefined();
    expect(after.generation).not.toBe(before);
    await cache.write('a', after.generation!, OTHER);
    expect((await cache.read('a')).answer).toEqual(OTHER);
  });

  it('never serves a fill whose request read the generation before a bump, even one written after it', async () => {
    const cache = store();
    const readBeforeTheChange = await generationOf(cache, 'a');
    await cache.bump();
    await cache.write('a', readBeforeTheChange, ANSWER);
    expect((await cache.read('a')).answer).toBeUndefined();
  });

  it('forgets an answer once its TTL has passed', async () => {
    const cache = store(1);
    const generation = await generationOf(cache, 'a');
    await cache.write('a', generation, ANSWER);
    expect((await cache.read('a')).answer).toEqual(ANSWER);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect((await cache.read('a')).answer).toBeUndefined();
  });

  it('bumps on every batch of domain events the bus delivers', async () => {
    const cache = store();
    const bus = new InProcessBus();
    const subscription = await invalidateOnEvents(bus, cache, { followUpMs: 0 });
    const generation = await generationOf(cache, 'a');
    await cache.write('a', generation, ANSWER);
    await bus.publish([event('1'), event('2')]);
    expect((await cache.read('a')).answer).toBeUndefined();
    await subscription.stop();
  });

  it('bumps a second time `followUpMs` after the last batch, for the derived stores that apply it later', async () => {
    const cache = store();
    const bus = new InProcessBus();
    const subscription = await invalidateOnEvents(bus, cache, { followUpMs: 300 });
    await bus.publish([event('1')]);
    // Filled after the event, from a derived index that had not applied it yet.
    const afterTheEvent = await generationOf(cache, 'a');
    await cache.write('a', afterTheEvent, ANSWER);
    expect((await cache.read('a')).answer).toEqual(ANSWER);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await cache.read('a')).answer).toBeUndefined();
    await subscription.stop();
  });
}

contractSuite('response cache store', IN_MEMORY_TARGET, () => {
  storeContract((ttlSeconds) => new MemoryResponseStore({ ttlSeconds, maxEntries: 100 }));

  it('keeps at most maxEntries answers, the least recently used going first', async () => {
    const cache = new MemoryResponseStore({ ttlSeconds: 60, maxEntries: 2 });
    const { generation } = await cache.read('a');
    for (const key of ['a', 'b', 'c']) await cache.write(key, generation, ANSWER);
    expect((await cache.read('a')).answer).toBeUndefined();
    expect((await cache.read('c')).answer).toEqual(ANSWER);
  });

  it('hands each reader its own copy of an answer', async () => {
    const cache = new MemoryResponseStore({ ttlSeconds: 60, maxEntries: 2 });
    const { generation } = await cache.read('a');
    await cache.write('a', generation, { data: { n: 1 } });
    ((await cache.read('a')).answer!.data as { n: number }).n = 2;
    expect((await cache.read('a')).answer).toEqual({ data: { n: 1 } });
  });
});

const { redis, target } = await openTestRedis();

contractSuite('response cache store', target, () => {
  // Each run its own keys, so parallel runs on one Redis do not meet.
  const prefix = `looma:response-cache:test-${randomBytes(4).toString('hex')}`;
  const connections: Redis[] = [];
  const connect = () => {
    const connection = redis!.duplicate();
    connections.push(connection);
    return connection;
  };
  afterAll(async () => {
    const keys = await redis!.keys(`${prefix}*`);
    if (keys.length) await redis!.del(...keys);
    redis!.disconnect();
  });

  let run = 0;
  // Each test its own prefix: a bump in one must not reach another's store.
  storeContract((ttlSeconds) => new RedisResponseStore(connect(), { prefix: `${prefix}:${run++}`, ttlSeconds }));

  it('is shared by the replicas of one Redis: one fills, another serves; one bumps, none serves', async () => {
    const shared = `${prefix}:replicas`;
    const one = new RedisResponseStore(connect(), { prefix: shared, ttlSeconds: 60 });
    const two = new RedisResponseStore(connect(), { prefix: shared, ttlSeconds: 60 });
    expect((await one.read('a')).generation).toBeNull();
    const { generation } = await two.read('a');
    expect(generation).toEqual(expect.any(String));
    await one.write('a', generation!, ANSWER);
    expect((await two.read('a')).answer).toEqual(ANSWER);
    await two.bump();
    expect((await one.read('a')).answer).toBeUndefined();
    await Promise.all([one.close(), two.close()]);
  });

  it('serves and fills nothing while the generation is lost (evicted, flushed), then starts a fresh one', async () => {
    const lost = `${prefix}:lost`;
    const cache = new RedisResponseStore(connect(), { prefix: lost, ttlSeconds: 60 });
    const generation = await generationOfStore(cache);
    await cache.write('a', generation, ANSWER);
    await redis!.del(cache.generationKey);
    expect(await cache.read('a')).toEqual({ generation: null, answer: undefined });
    const fresh = await cache.read('a');
    expect(fresh.generation).not.toBeNull();
    expect(fresh.generation).not.toBe(generation);
    expect(fresh.answer).toBeUndefined();
    await cache.close();
  });

  it('keeps each answer with the TTL it was given, as JSON {generation, answer}', async () => {
    const keyed = `${prefix}:layout`;
    const cache = new RedisResponseStore(connect(), { prefix: keyed, ttlSeconds: 60 });
    const generation = await generationOfStore(cache);
    await cache.write('k', generation, ANSWER);
    expect(JSON.parse((await redis!.get(`${keyed}:k`))!)).toEqual({ generation, answer: ANSWER });
    expect(await redis!.ttl(`${keyed}:k`)).toBeGreaterThan(55);
    await cache.close();
  });
});

async function generationOfStore(store: ResponseStore): Promise<string> {
  return (await store.read('probe')).generation ?? (await store.read('probe')).generation!;
}
