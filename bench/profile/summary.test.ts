import { describe, expect, it } from 'vitest';
import { placeOf, samplesWithin, summariseProfile, type CpuProfile } from './summary.ts';

const ROOT = '/repo';
const frame = (id: number, functionName: string, url: string, lineNumber = 0) => ({ id, callFrame: { functionName, url, lineNumber } });

describe('CPU profile summary', () => {
  it('places code in its npm package, its project folder, Node, WebAssembly or a V8 bucket', () => {
    expect(placeOf('file:///repo/node_modules/@apollo/gateway/dist/index.js', 'f', ROOT)).toBe('@apollo/gateway');
    expect(placeOf('file:///repo/node_modules/a/node_modules/graphql/execution/execute.js', 'f', ROOT)).toBe('graphql');
    expect(placeOf('file:///repo/subgraphs/jobs/store.ts', 'f', ROOT)).toBe('subgraphs/jobs/');
    expect(placeOf('file:///repo/gateway/gateway.ts', 'f', ROOT)).toBe('gateway/');
    expect(placeOf('node:internal/async_hooks', 'f', ROOT)).toBe('node:internal');
    expect(placeOf('wasm://wasm/022aac12', 'f', ROOT)).toBe('(WebAssembly: PGlite)');
    expect(placeOf('', '(garbage collector)', ROOT)).toBe('(garbage collector)');
    expect(placeOf('', 'writev', ROOT)).toBe('(native)');
  });

  it('charges each sample the time to the next, leaves idle out of the shares, and ranks by self time', () => {
    const profile: CpuProfile = {
      nodes: [frame(1, '(root)', ''), frame(2, '(idle)', ''), frame(3, 'plan', 'file:///repo/node_modules/@apollo/query-planner/dist/a.js', 9), frame(4, 'resolve', 'file:///repo/subgraphs/jobs/resolvers/job.ts', 41)],
      samples: [3, 3, 4, 2, 3],
      timeDeltas: [0, 1000, 1000, 1000, 4000],
    };
    const summary = summariseProfile(profile, ROOT);
    // Sample i is charged timeDeltas[i + 1]: 3 → 1 ms, 3 → 1 ms, 4 → 1 ms, idle → 4 ms, the last → 0.
    expect(summary.busyMs).toBe(3);
    expect(summary.idleMs).toBe(4);
    expect(summary.byPlace.map(({ name, ms }) => [name, ms])).toEqual([
      ['@apollo/query-planner', 2],
      ['subgraphs/jobs/', 1],
    ]);
    expect(summary.byFunction[0]!.name).toBe('plan (@apollo/query-planner:10)');
    expect(summary.byFunction[0]!.percent).toBeCloseTo((2 / 3) * 100);
    expect(summary.byFunction[1]!.name).toBe('resolve (subgraphs/jobs/resolvers/job.ts:42)');
  });

  it('keeps the samples taken within the spans, each charged the time to the sample after it', () => {
    const profile: CpuProfile = {
      nodes: [frame(1, '(root)', ''), frame(2, 'plan', 'file:///repo/node_modules/@apollo/query-planner/dist/a.js'), frame(3, 'resolve', 'file:///repo/subgraphs/jobs/store.ts')],
      startTime: 10_000,
      // Taken at 10 000, 11 000, 12 000, 15 000 and 16 000 µs.
      samples: [2, 3, 2, 3, 2],
      timeDeltas: [0, 1000, 1000, 3000, 1000],
    };
    const during = samplesWithin(profile, [
      [11_000, 12_000],
      [14_000, 20_000],
    ]);
    expect(during.samples).toEqual([3, 3, 2]);
    // 3 at 11 000 is charged until 12 000, 3 at 15 000 until 16 000, and the last sample nothing.
    const summary = summariseProfile(during, ROOT);
    expect(summary.byPlace.map(({ name, ms }) => [name, ms])).toEqual([['subgraphs/jobs/', 2]]);
    expect(samplesWithin(profile, []).samples).toEqual([]);
  });
});
