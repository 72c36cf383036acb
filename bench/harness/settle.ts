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
