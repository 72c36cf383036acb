import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { CachedAnswer, ResponseStore } from './store.ts';

/**
 * The store shared by the gateway replicas of one Redis: each answer at `<prefix>:<key>` as JSON
 * `{ generation, answer }` expiring after `ttlSeconds`, the generation at `<prefix>:generation`.
 *
 * The generation is an opaque random token, replaced on every bump, rather than a counter: a
 * counter lost to eviction or a flush would restart at 1 and could come back to the value an old
 * answer carries; a fresh token never matches one. When it is missing, the next read sets one
 * (only if still missing) and that read serves and fills nothing.
 */
export class RedisResponseStore implements ResponseStore {
  readonly generationKey: string;

  constructor(
    private readonly redis: Redis,
    private readonly options: { prefix: string; ttlSeconds: number },
  ) {
    this.generationKey = `${options.prefix}:generation`;
  }

  async read(key: string): Promise<{ generation: string | null; answer: CachedAnswer | undefined }> {
    const [entry, generation] = await this.redis.mget(this.entryKey(key), this.generationKey);
    if (!generation) {
      await this.redis.set(this.generationKey, randomUUID(), 'NX');
      return { generation: null, answer: undefined };
    }
    const cached = entry ? (JSON.parse(entry) as { generation: string; answer: CachedAnswer }) : undefined;
    return { generation, answer: cached?.generation === generation ? cached.answer : undefined };
  }

  async write(key: string, generation: string, answer: CachedAnswer): Promise<void> {
    await this.redis.set(this.entryKey(key), JSON.stringify({ generation, answer }), 'EX', this.options.ttlSeconds);
  }

  async bump(): Promise<void> {
    await this.redis.set(this.generationKey, randomUUID());
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private entryKey(key: string): string {
    return `${this.options.prefix}:${key}`;
  }
}
