export interface ResponseCacheOptions {
  /** How long an answer is served at most, events or not; 0 turns the cache off. */
  ttlSeconds: number;
  /** Answers the in-process store holds (least recently used dropped first); Redis holds what its memory allows. */
  maxEntries: number;
}

function count(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a non-negative integer, not ${JSON.stringify(value)}`);
  return parsed;
}

/** RESPONSE_CACHE_TTL_SECONDS (60; 0 is off) and RESPONSE_CACHE_MAX_ENTRIES (1,000). */
export function responseCacheOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ResponseCacheOptions {
  return {
    ttlSeconds: count(env, 'RESPONSE_CACHE_TTL_SECONDS', 60),
    maxEntries: Math.max(1, count(env, 'RESPONSE_CACHE_MAX_ENTRIES', 1_000)),
  };
}
