import { Redis } from 'ioredis';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Registry } from 'prom-client';
import { InProcessBus, registerConsumerLag, type EventBus, type Subscription } from '../../platform/events/index.ts';
import { logger } from '../../platform/logger.ts';
import type { ResponseCacheOptions } from './config.ts';
import { RESPONSE_CACHE_CONSUMER, invalidateOnEvents } from './invalidation.ts';
import { MemoryResponseStore } from './memory-store.ts';
import { responseCachePlugin, type CallerContext } from './plugin.ts';
import { RedisResponseStore } from './redis-store.ts';
import type { ResponseStore } from './store.ts';

export interface ResponseCache {
  plugin: ApolloServerPlugin<CallerContext>;
  close(): Promise<void>;
}

/** After a batch of events, how long the derived subgraphs are given to apply it before a second bump (invalidation.ts). */
const FOLLOW_UP_MS = 2_000;

/**
 * The gateway's response cache, or undefined (and why, logged once) when it is off: turned off
 * (TTL 0), or no event bus to hear changes by, since a gateway that cannot hear changes must not
 * cache. With `redisUrl` the answers and generation live in Redis, shared by every replica;
 * otherwise in this process.
 */
export async function openResponseCache(options: ResponseCacheOptions & {
  bus: EventBus | undefined;
  redisUrl: string | undefined;
  registry: Registry;
  /** `looma:response-cache` by default; tests give each run its own. */
  prefix?: string;
  /** The consumer group (tests give each run its own). */
  consumer?: string;
}): Promise<ResponseCache | undefined> {
  if (options.ttlSeconds === 0) {
    logger.info('response cache off (RESPONSE_CACHE_TTL_SECONDS=0)');
    return undefined;
  }
  if (!options.bus) {
    logger.info('response cache off: this gateway hears no domain events (no event bus; set REDIS_URL)');
    return undefined;
  }
  let store: ResponseStore;
  if (options.redisUrl) {
    // A cache must not hold requests up: a command fails fast and the request is answered without it.
    const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 1_000 });
    redis.on('error', (error) => logger.warn({ err: error }, 'response cache connection error'));
    store = new RedisResponseStore(redis, { prefix: options.prefix ?? 'looma:response-cache', ttlSeconds: options.ttlSeconds });
  } else {
    store = new MemoryResponseStore(options);
  }
  let subscription: Subscription;
  try {
    subscription = await invalidateOnEvents(options.bus, store, {
      followUpMs: options.bus instanceof InProcessBus ? 0 : FOLLOW_UP_MS,
      consumer: options.consumer,
    });
  } catch (error) {
    await store.close();
    throw error;
  }
  // Events not yet heard are answers that may still be served stale: shown beside the subgraphs' consumers.
  registerConsumerLag(options.registry, options.consumer ?? RESPONSE_CACHE_CONSUMER, subscription);
  logger.info(
    { ttlSeconds: options.ttlSeconds, ...(options.redisUrl ? { store: 'redis' } : { store: 'in-process', maxEntries: options.maxEntries }) },
    `response cache on (${options.redisUrl ? 'Redis, shared by the gateway replicas' : 'in-process'}), invalidated by domain events`,
  );
  return {
    plugin: responseCachePlugin(store, options.registry),
    close: async () => {
      await subscription.stop();
      await store.close();
    },
  };
}
