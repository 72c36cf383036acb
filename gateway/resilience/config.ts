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

function number(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`${name} must be a non-negative number, not ${value}`);
  return parsed;
}

/**
 * The options from the environment: GATEWAY_SUBGRAPH_TIMEOUT_MS and GATEWAY_<NAME>_TIMEOUT_MS
 * (prefixed, since AI_TIMEOUT_MS already means the AI subgraph's own model endpoint timeout),
 * GATEWAY_SUBGRAPH_RETRIES, GATEWAY_SUBGRAPH_RETRY_BASE_MS, GATEWAY_SUBGRAPH_RETRY_MAX_DELAY_MS,
 * GATEWAY_BREAKER_FAILURES, GATEWAY_BREAKER_COOLDOWN_MS, GATEWAY_REPLICA_PROBE_MS.
 */
export function resilienceOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ResilienceOptions {
  const timeoutMsBySubgraph: Record<string, number> = {};
  for (const [key, value] of Object.entries(env)) {
    const match = /^GATEWAY_([A-Z0-9_]+)_TIMEOUT_MS$/.exec(key);
    if (match && match[1] !== 'SUBGRAPH') timeoutMsBySubgraph[match[1]!.toLowerCase()] = number(value, 0, key);
  }
  return {
    timeoutMs: number(env.GATEWAY_SUBGRAPH_TIMEOUT_MS, 10_000, 'GATEWAY_SUBGRAPH_TIMEOUT_MS'),
    timeoutMsBySubgraph,
    retries: number(env.GATEWAY_SUBGRAPH_RETRIES, 2, 'GATEWAY_SUBGRAPH_RETRIES'),
    retryBaseMs: number(env.GATEWAY_SUBGRAPH_RETRY_BASE_MS, 100, 'GATEWAY_SUBGRAPH_RETRY_BASE_MS'),
    retryMaxDelayMs: number(env.GATEWAY_SUBGRAPH_RETRY_MAX_DELAY_MS, 2_000, 'GATEWAY_SUBGRAPH_RETRY_MAX_DELAY_MS'),
    breakerFailures: number(env.GATEWAY_BREAKER_FAILURES, 5, 'GATEWAY_BREAKER_FAILURES'),
    breakerCooldownMs: number(env.GATEWAY_BREAKER_COOLDOWN_MS, 30_000, 'GATEWAY_BREAKER_COOLDOWN_MS'),
    replicaProbeMs: number(env.GATEWAY_REPLICA_PROBE_MS, 2_000, 'GATEWAY_REPLICA_PROBE_MS') || 2_000,
    shareQueries: env.GATEWAY_SHARE_QUERIES !== 'false',
    batchEntities: env.GATEWAY_BATCH_ENTITIES !== 'false',
  };
}
