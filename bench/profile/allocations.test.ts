import { describe, expect, it } from 'vitest';
import { summariseAllocations, type SamplingHeapProfile } from './allocations.ts';

const ROOT = '/repo';
const node = (functionName: string, url: string, selfSize: number, children: SamplingHeapProfile['head'][] = []) => ({
  callFrame: { functionName, url, lineNumber: 0 },
  selfSize,
  children,
});

describe('allocation profile summary', () => {
  it('adds up every node of the tree by place and by function, largest first', () => {
    const profile: SamplingHeapProfile = {
      head: node('(root)', '', 0, [
        node('applySelectionSet', 'file:///repo/node_modules/@apollo/gateway/dist/resultShaping.js', 3000, [
          node('cost', 'file:///repo/gateway/security/query-cost.ts', 1000),
        ]),
        node('cost', 'file:///repo/gateway/security/query-cost.ts', 500),
      ]),
    };
    const summary = summariseAllocations(profile, ROOT);
    expect(summary.bytes).toBe(4500);
    expect(summary.byPlace.map(({ name, bytes }) => [name, bytes])).toEqual([
      ['@apollo/gateway', 3000],
      ['gateway/', 1500],
    ]);
    expect(summary.byFunction.map(({ name }) => name)).toEqual(['applySelectionSet (@apollo/gateway:1)', 'cost (gateway/security/query-cost.ts:1)']);
    expect(summary.byFunction[1]!.percent).toBeCloseTo((1500 / 4500) * 100);
  });
});
