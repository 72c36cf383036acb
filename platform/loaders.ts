import DataLoader from 'dataloader';
import { readThrough, type EntityCache } from './entity-cache.ts';
import { logger } from './logger.ts';

/**
 * Per-request DataLoaders, created on first use by name. `__resolveReference` and list fields
 * that hang off entities go through these so `_entities` batches become one query each.
 */
export class Loaders {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();

  /** `cache`: the subgraph's shared entity cache (platform/entity-cache.ts), null without one. */
  constructor(private readonly cache: EntityCache | null = null) {}

  get<K, V>(name: string, batch: (keys: readonly K[]) => Promise<readonly (V | Error)[]>): DataLoader<K, V> {
    let loader = this.loaders.get(name) as DataLoader<K, V> | undefined;
    if (!loader) {
      loader = new DataLoader<K, V>(batch, { maxBatchSize: 1000 });
      this.loaders.set(name, loader as DataLoader<unknown, unknown>);
    }
    return loader;
  }

  /**
   * The loader of `type` entities by id: through the shared entity cache when the subgraph has
   * one (`load` then reads only the misses), straight from `load` otherwise. `load` answers in
   * the order of the ids it is given, null where there is no entity; `revive` turns an entity
   * back from its JSON (e.g. `withDates('createdAt')`).
   */
  entities<V>(
    type: string,
    load: (ids: readonly string[]) => Promise<readonly (V | null)[]>,
    revive: (cached: unknown) => V = (cached) => cached as V,
  ): DataLoader<string, V | null> {
    const cache = this.cache;
    return this.get<string, V | null>(`entity:${type}`, (ids) => (cache ? readThrough(cache, type, ids, load, revive) : load(ids)));
  }

  /**
   * After a write has committed: forgets the entities in this request and in the shared cache,
   * so the writer's next read sees the change before its domain event has travelled (the event
   * invalidates them again). A failure is logged, not thrown: the write did happen.
   */
  async invalidate(type: string, ids: readonly string[]): Promise<void> {
    const loader = this.loaders.get(`entity:${type}`);
    for (const id of ids) loader?.clear(id);
    await this.cache?.invalidate(type, ids).catch((error: unknown) => logger.warn({ err: error, type }, 'invalidating the entity cache failed'));
  }
}

/** Orders `rows` to match `keys`, with null where a key has no row. */
export function alignByKey<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): (V | null)[] {
  const index = new Map(rows.map((row) => [keyOf(row), row] as const));
  return keys.map((key) => index.get(key) ?? null);
}

/** Groups `rows` per key, in key order, keeping row order within a group. */
export function groupByKey<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): V[][] {
  const groups = new Map<K, V[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}
