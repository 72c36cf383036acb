import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { Gauge } from 'prom-client';
import { config } from '../config.ts';
import { logger } from '../logger.ts';
import { InProcessBus, type EventBus, type Subscription } from './bus.ts';
import { RedisStreamBus } from './redis-bus.ts';
import type { Outbox } from './outbox.ts';
import { OutboxRelay } from './relay.ts';

export { InProcessBus, type EventBus, type EventHandler, type Subscription } from './bus.ts';
export { admitSnapshot, deletedAmong, handleOnce, isDeletion, lockLiveAggregate } from './consumer.ts';
export { recordEvent, type DomainEvent } from './event.ts';
export { PostgresOutbox, outboxEvent, type Outbox, type OutboxRow } from './outbox.ts';
export { OutboxRelay, nudgeAfterMutations } from './relay.ts';
export { RedisStreamBus } from './redis-bus.ts';
export { readSnapshot, serviceCredential, snapshotRoute, type SnapshotEntry, type SnapshotPage, type SnapshotSource } from './snapshot.ts';

/** The outbox and inbox every subgraph schema gets, before its own migrations. */
export const EVENTS_MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Redis Streams when REDIS_URL is set; otherwise in-process, which reaches consumers in this process only. */
export function createEventBus(): { bus: EventBus; shared: boolean; close: () => Promise<void> } {
  if (!config.redisUrl) {
    const bus = new InProcessBus();
    const close = async () => {
      await bus.close();
      logger.info({ bus: 'in-process' }, 'event bus closed');
    };
    return { bus, shared: false, close };
  }
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2 });
  const bus = new RedisStreamBus(redis, { stream: config.events.stream, batchSize: 100, blockMs: 1_000, claimIdleMs: config.events.claimIdleMs });
  return {
    bus,
    shared: true,
    close: async () => {
      await bus.close();
      await redis.quit();
      logger.info({ bus: 'redis' }, 'event bus closed');
    },
  };
}

/** A relay for a subgraph's outbox (started by the caller), its backlog reported in /metrics. */
export function createRelay(outbox: Outbox, source: string, bus: EventBus, registry: Registry): OutboxRelay {
  const relay = new OutboxRelay(outbox, source, bus);
  new Gauge({
    name: 'events_outbox_backlog',
    help: 'Domain events recorded but not yet published',
    registers: [registry],
    async collect() {
      this.set(await relay.backlog());
    },
  });
  return relay;
}

/** Reports a consumer's lag (events published but not yet handled) in /metrics. */
export function registerConsumerLag(registry: Registry, consumer: string, subscription: Subscription): void {
  new Gauge({
    name: 'events_consumer_lag',
    help: 'Domain events published but not yet handled by the consumer',
    labelNames: ['consumer'],
    registers: [registry],
    async collect() {
      this.set({ consumer }, await subscription.lag());
    },
  });
}
