import { describe, expect, it } from 'vitest';
import { percentile, ratio, summarise } from './aggregate.ts';
import type { RoundResult } from './round.ts';
import { schedule } from './schedule.ts';

const round = (responses: number, seconds: number, latencies: number[], failures: Partial<RoundResult> = {}): RoundResult => ({
  seconds,
  responses,
  non2xx: 0,
  graphqlErrors: 0,
  socketErrors: 0,
  latencies,
  examples: [],
  ...failures,
});

describe('percentile', () => {
  it('takes the nearest rank, whatever the order of the samples', () => {
    const samples = [9, 1, 10, 3, 2, 8, 4, 7, 6, 5];
    expect(percentile(samples, 0.5)).toBe(5);
    expect(percentile(samples, 0.95)).toBe(10);
    expect(percentile(samples, 0.99)).toBe(10);
    expect(percentile(samples, 0.1)).toBe(1);
    expect(percentile([42], 0.99)).toBe(42);
  });

  it('is NaN without samples', () => {
    expect(percentile([], 0.5)).toBeNaN();
  });
});

describe('summarise', () => {
  it('averages the rounds\' rates, keeps their range, and pools every latency for the percentiles', () => {
    const summary = summarise('flagship', 'Looma', [
      round(1000, 10, Array.from({ length: 100 }, (_, i) => i + 1)),
      round(1500, 10, Array.from({ length: 100 }, (_, i) => i + 101)),
      round(500, 5, []),
    ]);
    expect(summary.rps).toEqual({ mean: (100 + 150 + 100) / 3, min: 100, max: 150 });
    expect(summary.p50).toBe(100);
    expect(summary.p95).toBe(190);
    expect(summary.p99).toBe(198);
    expect(summary.responses).toBe(3000);
    expect(summary.rounds).toBe(3);
  });

  it('counts non-2xx, GraphQL errors and requests without a response as errors, with distinct examples', () => {
    const summary = summarise('search', 'monolith', [
      round(10, 1, [1], { non2xx: 2, examples: ['HTTP 503: shed'] }),
      round(10, 1, [1], { graphqlErrors: 3, socketErrors: 1, examples: ['HTTP 503: shed', 'no response: ECONNRESET'] }),
    ]);
    expect(summary.errors).toBe(6);
    expect(summary.examples).toEqual(['HTTP 503: shed', 'no response: ECONNRESET']);
  });

  it('refuses an operation that was never measured', () => {
    expect(() => summarise('search', 'Looma', [])).toThrow(/No rounds of search on Looma/);
  });

  it("gives Looma's rate over a peer's", () => {
    const looma = summarise('flagship', 'Looma', [round(300, 1, [1])]);
    const hive = summarise('flagship', 'Hive Gateway', [round(200, 1, [1])]);
    expect(ratio(looma, hive)).toBe(1.5);
  });
});

describe('schedule', () => {
  it('warms every target up, then alternates them round by round, operation by operation', () => {
    const phases = schedule(['flagship', 'search'], ['A', 'B'], 2).map(({ operation, target, round }) => `${operation}:${target}${round}`);
    expect(phases).toEqual(['flagship:A0', 'flagship:B0', 'flagship:A1', 'flagship:B1', 'flagship:A2', 'flagship:B2', 'search:A0', 'search:B0', 'search:A1', 'search:B1', 'search:A2', 'search:B2']);
  });
});
