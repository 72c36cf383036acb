import { errorsIn, type RoundResult } from './round.ts';

/** One operation on one target over its measured rounds. */
export interface Summary {
  operation: string;
  target: string;
  rounds: number;
  /** Requests per second: the mean of the rounds' rates, and the lowest and highest. */
  rps: { mean: number; min: number; max: number };
  /** Latency in ms over every response of every round. */
  p50: number;
  p95: number;
  p99: number;
  responses: number;
  errors: number;
  /** A few of the failures, for the report. */
  examples: string[];
}

/** The value below which a fraction `q` of the samples fall (nearest rank); NaN without samples. */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function summarise(operation: string, target: string, rounds: readonly RoundResult[]): Summary {
  if (rounds.length === 0) throw new Error(`No rounds of ${operation} on ${target}`);
  const rates = rounds.map((round) => (round.seconds > 0 ? round.responses / round.seconds : 0));
  const latencies = rounds.flatMap((round) => round.latencies).sort((a, b) => a - b);
  return {
    operation,
    target,
    rounds: rounds.length,
    rps: { mean: rates.reduce((sum, rate) => sum + rate, 0) / rates.length, min: Math.min(...rates), max: Math.max(...rates) },
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    responses: rounds.reduce((sum, round) => sum + round.responses, 0),
    errors: rounds.reduce((sum, round) => sum + errorsIn(round), 0),
    examples: [...new Set(rounds.flatMap((round) => round.examples))].slice(0, 5),
  };
}

/** Looma's mean RPS over a peer's: above 1, Looma serves more. */
export const ratio = (looma: Summary, peer: Summary): number => looma.rps.mean / peer.rps.mean;
