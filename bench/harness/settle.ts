import { BENCH_TALENTS } from './operations.ts';
import { problemWith, send } from './send.ts';
import type { Target } from './target.ts';

/** A light query that still crosses the gateway into a subgraph: what "the target answers promptly" is measured with. */
const PROBE = { query: BENCH_TALENTS, variables: () => ({ first: 3 }) };

/** Milliseconds one probe takes on `target`. */
export async function probe(target: Target, token: string): Promise<number> {
  const started = performance.now();
  const problem = problemWith(await send(target.url, PROBE, {}, token));
  if (problem) throw new Error(`The probe failed on ${target.name}: ${problem}`);
  return performance.now() - started;
}

/** The target's unloaded probe latency: the fastest of a few. */
export async function unloaded(target: Target, token: string, tries = 5): Promise<number> {
  let fastest = Infinity;
  for (let i = 0; i < tries; i++) fastest = Math.min(fastest, await probe(target, token));
  return fastest;
}

/**
 * Waits until `target` answers the probe about as fast as unloaded. autocannon abandons the
 * requests still in flight when a round ends, but every target shares this process: the server
 * keeps working on them, and without this wait they would weigh on the next target's round.
 * Returns how long it waited, in ms.
 */
export async function settle(target: Target, token: string, unloadedMs: number, limitMs = 30_000): Promise<number> {
  const started = performance.now();
  const prompt = Math.max(3 * unloadedMs, unloadedMs + 20);
  while (performance.now() - started < limitMs) if ((await probe(target, token)) <= prompt) break;
  return performance.now() - started;
}

/** Domain events recorded but not yet applied everywhere: the outboxes' backlogs and the consumers' lags, from each service's /metrics. */
async function eventsInFlight(metricsUrls: readonly string[]): Promise<number> {
  let total = 0;
  for (const url of metricsUrls) {
    const text = await (await fetch(url)).text();
    for (const [, value] of text.matchAll(/^events_(?:outbox_backlog|consumer_lag)(?:\{[^}]*\})? (\S+)$/gm)) total += Number(value);
  }
  return total;
}

/**
 * Waits until every domain event the round caused (a mutation's, through the outbox relays to
 * every consumer) has been applied: the targets share the stores and the event pipeline, so a
 * backlog left by one target's round would otherwise be drained during the next target's.
 * Returns how long it waited, in ms.
 */
export async function drainEvents(metricsUrls: readonly string[], limitMs = 180_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < limitMs && (await eventsInFlight(metricsUrls)) > 0) await new Promise((resolve) => setTimeout(resolve, 200));
  return performance.now() - started;
}
