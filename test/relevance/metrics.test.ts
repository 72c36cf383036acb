import { describe, expect, it } from 'vitest';
import { dcg, evaluate, gain, ndcgAt, reciprocalRank, type Judgment, type ResultRef } from './metrics.ts';

const ref = (id: string, type = 'JOB'): ResultRef => ({ type, id });
const judged = (id: string, grade: number, type = 'JOB') => ({ type, id, grade });

// A 3, B 2, C 1; X and Y are unjudged.
const ABC = [judged('a', 3), judged('b', 2), judged('c', 1)];

describe('gains and DCG', () => {
  it('gains 2^grade − 1 and discounts by log2(rank + 1)', () => {
    expect([0, 1, 2, 3].map(gain)).toEqual([0, 1, 3, 7]);
    // 7/log2(2) + 3/log2(3) + 1/log2(4) = 7 + 1.892789 + 0.5
    expect(dcg([3, 2, 1], 10)).toBeCloseTo(9.392789, 5);
    expect(dcg([3, 2, 1], 1)).toBe(7);
    expect(dcg([], 10)).toBe(0);
  });
});

describe('nDCG@k', () => {
  it('is 1 for the ideal ranking', () => {
    expect(ndcgAt([ref('a'), ref('b'), ref('c')], ABC)).toBe(1);
    // Unjudged results after all the judged ones cost nothing.
    expect(ndcgAt([ref('a'), ref('b'), ref('c'), ref('x')], ABC)).toBe(1);
  });

  it('scores the reversed ranking by hand', () => {
    // DCG of C, B, A = 1/log2(2) + 3/log2(3) + 7/log2(4) = 1 + 1.892789 + 3.5 = 6.392789
    // ideal A, B, C  = 7/log2(2) + 3/log2(3) + 1/log2(4) = 7 + 1.892789 + 0.5 = 9.392789
    // nDCG = 6.392789 / 9.392789 = 0.680606
    expect(ndcgAt([ref('c'), ref('b'), ref('a')], ABC)).toBeCloseTo(0.680606, 5);
  });

  it('is 0 for a miss', () => {
    expect(ndcgAt([ref('x'), ref('y')], ABC)).toBe(0);
    expect(ndcgAt([], ABC)).toBe(0);
  });

  it('scores a graded example with a cut-off by hand', () => {
    // Judged: A 3, B 3, C 2, D 1. Returned: X, C, A, Y, D; k = 3 sees X, C, A.
    // DCG@3   = 0/log2(2) + 3/log2(3) + 7/log2(4)  = 0 + 1.892789 + 3.5         = 5.392789
    // ideal@3 = A, B, C: 7/log2(2) + 7/log2(3) + 3/log2(4) = 7 + 4.416508 + 1.5 = 12.916508
    // nDCG@3  = 5.392789 / 12.916508 = 0.417511
    const relevant = [judged('a', 3), judged('b', 3), judged('c', 2), judged('d', 1)];
    const results = ['x', 'c', 'a', 'y', 'd'].map((id) => ref(id));
    expect(ndcgAt(results, relevant, 3)).toBeCloseTo(0.417511, 5);
    expect(reciprocalRank(results, relevant)).toBe(0.5);
  });

  it('looks at the first 10 by default', () => {
    const filler = Array.from({ length: 10 }, (_, index) => ref(`x${index}`));
    expect(ndcgAt([...filler, ref('a')], ABC)).toBe(0);
    expect(ndcgAt([...filler.slice(1), ref('a')], ABC)).toBeCloseTo(7 / Math.log2(11) / 9.392789, 5);
  });

  it('matches type and id, and counts a repeated result once', () => {
    expect(ndcgAt([ref('a', 'TALENT')], ABC)).toBe(0);
    expect(ndcgAt([ref('A', 'job')], ABC)).toBeCloseTo(7 / 9.392789, 5);
    // A, A, B: the second A gains nothing, B is at rank 3: (7 + 0 + 3/log2(4)) / 9.392789
    expect(ndcgAt([ref('a'), ref('a'), ref('b')], ABC)).toBeCloseTo(8.5 / 9.392789, 5);
  });
});

describe('reciprocal rank', () => {
  it('is 1 over the rank of the first result with any grade, 0 without one', () => {
    expect(reciprocalRank([ref('a'), ref('b')], ABC)).toBe(1);
    expect(reciprocalRank([ref('x'), ref('y'), ref('c')], ABC)).toBeCloseTo(1 / 3, 10);
    expect(reciprocalRank([ref('x'), ref('y')], ABC)).toBe(0);
    // Past the nDCG cut-off still counts: it is in the results.
    expect(reciprocalRank([...Array.from({ length: 11 }, (_, index) => ref(`x${index}`)), ref('c')], ABC)).toBe(1 / 12);
  });
});

describe('evaluate', () => {
  it('runs every judged query with its types and averages over queries', async () => {
    const judgments: Judgment[] = [
      { query: 'perfect', intent: '', relevant: ABC },
      { query: 'reversed', types: ['JOB'], intent: '', relevant: ABC },
      { query: 'miss', intent: '', relevant: ABC },
    ];
    const answers: Record<string, ResultRef[]> = {
      perfect: [ref('a'), ref('b'), ref('c')],
      reversed: [ref('c'), ref('b'), ref('a')],
      miss: [ref('x')],
    };
    const calls: [string, string[] | undefined][] = [];
    const result = await evaluate(async (query, types) => {
      calls.push([query, types]);
      return answers[query]!;
    }, judgments);
    expect(calls).toEqual([['perfect', undefined], ['reversed', ['JOB']], ['miss', undefined]]);
    expect(result.perQuery).toEqual([
      { query: 'perfect', ndcg: 1, mrr: 1 },
      { query: 'reversed', types: ['JOB'], ndcg: expect.closeTo(0.680606, 5), mrr: 1 },
      { query: 'miss', ndcg: 0, mrr: 0 },
    ]);
    expect(result.ndcg).toBeCloseTo((1 + 0.680606 + 0) / 3, 5);
    expect(result.mrr).toBeCloseTo(2 / 3, 10);
  });
});
