import type { RequestHandler } from 'express';

/**
 * The state of a subgraph's circuit breaker as the gateway sees it ("closed", "open",
 * "half-open"), or undefined when it keeps none. The hook for the per-subgraph breakers
 * (issue 8): pass their lookup to startGateway as `breakerState`, and each entry of
 * /health/subgraphs carries it.
 */
export type BreakerState = (subgraph: string) => string | undefined;

export interface SubgraphStatus {
  name: string;
  /** The /health/ready URL asked. */
  url: string;
  status: 'ready' | 'unavailable' | 'unreachable';
  /** The HTTP status the subgraph answered, when it answered. */
  httpStatus?: number;
  breaker?: string;
}

/** How long the status page waits for one subgraph's answer. */
const TIMEOUT_MS = 2_000;

/**
 * GET /health/subgraphs: every subgraph of the supergraph served now, each with its own
 * /health/ready answer (asked in parallel, each bounded by 2 s) and its breaker state. Always
 * 200 with `status: "degraded"` when any is not ready: a subgraph down is reported here and
 * does not fail the gateway's own readiness (its other subgraphs still serve).
 */
export function subgraphHealth(options: {
  subgraphs: () => { name: string; url: string }[];
  /** The URLs the gateway really uses (overrides of the supergraph's routing URLs). */
  urls: Record<string, string | undefined>;
  breakerState?: BreakerState;
}): RequestHandler {
  return async (_request, response, next) => {
    try {
      const statuses = await Promise.all(
        options.subgraphs().map(async ({ name, url }): Promise<SubgraphStatus> => {
          const health = new URL('/health/ready', options.urls[name] ?? url).toString();
          const breaker = options.breakerState?.(name);
          const extra = breaker === undefined ? {} : { breaker };
          try {
            const answer = await fetch(health, { signal: AbortSignal.timeout(TIMEOUT_MS) });
            await answer.body?.cancel();
            return { name, url: health, status: answer.ok ? 'ready' : 'unavailable', httpStatus: answer.status, ...extra };
          } catch {
            return { name, url: health, status: 'unreachable', ...extra };
          }
        }),
      );
      const status = statuses.every((subgraph) => subgraph.status === 'ready') ? 'ok' : 'degraded';
      response.set('cache-control', 'no-store').json({ status, subgraphs: statuses });
    } catch (error) {
      next(error);
    }
  };
}
