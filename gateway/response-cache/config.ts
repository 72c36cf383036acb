import { numberFromEnv } from '../../platform/env-number.ts';

export interface ResponseCacheOptions {
  /** How long an answer is served at most, events or not; 0 turns the cache off. */
  ttlSeconds: number;
  /** Answers the in-process store holds (least recently used dropped first); Redis holds what its memory allows. */
  maxEntries: number;
}

const count = (env: NodeJS.ProcessEnv, name: string, fallback: number) => numberFromEnv(env, name, fallback, { whole: true });

/** RESPONSE_CACHE_TTL_SECONDS (60; 0 is off) and RESPONSE_CACHE_MAX_ENTRIES (1,000). */
export function responseCacheOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ResponseCacheOptions {
  return {
    ttlSeconds: count(env, 'RESPONSE_CACHE_TTL_SECONDS', 60),
    maxEntries: Math.max(1, count(env, 'RESPONSE_CACHE_MAX_ENTRIES', 1_000)),
  };
}
