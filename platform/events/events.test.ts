import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contractSuite } from '../../test/support/contract.ts';
import { openTestRedis } from '../../test/support/redis.ts';
import { IN_MEMORY_TARGET } from '../../test/support/targets.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { freshDb, POSTGRES_URL, postgresTarget } from '../../test/support/databases.ts';
import type { Db } from '../db/db.ts';
import { migrate } from '../db/migrate.ts';
import { openPostgres } from '../db/postgres.ts';
import { InProcessBus } from './bus.ts';
import { deletedAmong, handleOnce, rebuildLockKey } from './consumer.ts';
import { recordEvent, type DomainEvent } from './event.ts';
import { RedisStreamBus } from './redis-bus.ts';
import { PostgresOutbox, outboxEvent, type Outbox, type OutboxRow } from './outbox.ts';
import { Projection, type EventConsumer } from './projection.ts';
import { OutboxRelay, nudgeAfterMutations } from './relay.ts';

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

const { redis, target: redisTarget } = await openTestRedis();
const postgres = await postgresTarget();
afterAll(() => redis?.quit());

/** An owner's schema with its outbox, and a consumer's schema with its inbox and a tally of effects. */
async function setUp() {
  const owner = await freshDb('pglite', 'owner');
  const consumer = await freshDb('pglite', 'consumer');
  for (const { db } of [owner, consumer]) await migrate(db, MIGRATIONS, 'platform_migrations');
  await consumer.db.exec('create table effects (aggregate_id text primary key, applied int not null)');
  return { owner: owner.db, consumer: consumer.db, drop: async () => (await owner.drop(), await consumer.drop()) };
}

async function change(owner: Db, id: string) {
  await owner.transaction((tx) => recordEvent(tx, { type: 'thing.updated', aggregate: { type: 'Thing', id }, payload: { id } }));
}

/** The consumer's effect: count applications per aggregate, once per event thanks to the inbox. */
function tally(consumer: Db, name: string, failOn?: string) {
  return async (events: readonly DomainEvent[]) => {
    for (const event of events) {
      if (event.aggregate.id === failOn) throw new Error(`crashed on ${failOn}`);
      await handleOnce(consumer, name, event, (tx) =>
        tx.query('insert into effects values ($1, 1) on conflict (aggregate_id) do update set applied = effects.applied + 1', [event.aggregate.id]),
      );
    }
  };
}

const applied = async (consumer: Db) =>
  Object.fromEntries((await consumer.query<{ aggregate_id: string; applied: number }>('select * from effects order by aggregate_id')).map((r) => [r.aggregate_id, r.applied]));

const until = async (check: () => Promise<boolean>, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('outbox', () => {
  it('records an event only when the change commits', async () => {
    const { owner, drop } = await setUp();
    await expect(
      owner.transaction(async (tx) => {
        await recordEvent(tx, { type: 'thing.created', aggregate: { type: 'Thing', id: 'a' }, payload: {} });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await change(owner, 'b');
    expect(await owner.query('select aggregate_id from outbox')).toEqual([{ aggregate_id: 'b' }]);
    await drop();
  });
});

describe('a consumer', () => {
  /** The consumer's effect: the aggregate's state is the name its latest applied event carries. */
  const project = (consumer: Db) => async (event: DomainEvent) =>
    handleOnce(consumer, 'state', event, (tx) =>
      tx.query('insert into effects values ($1, $2) on conflict (aggregate_id) do update set applied = excluded.applied', [event.aggregate.id, event.payload.step]),
    );
  const outbox = async (owner: Db) => (await owner.query<OutboxRow>('select * from outbox order by position')).map((row) => outboxEvent(row, 'owner'));
  const step = (owner: Db, id: string, value: number, type = 'thing.updated') =>
    owner.transaction((tx) => recordEvent(tx, { type, aggregate: { type: 'Thing', id }, payload: { id, step: value } }));

  it('ignores an event older than one it applied, and anything about an aggregate after its deletion', async () => {
    const { owner, consumer, drop } = await setUp();
    for (const value of [1, 2, 3]) await step(owner, 'a', value);
    await step(owner, 'b', 1);
    await step(owner, 'b', 2, 'thing.deleted');
    const [a1, a2, a3, b1, b2] = await outbox(owner);
    const apply = project(consumer);

    // Delivered out of order, as a retried batch after newer ones would be.
    expect(await apply(a1!)).toBe(true);
    expect(await apply(a3!)).toBe(true);
    expect(await apply(a2!)).toBe(false);
    expect(await apply(b2!)).toBe(true);
    expect(await apply(b1!)).toBe(false);
    expect(await applied(consumer)).toEqual({ a: 3, b: 2 });
    expect(await consumer.transaction((tx) => deletedAmong(tx, 'state', 'Thing', ['a', 'b']))).toEqual(new Set(['b']));

    // An event without a known position (recorded before positions were carried) still applies.
    expect(await apply({ ...a1!, id: randomUUID(), position: 0 })).toBe(true);
    expect(await applied(consumer)).toEqual({ a: 1, b: 2 });
    await drop();
  });
});

describe('a projection', () => {
  it("applies only its owners' events: another subgraph's leaves no inbox row and no effect", async () => {
    const { owner, consumer, drop } = await setUp();
    await change(owner, 'mine');
    const [mine] = (await owner.query<OutboxRow>('select * from outbox')).map((row) => outboxEvent(row, 'owner'));
    const elsewhere: DomainEvent = { ...mine!, id: randomUUID(), source: 'elsewhere', aggregate: { type: 'Thing', id: 'theirs' } };
    const tallying: EventConsumer<null> = {
      name: 'tally',
      owners: ['owner'],
      apply: async (_stores, event, tx) => void (await tx.query('insert into effects values ($1, 1)', [event.aggregate.id])),
      reset: async () => undefined,
    };
    const projection = new Projection(tallying, consumer, null, () => 'http://unused.invalid');
    await projection.handle([elsewhere, mine!]);
    await projection.handle([elsewhere]);
    expect(await applied(consumer)).toEqual({ mine: 1 });
    expect(await consumer.query('select event_id from inbox')).toEqual([{ event_id: mine!.id }]);
    await drop();
  });
});

describe('the outbox relay', () => {
  it('publishes at once when nudged, and otherwise waits for its next poll', async () => {
    const { owner, consumer, drop } = await setUp();
    const bus = new InProcessBus();
    await bus.subscribe('tally', tally(consumer, 'tally'));
    const outbox = new PostgresOutbox(owner, 'owner');
    let looks = 0;
    const counted: Outbox = Object.assign(Object.create(outbox) as Outbox, {
      pending: async (limit: number) => {
        const events = await outbox.pending(limit);
        looks++;
        return events;
      },
    });
    const relay = new OutboxRelay(counted, 'owner', bus, { batchSize: 200, idleMs: 60_000 });
    relay.start();
    await until(async () => looks === 1); // its first look found nothing: it sleeps for a minute
    await change(owner, 'a');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await relay.backlog()).toBe(1);
    relay.nudge();
    await until(async () => (await relay.backlog()) === 0);
    expect(await applied(consumer)).toEqual({ a: 1 });
    await relay.stop();
    await drop();
  });

  it('is nudged by the answer to a mutation, not to a query', async () => {
    let nudges = 0;
    const plugin = nudgeAfterMutations({ nudge: () => void nudges++ });
    const answer = async (operation: 'query' | 'mutation' | undefined) => {
      const listener = await plugin.requestDidStart!({} as never);
      await listener!.willSendResponse!({ operation: operation && { operation } } as never);
    };
    await answer('query');
    await answer(undefined); // a request that did not parse
    expect(nudges).toBe(0);
    await answer('mutation');
    expect(nudges).toBe(1);
  });
});

describe('first builds', () => {
  it("take turns in one process: one's snapshot is read only once the other's build is done", async () => {
    const { consumer, drop } = await setUp();
    const timeline: string[] = [];
    // Each consumer's one owner: an empty snapshot feed of its own.
    const feeds = new Map<string, Server>();
    for (const name of ['first', 'second']) {
      const feed = createServer((_request, response) => {
        timeline.push(`${name} read`);
        // An owner slow to answer: were builds not taking turns, the other's read would come in meanwhile.
        setTimeout(() => response.setHeader('content-type', 'application/json').end(JSON.stringify({ events: [], cursor: null })), 200);
      });
      await new Promise<void>((resolve) => feed.listen(0, '127.0.0.1', resolve));
      feeds.set(name, feed);
    }
    const locate = (owner: string) => `http://127.0.0.1:${(feeds.get(owner)!.address() as AddressInfo).port}/graphql`;
    const building = (name: string): EventConsumer<null> => ({
      name,
      owners: [name],
      apply: async () => undefined,
      reset: async () => {
        timeline.push(`${name} built`);
        // Long enough for the other's read to come in, were it not waiting.
        await new Promise((resolve) => setTimeout(resolve, 200));
      },
    });
    const projections = ['first', 'second'].map((name) => new Projection(building(name), consumer, null, locate));
    for (const projection of projections) projection.startBootstrap();
    for (const projection of projections) await projection.built();
    expect(timeline).toEqual(['first read', 'first built', 'second read', 'second built']);
    for (const feed of feeds.values()) {
      feed.closeAllConnections();
      await new Promise((resolve) => feed.close(resolve));
    }
    await drop();
  });
});

contractSuite('rebuild lock', postgres, () => {
  it('holds live events back, in any process, until the rebuild holding it is done', async () => {
    const consumer = await freshDb('postgres', 'consumer');
    await migrate(consumer.db, MIGRATIONS, 'platform_migrations');
    await consumer.db.exec('create table effects (aggregate_id text primary key, applied int not null)');
    // The same schema through another pool: another replica.
    const second = await openPostgres(POSTGRES_URL, consumer.db.schema);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let rebuilding = true;
    const rebuild = consumer.db.withLock(rebuildLockKey('tally'), async () => {
      await held;
      rebuilding = false;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const event: DomainEvent = { id: randomUUID(), type: 'thing.updated', source: 'owner', aggregate: { type: 'Thing', id: 'a' }, payload: {}, occurredAt: new Date().toISOString(), position: 1 };
    const live = tally(second, 'tally')([event]).then(() => rebuilding);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await applied(consumer.db)).toEqual({});
    release();
    await rebuild;
    expect(await live).toBe(false); // it applied only once the rebuild was over
    expect(await applied(consumer.db)).toEqual({ a: 1 });
    await second.close();
    await consumer.drop();
  });
});

contractSuite('event bus', IN_MEMORY_TARGET, () => {
  it('publishes in order, marks what was handled, and a failed delivery is retried without applying anything twice', async () => {
    const { owner, consumer, drop } = await setUp();
    const bus = new InProcessBus();
    const relay = new OutboxRelay(new PostgresOutbox(owner, 'owner'), 'owner', bus);
    for (const id of ['a', 'b', 'c']) await change(owner, id);

    const crashing = await bus.subscribe('tally', tally(consumer, 'tally', 'c'));
    await expect(relay.publishBatch()).rejects.toThrow('crashed on c');
    expect(await relay.backlog()).toBe(3); // nothing marked: the crash left all three in the outbox
    expect(await applied(consumer)).toEqual({ a: 1, b: 1 });
    await crashing.stop();

    await bus.subscribe('tally', tally(consumer, 'tally'));
    await relay.drain();
    expect(await relay.backlog()).toBe(0);
    expect(await applied(consumer)).toEqual({ a: 1, b: 1, c: 1 });
    await drop();
  });
});

contractSuite('event bus', redisTarget, () => {
  const busFor = (stream: string) => new RedisStreamBus(redis!, { stream, batchSize: 10, blockMs: 100, claimIdleMs: 300 });

  it('delivers every event to every consumer group, acknowledged, with its lag reported', async () => {
    const { owner, consumer, drop } = await setUp();
    const stream = `looma:test:${randomUUID()}`;
    const bus = busFor(stream);
    const first = await bus.subscribe('first', tally(consumer, 'first'));
    const second = await bus.subscribe('second', tally(consumer, 'second'));
    const relay = new OutboxRelay(new PostgresOutbox(owner, 'owner'), 'owner', bus);
    for (const id of ['a', 'b']) await change(owner, id);
    await relay.drain();
    await until(async () => (await first.lag()) === 0 && (await second.lag()) === 0);
    expect(await applied(consumer)).toEqual({ a: 2, b: 2 }); // once for each consumer
    await bus.close();
    await redis!.del(stream);
    await drop();
  });

  it('a consumer that crashes mid-batch loses nothing and applies nothing twice after it restarts', async () => {
    const { owner, consumer, drop } = await setUp();
    const stream = `looma:test:${randomUUID()}`;
    const relay = new OutboxRelay(new PostgresOutbox(owner, 'owner'), 'owner', busFor(stream));
    for (const id of ['a', 'b', 'c', 'd']) await change(owner, id);
    await relay.drain();

    // The first incarnation applies a and b, then dies on c without acknowledging the batch.
    const crashed = busFor(stream);
    const dying = await crashed.subscribe('graph', tally(consumer, 'graph', 'c'));
    await until(async () => Object.keys(await applied(consumer)).length === 2);
    await dying.stop();

    // The restarted one claims the unacknowledged batch once it has been idle, and skips a and b.
    const restarted = busFor(stream);
    const alive = await restarted.subscribe('graph', tally(consumer, 'graph'));
    await until(async () => (await alive.lag()) === 0 && Object.keys(await applied(consumer)).length === 4);
    expect(await applied(consumer)).toEqual({ a: 1, b: 1, c: 1, d: 1 });

    // Publishing the same events again (a relay crash before marking) changes nothing.
    await owner.query('update outbox set published_at = null');
    await relay.drain();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await applied(consumer)).toEqual({ a: 1, b: 1, c: 1, d: 1 });
    await restarted.close();
    await redis!.del(stream);
    await drop();
  });

  it('retries a failed batch at once, not after the claim time', async () => {
    const { owner, consumer, drop } = await setUp();
    const stream = `looma:test:${randomUUID()}`;
    const bus = new RedisStreamBus(redis!, { stream, batchSize: 10, blockMs: 100, claimIdleMs: 60_000 });
    let failures = 1;
    const handle = tally(consumer, 'retry');
    await bus.subscribe('retry', async (events) => {
      if (failures-- > 0) throw new Error('the database blinked');
      await handle(events);
    });
    await change(owner, 'a');
    await new OutboxRelay(new PostgresOutbox(owner, 'owner'), 'owner', bus).drain();
    await until(async () => Object.keys(await applied(consumer)).length === 1, 10_000);
    expect(await applied(consumer)).toEqual({ a: 1 });
    await bus.close();
    await redis!.del(stream);
    await drop();
  });
});

