import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { logger } from '../logger.ts';
import type { EventBus, EventHandler, Subscription } from './bus.ts';
import type { DomainEvent } from './event.ts';

type StreamEntry = [id: string, fields: string[]];

/**
 * Redis Streams (REDIS_URL): one stream of every event; each consumer is a consumer group, so
 * it gets every event once, acknowledges what it handled, and finds again what it had not
 * acknowledged when it crashed: entries idle longer than `claimIdleMs` are claimed by a live
 * member of the group, the restarted consumer included. Entries may thus arrive out of order;
 * consumers tell stale ones by their position (handleOnce).
 */
export class RedisStreamBus implements EventBus {
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly redis: Redis,
    private readonly options: { stream: string; batchSize: number; blockMs: number; claimIdleMs: number } = {
      stream: 'looma:events',
      batchSize: 100,
      blockMs: 1_000,
      claimIdleMs: 30_000,
    },
  ) {}

  async publish(events: readonly DomainEvent[]): Promise<void> {
    if (!events.length) return;
    const batch = this.redis.multi();
    for (const event of events) batch.xadd(this.options.stream, '*', 'event', JSON.stringify(event));
    const results = await batch.exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('Redis refused the events');
  }

  async subscribe(group: string, handler: EventHandler): Promise<Subscription> {
    const { stream, batchSize, blockMs, claimIdleMs } = this.options;
    const reader = this.redis.duplicate();
    await reader.xgroup('CREATE', stream, group, '0', 'MKSTREAM').catch((error: Error) => {
      if (!error.message.includes('BUSYGROUP')) throw error;
    });
    const name = `${group}@${hostname()}:${process.pid}:${Date.now()}`;
    let running = true;
    // After a failed batch, this member's own unacknowledged entries come first (id 0), so
    // they are retried at once rather than after claimIdleMs.
    let retryOwn = false;

    const next = async (): Promise<StreamEntry[]> => {
      if (retryOwn) {
        const own = (await reader.xreadgroup('GROUP', group, name, 'COUNT', batchSize, 'STREAMS', stream, '0')) as [string, StreamEntry[]][] | null;
        const entries = own?.[0]?.[1] ?? [];
        if (entries.length) return entries;
        retryOwn = false;
      }
      const [, claimed] = (await reader.xautoclaim(stream, group, name, claimIdleMs, '0-0', 'COUNT', batchSize)) as [string, StreamEntry[]];
      if (claimed.length) return claimed;
      const read = (await reader.xreadgroup('GROUP', group, name, 'COUNT', batchSize, 'BLOCK', blockMs, 'STREAMS', stream, '>')) as
        | [string, StreamEntry[]][]
        | null;
      return read?.[0]?.[1] ?? [];
    };

    const loop = (async () => {
      while (running) {
        try {
          const entries = await next();
          if (!entries.length) continue;
          // An entry trimmed from the stream comes back without fields: nothing to handle.
          const events = entries.filter(([, fields]) => fields).map(([, fields]) => parseEvent(fields[fields.indexOf('event') + 1]!));
          if (events.length) await handler(events);
          await reader.xack(stream, group, ...entries.map(([id]) => id));
        } catch (error) {
          if (!running) break;
          // Not acknowledged: retried by this member next, or claimed by another once idle for claimIdleMs.
          retryOwn = true;
          logger.error({ err: error, consumer: group }, 'handling events failed; they will be delivered again');
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
      }
    })();

    const subscription: Subscription = {
      lag: async () => {
        const groups = (await this.redis.xinfo('GROUPS', stream)) as (string | number)[][];
        const info = groups.map((fields) => Object.fromEntries(Array.from({ length: fields.length / 2 }, (_, i) => [fields[2 * i], fields[2 * i + 1]])));
        const mine = info.find((entry) => entry.name === group);
        return Number(mine?.lag ?? 0) + Number(mine?.pending ?? 0);
      },
      stop: async () => {
        running = false;
        reader.disconnect();
        await loop;
      },
    };
    this.subscriptions.push(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    await Promise.all(this.subscriptions.map((subscription) => subscription.stop()));
  }
}

/** Entries written before events carried their outbox position count as unversioned. */
function parseEvent(json: string): DomainEvent {
  const event = JSON.parse(json) as Partial<DomainEvent>;
  return { ...event, position: typeof event.position === 'number' ? event.position : 0 } as DomainEvent;
}
