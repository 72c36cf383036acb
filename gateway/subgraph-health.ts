import type { RequestHandler } from 'express';

/**
 * The state of a subgraph's circuit breaker as the gateway sees it ("closed", "open",
 * "half-open"), or undefined when it keeps none. The hook for the per-subgraph breakers
 * (issue 8): pass their lookup to startGateway as `breakerState`, and each entry of
 * /health/subgraphs carries it.
 */
export type BreakerState = (subgraph: string) => string | undefined;

type Readiness = 'ready' | 'unavailable' | 'unreachable';

export interface ReplicaStatus {
  /** The /health/ready URL asked. */
  url: string;
  status: Readiness;
  /** The HTTP status the replica answered, when it answered. */
  httpStatus?: number;
  /** Whether the gateway sends it calls (false: ejected until its readiness returns). */
  inRotation: boolean;
  /** What the replica reports of systems outside Looma it talks to (e.g. Zervigo's services). */
  external?: unknown;
}

export interface SubgraphStatus {
  name: string;
  /** The /health/ready URL asked (the first replica's, when there are several). */
  url: string;
  /** Ready when any replica is. */
  status: Readiness;
  /** The HTTP status the subgraph answered, when it answered. */
  httpStatus?: number;
  breaker?: string;
  /** Each replica, when the subgraph has several. */
  replicas?: ReplicaStatus[];
  /** What the subgraph reports of systems outside Looma it talks to (the integrations subgraph: each Zervigo service's health). */
  external?: unknown;
}

/** How long the status page waits for one subgraph's answer. */
const TIMEOUT_MS = 2_000;

async function readiness(url: string): Promise<{ url: string; status: Readiness; httpStatus?: number; external?: unknown }> {
  const health = new URL('/health/ready', url).toString();
  try {
    const answer = await fetch(health, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    const body = (await answer.json().catch(() => null)) as { external?: unknown } | null;
    return { url: health, status: answer.ok ? 'ready' : 'unavailable', httpStatus: answer.status, ...(body?.external === undefined ? {} : { external: body.external }) };
  } catch {
    return { url: health, status: 'unreachable' };
  }
}

const RANK: Record<Readiness, number> = { ready: 0, unavailable: 1, unreachable: 2 };

/**
 * GET /health/subgraphs: every subgraph of the supergraph served now, each with its own
 * /health/ready answer (asked in parallel, each bounded by 2 s), its breaker state and, when it
 * has several, each replica's. Always 200 with `status: "degraded"` when any is not ready: a
 * subgraph down is reported here and does not fail the gateway's own readiness (its other
 * subgraphs still serve).
 */
export function subgraphHealth(options: {
  subgraphs: () => { name: string; url: string }[];
  /** The URLs the gateway really uses (overrides of the supergraph's routing URLs). */
  urls: Record<string, string | undefined>;
  breakerState?: BreakerState;
  /** A subgraph's replicas as the gateway balances them (gateway/resilience/replicas.ts). */
  replicas?: (subgraph: string) => { url: string; inRotation: boolean }[] | undefined;
}): RequestHandler {
  return async (_request, response, next) => {
    try {
      const statuses = await Promise.all(
        options.subgraphs().map(async ({ name, url }): Promise<SubgraphStatus> => {
          const breaker = options.breakerState?.(name);
          const extra = breaker === undefined ? {} : { breaker };
          const replicas = options.replicas?.(name) ?? [{ url: options.urls[name] ?? url, inRotation: true }];
          const answers = await Promise.all(replicas.map(async (replica) => ({ ...(await readiness(replica.url)), inRotation: replica.inRotation })));
          const best = answers.reduce((a, b) => (RANK[b.status] < RANK[a.status] ? b : a));
          const { inRotation: _, ...first } = answers[0]!;
          return { name, ...first, status: best.status, ...extra, ...(answers.length > 1 ? { replicas: answers } : {}) };
        }),
      );
      const status = statuses.every((subgraph) => subgraph.status === 'ready') ? 'ok' : 'degraded';
      response.set('cache-control', 'no-store').json({ status, subgraphs: statuses });
    } catch (error) {
      next(error);
    }
  };
}
