import { describe, expect, it } from 'vitest';
import type { Summary } from './aggregate.ts';
import { firstDifference } from './compare.ts';
import { renderReport, resultsTable, type Report } from './markdown.ts';
import { parseOptions } from './options.ts';
import { verdicts } from './verdicts.ts';

const summary = (operation: string, target: string, mean: number, latency: { p50: number; p99: number } = { p50: 10, p99: 20 }, errors = 0): Summary => ({
  operation,
  target,
  rounds: 3,
  rps: { mean, min: mean - 10, max: mean + 10 },
  p50: latency.p50,
  p95: (latency.p50 + latency.p99) / 2,
  p99: latency.p99,
  responses: 1000,
  errors,
  examples: errors ? ['HTTP 500: boom'] : [],
});

describe('verdicts', () => {
  it("passes the issue's targets when Looma leads Hive, reaches half the monolith, keeps its tail and fails nothing", () => {
    const outcomes = verdicts([summary('flagship', 'Looma', 600), summary('flagship', 'Hive Gateway', 500), summary('flagship', 'monolith', 1100)], 50);
    expect(outcomes.map((verdict) => verdict.outcome)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(outcomes[0]!.detail).toBe('1.20× (600 against 500 req/s)');
  });

  it('fails each target it misses, and says which', () => {
    const outcomes = verdicts(
      [summary('flagship', 'Looma', 400, { p50: 10, p99: 31 }), summary('flagship', 'Hive Gateway', 500, undefined, 2), summary('flagship', 'monolith', 1000)],
      50,
    );
    expect(outcomes.map((verdict) => verdict.outcome)).toEqual(['fail', 'fail', 'fail', 'fail']);
    expect(outcomes[2]!.detail).toBe('flagship 3.10×');
    expect(outcomes[3]!.detail).toBe('flagship on Hive Gateway: 2');
  });

  it('judges the flagship ratios on each flagship workload that ran, and fails when one misses', () => {
    const outcomes = verdicts(
      [
        summary('flagship', 'Looma', 600),
        summary('flagship', 'Hive Gateway', 500),
        summary('flagship (many users)', 'Looma', 300),
        summary('flagship (many users)', 'Hive Gateway', 400),
      ],
      50,
    );
    expect(outcomes[0]).toEqual({
      target: 'flagship RPS ≥ 1.0× Hive Gateway',
      outcome: 'fail',
      detail: 'flagship 1.20× (600 against 500 req/s); flagship (many users) 0.75× (300 against 400 req/s)',
    });
  });

  it('says a ratio was not measured when a peer did not run, and names a connection count other than 50', () => {
    const outcomes = verdicts([summary('flagship', 'Looma', 400)], 10);
    expect(outcomes[0]!.outcome).toBe('not measured');
    expect(outcomes[1]!.outcome).toBe('not measured');
    expect(outcomes[2]!.target).toContain('at 10 connections (the issue states it at 50)');
  });
});

describe('markdown', () => {
  it("renders a row per operation and target with Looma's ratio against each peer", () => {
    const table = resultsTable([summary('flagship', 'Looma', 600), summary('flagship', 'Hive Gateway', 400), summary('search', 'Looma', 50), summary('search', 'monolith', 100)]);
    expect(table.split('\n')).toEqual([
      '| operation | target | RPS (mean) | RPS (min–max) | p50 | p95 | p99 | errors | Looma ÷ target |',
      '|---|---|---|---|---|---|---|---|---|',
      '| flagship | Looma | 600 | 590–610 | 10.0 ms | 15.0 ms | 20.0 ms | 0 | — |',
      '| flagship | Hive Gateway | 400 | 390–410 | 10.0 ms | 15.0 ms | 20.0 ms | 0 | 1.50× |',
      '| search | Looma | 50 | 40–60 | 10.0 ms | 15.0 ms | 20.0 ms | 0 | — |',
      '| search | monolith | 100 | 90–110 | 10.0 ms | 15.0 ms | 20.0 ms | 0 | 0.50× |',
    ]);
  });

  it('puts the command, the date, the machine, the verdicts, the memory and the first failures in the report', () => {
    const summaries = [summary('flagship', 'Looma', 600), summary('flagship', 'Hive Gateway', 400, undefined, 1)];
    const report: Report = {
      command: 'npm run bench -- --write',
      date: '2026-12-03T05:00:00.000Z',
      machine: '2 × AMD EPYC, 24 GiB',
      settings: { connections: 50, seconds: 10, warmupSeconds: 5, rounds: 3 },
      pinning: 'pinned with taskset',
      environment: ['GATEWAY_RATE_LIMIT_PER_MINUTE=0'],
      operations: [{ name: 'flagship', description: 'the flagship query' }],
      summaries,
      verdicts: verdicts(summaries, 50),
      peakRss: 900 * 2 ** 20,
      notes: ['The data set was the same after the run as before.'],
    };
    const text = renderReport(report);
    expect(text.startsWith('```bash\nnpm run bench -- --write\n```\n')).toBe(true);
    expect(text).toContain('2026-12-03, 2 × AMD EPYC, 24 GiB. 50 connections; per operation a 5 s warm-up round on each target, then 3 rounds of 10 s');
    expect(text).toContain('(GATEWAY_RATE_LIMIT_PER_MINUTE=0)');
    expect(text).toContain('- **PASS** flagship RPS ≥ 1.0× Hive Gateway: 1.50× (600 against 400 req/s)');
    expect(text).toContain('- **FAIL** zero errors: flagship on Hive Gateway: 1');
    expect(text).toContain('sampled every 250 ms over the run: 900 MB.');
    expect(text).toContain('- flagship on Hive Gateway: `HTTP 500: boom`');
  });
});

describe('firstDifference', () => {
  it('finds the first path where two answers differ, ignoring key order but not list order', () => {
    expect(firstDifference({ a: [{ x: 1, y: 2 }] }, { a: [{ y: 2, x: 1 }] })).toBeUndefined();
    expect(firstDifference({ a: [{ x: 1 }, { x: 2 }] }, { a: [{ x: 1 }, { x: 3 }] })).toBe('a.1.x: 2 against 3');
    expect(firstDifference({ a: [1, 2] }, { a: [2, 1] })).toBe('a.0: 1 against 2');
    expect(firstDifference({ a: [1] }, { a: [1, 2] })).toBe('a: 1 items against 2');
    expect(firstDifference({ a: 1 }, { b: 1 })).toBe('a: present against missing');
    expect(firstDifference({ a: null }, { a: {} })).toBe('a: null against {}');
  });
});

describe('options', () => {
  it('defaults to 50 connections, 10 s rounds, a 5 s warm-up and 3 rounds', () => {
    expect(parseOptions([])).toEqual({ connections: 50, seconds: 10, warmupSeconds: 5, rounds: 3, only: [], hiveDedupe: true, write: false });
  });

  it('reads the flags, keeps the warm-up within a short round, and refuses a bad number', () => {
    expect(parseOptions(['--seconds', '3', '--rounds', '1', '--only', 'flagship,search', '--hive-no-dedupe', '--write'])).toEqual({
      connections: 50,
      seconds: 3,
      warmupSeconds: 3,
      rounds: 1,
      only: ['flagship', 'search'],
      hiveDedupe: false,
      write: true,
    });
    expect(() => parseOptions(['--connections', '0'])).toThrow('--connections must be a positive whole number, not "0"');
  });
});
