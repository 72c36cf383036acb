import { Redis } from 'ioredis';
import { Counter, type Registry } from 'prom-client';
import { config } from './config.ts';
import type { EventBus, Subscription } from './events/index.ts';
import { logger } from './logger.ts';

/** What an invalidated key holds for `guardSeconds`: a miss to readers, and it refuses fills (SET NX). */
const TOMBSTONE = '!';

export interface EntityCacheOptions {
  /** The subgraph owning the entities: keys are `<prefix>:<subgraph>:<Type>:<id>`. */
  subgraph: string;
  /** `looma:cache` by default; tests give each run its own. */
  prefix?: string;
  /** A cached entity's lifetime, the bound on any staleness the invalidation misses (ENTITY_CACHE_TTL_SECONDS). */
  ttlSeconds?: number;
  /** How long an invalidated key refuses fills: a read of the store that began before the change cannot cache what it read. */
  guardSeconds?: number;
  /** Where `entity_cache_requests_total{type, outcome}` is reported. */
  registry?: Registry;
}

/**
 * A shared cache of entities by (type, id), as JSON in Redis, in front of the owning subgraph's
 * store: `readThrough` (via `Loaders.entities`) reads it first, then the store for the misses,
 * then fills it. The owner invalidates a key when its aggregate changes: in the write path after
 * the commit (`Loaders.invalidate`) and on every domain event of the aggregate (`invalidateOn`).
 *
 * Invalidating writes a short-lived tombstone rather than deleting, and fills are `SET … NX`, so
 * the race "a reader reads the old row → the change commits and is invalidated → the reader
 * caches the old row" loses: the reader's fill finds the tombstone and is dropped. What remains
 * is a read of the store that takes longer than `guardSeconds` from before the commit until its
 * fill; anything it caches then is stale at most `ttlSeconds`, as is anything whose invalidation
 * was lost (Redis unreachable when the write path and every redelivery of the event tried).
 */
export class EntityCache {
  readonly prefix: string;
  readonly ttlSeconds: number;
  readonly guardSeconds: number;
  private readonly requests: Counter<'type' | 'outcome'> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly options: EntityCacheOptions,
  ) {
    this.prefix = options.prefix ?? 'looma:cache';
    this.ttlSeconds = options.ttlSeconds ?? config.entityCache.ttlSeconds;
    this.guardSeconds = options.guardSeconds ?? 10;
    this.requests =
      options.registry &&
      new Counter({
        name: 'entity_cache_requests_total',
        help: 'Entity lookups by id answered from the shared cache (hit) or by the store (miss)',
        labelNames: ['type', 'outcome'],
        registers: [options.registry],
      });
  }

  key(type: string, id: string): string {
    return `${this.prefix}:${this.options.subgraph}:${type}:${id}`;
  }

  /** The cached JSON of each id, undefined where there is none; an unreachable Redis is all misses. */
  async getMany(type: string, ids: readonly string[]): Promise<unknown[]> {
    if (!ids.length) return [];
    let values: (string | null)[];
    try {
      values = await this.redis.mget(ids.map((id) => this.key(type, id)));
    } catch (error) {
      logger.warn({ err: error, type }, 'entity cache unreachable; reading the store');
      values = ids.map(() => null);
    }
    const found = values.map((value) => (value && value !== TOMBSTONE ? (JSON.parse(value) as unknown) : undefined));
    const hits = found.filter((value) => value !== undefined).length;
    if (hits) this.requests?.inc({ type, outcome: 'hit' }, hits);
    if (ids.length - hits) this.requests?.inc({ type, outcome: 'miss' }, ids.length - hits);
    return found;
  }

  /** Caches each entity for `ttlSeconds`, unless its key is already set (a fresher fill, or a tombstone). */
  async setMany(type: string, entries: readonly { id: string; value: unknown }[]): Promise<void> {
    if (!entries.length) return;
    const batch = this.redis.pipeline();
    for (const { id, value } of entries) batch.set(this.key(type, id), JSON.stringify(value), 'EX', this.ttlSeconds, 'NX');
    await failed(await batch.exec());
  }

  /** Drops the entities: their keys hold a tombstone for `guardSeconds`, so no fill started before now can bring them back. */
  async invalidate(type: string, ids: readonly string[]): Promise<void> {
    if (!ids.length) return;
    const batch = this.redis.pipeline();
    for (const id of new Set(ids)) batch.set(this.key(type, id), TOMBSTONE, 'EX', this.guardSeconds);
    await failed(await batch.exec());
  }

  /**
   * Invalidates an entity on every domain event its owner records about it (created, updated,
   * deleted, …), under the consumer group `cache:<subgraph>`: replicas of the subgraph share the
   * group, so each event is handled once for the one shared cache. A failure leaves the events
   * unacknowledged, to be delivered again.
   */
  invalidateOn(bus: EventBus, types: readonly string[]): Promise<Subscription> {
    const cached = new Set(types);
    return bus.subscribe(`cache:${this.options.subgraph}`, async (events) => {
      const ids = new Map<string, string[]>();
      for (const event of events) {
        if (event.source !== this.options.subgraph || !cached.has(event.aggregate.type)) continue;
        ids.set(event.aggregate.type, [...(ids.get(event.aggregate.type) ?? []), event.aggregate.id]);
      }
      for (const [type, changed] of ids) await this.invalidate(type, changed);
    });
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

async function failed(results: [Error | null, unknown][] | null): Promise<void> {
  const error = results?.find(([failure]) => failure)?.[0];
  if (!results || error) throw error ?? new Error('Redis refused the entity cache batch');
}

/**
 * The subgraph's entity cache: Redis at `url` (REDIS_URL by default); null (no cache, every
 * lookup reads the store) without one or when the subgraph caches no entity type.
 */
export function openEntityCache(
  types: readonly string[] | undefined,
  options: EntityCacheOptions & { url?: string },
): EntityCache | null {
  const url = options.url ?? config.redisUrl;
  if (!types?.length || !url) return null;
  // A cache must not hold requests up: a command fails fast and the lookup reads the store.
  const redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 1_000 });
  redis.on('error', (error) => logger.warn({ err: error, subgraph: options.subgraph }, 'entity cache connection error'));
  return new EntityCache(redis, options);
}

/**
 * One DataLoader batch through the cache: cached entities as they are (after `revive`), the rest
 * from `load` (aligned with the ids it is given, null where none), which then fill the cache.
 */
export async function readThrough<V>(
  cache: EntityCache,
  type: string,
  ids: readonly string[],
  load: (ids: readonly string[]) => Promise<readonly (V | null)[]>,
  revive: (cached: unknown) => V,
): Promise<(V | null)[]> {
  const cached = await cache.getMany(type, ids);
  const missing = ids.filter((_, index) => cached[index] === undefined);
  const loaded = new Map<string, V | null>();
  if (missing.length) {
    const rows = await load(missing);
    missing.forEach((id, index) => loaded.set(id, rows[index] ?? null));
    const fill = missing.flatMap((id) => (loaded.get(id) ? [{ id, value: loaded.get(id) }] : []));
    await cache.setMany(type, fill).catch((error: unknown) => logger.warn({ err: error, type }, 'filling the entity cache failed'));
  }
  return ids.map((id, index) => (cached[index] !== undefined ? revive(cached[index]) : (loaded.get(id) ?? null)));
}

/** A reviver for entities whose `fields` are Dates (JSON holds them as ISO strings). */
export function withDates<V>(...fields: (keyof V & string)[]): (cached: unknown) => V {
  return (cached) => {
    const entity = { ...(cached as Record<string, unknown>) };
    for (const field of fields) if (typeof entity[field] === 'string') entity[field] = new Date(entity[field]);
    return entity as V;
  };
}
