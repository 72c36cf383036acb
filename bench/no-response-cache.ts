/**
 * Imported first by a benchmark whose anonymous requests must run their query (bench/flagship.ts
 * compares anonymous with signed-in): the gateway's response cache would answer them from memory.
 * Set before platform/config.ts is evaluated; a value already in the environment wins.
 */
process.env.RESPONSE_CACHE_TTL_SECONDS ??= '0';
