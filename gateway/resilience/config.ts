import { numberFromEnv } from '../../platform/env-number.ts';

/** How the gateway treats each subgraph's calls (README "Gateway resilience"). */
export interface ResilienceOptions {
  /** The whole call to a subgraph, retries and their waits included, is aborted after this. */
  timeoutMs: number;
  /** Per-subgraph overrides of `timeoutMs`, by subgraph name. */
  timeoutMsBySubgraph: Record<string, number>;
  /** Extra attempts a query gets after a 5xx or a 429 (mutations get none). */
  retries: number;
  /** The first retry waits this long, each next one twice as long (plus jitter), unless Retry-After says otherwise. */
  retryBaseMs: number;
  /** The longest wait before a retry, whatever Retry-After asks. */
  retryMaxDelayMs: number;
  /** Consecutive failed calls that open a subgraph's circuit. */
  breakerFailures: number;
  /** How long an open circuit fails fast before it lets one trial call through. */
  breakerCooldownMs: number;
  /** How often an ejected replica's /health/ready is asked whether it may return to rotation. */
  replicaProbeMs: number;
  /** Identical queries for the same caller in flight at once share one subgraph call (gateway/resilience/shared-queries.ts); true unless set false. */
  shareQueries?: boolean;
  /** `_entities` calls of one client request to one subgraph asking the same go as one (gateway/resilience/entity-batches.ts); true unless set false. */
  batchEntities?: boolean;
}


/**
 * The options from the environment: GATEWAY_SUBGRAPH_TIMEOUT_MS and GATEWAY_<NAME>_TIMEOUT_MS
 * (prefixed, since AI_TIMEOUT_MS already means the AI subgraph's own model endpoint timeout),
 * GATEWAY_SUBGRAPH_RETRIES, GATEWAY_SUBGRAPH_RETRY_BASE_MS, GATEWAY_SUBGRAPH_RETRY_MAX_DELAY_MS,
 * GATEWAY_BREAKER_FAILURES, GATEWAY_BREAKER_COOLDOWN_MS, GATEWAY_REPLICA_PROBE_MS.
 */
export function resilienceOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ResilienceOptions {
  const timeoutMsBySubgraph: Record<string, number> = {};
  for (const key of Object.keys(env)) {
    const match = /^GATEWAY_([A-Z0-9_]+)_TIMEOUT_MS$/.exec(key);
    if (match && match[1] !== 'SUBGRAPH') timeoutMsBySubgraph[match[1]!.toLowerCase()] = numberFromEnv(env, key, 0);
  }
  return {
    timeoutMs: numberFromEnv(env, 'GATEWAY_SUBGRAPH_TIMEOUT_MS', 10_000),
    timeoutMsBySubgraph,
    retries: numberFromEnv(env, 'GATEWAY_SUBGRAPH_RETRIES', 2),
    retryBaseMs: numberFromEnv(env, 'GATEWAY_SUBGRAPH_RETRY_BASE_MS', 100),
    retryMaxDelayMs: numberFromEnv(env, 'GATEWAY_SUBGRAPH_RETRY_MAX_DELAY_MS', 2_000),
    breakerFailures: numberFromEnv(env, 'GATEWAY_BREAKER_FAILURES', 5),
    breakerCooldownMs: numberFromEnv(env, 'GATEWAY_BREAKER_COOLDOWN_MS', 30_000),
    replicaProbeMs: numberFromEnv(env, 'GATEWAY_REPLICA_PROBE_MS', 2_000) || 2_000,
    shareQueries: env.GATEWAY_SHARE_QUERIES !== 'false',
    batchEntities: env.GATEWAY_BATCH_ENTITIES !== 'false',
  };
}
