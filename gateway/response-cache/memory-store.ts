import { LRUCache } from 'lru-cache';
import type { CachedAnswer, ResponseStore } from './store.ts';

/**
 * The store of a gateway without Redis (npm start): an LRU of answers in this process, the
 * generation a counter. Answers are kept as JSON text, so no caller can change what the next gets.
 */
export class MemoryResponseStore implements ResponseStore {
  private generation = 0;
  private readonly entries: LRUCache<string, { generation: string; json: string }>;

  constructor(options: { ttlSeconds: number; maxEntries: number }) {
    this.entries = new LRUCache({ max: options.maxEntries, ttl: options.ttlSeconds * 1_000 });
  }

  async read(key: string): Promise<{ generation: string; answer: CachedAnswer | undefined }> {
    const generation = String(this.generation);
    const entry = this.entries.get(key);
    return { generation, answer: entry?.generation === generation ? (JSON.parse(entry.json) as CachedAnswer) : undefined };
  }

  async write(key: string, generation: string, answer: CachedAnswer): Promise<void> {
    // A fill whose generation has passed could never be served: don't let it push out one that can.
    if (generation !== String(this.generation)) return;
    this.entries.set(key, { generation, json: JSON.stringify(answer) });
  }

  async bump(): Promise<void> {
    this.generation++;
    // Nothing cached before can be served again: free it now rather than as the LRU turns over.
    this.entries.clear();
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}
