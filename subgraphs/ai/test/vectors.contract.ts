import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normalize } from '../embedding/embedder.ts';
import type { VectorStore } from '../vectors/store.ts';

/** What a backend hands the contract: an empty store, and how to throw it away. */
export interface VectorStoreUnderTest {
  store: VectorStore;
  dispose(): Promise<void>;
}

/** A unit vector pointing mostly along `axis` of 8, tilted by `tilt` towards axis + 1. */
const toward = (axis: number, tilt = 0) => normalize(Array.from({ length: 8 }, (_, index) => (index === axis ? 1 : index === (axis + 1) % 8 ? tilt : 0)));

/** Unit vectors of `dimensions` from a seeded generator (mulberry32): the same ones every run. */
function seededVectors(seed: number, count: number, dimensions: number): number[][] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  return Array.from({ length: count }, () => normalize(Array.from({ length: dimensions }, next)));
}

const dot = (a: readonly number[], b: readonly number[]) => a.reduce((sum, value, index) => sum + value * b[index]!, 0);

/** The contract every VectorStore backend passes. */
export function vectorStoreContract(name: string, create: () => Promise<VectorStoreUnderTest>): void {
  describe(`VectorStore contract: ${name}`, () => {
    let store: VectorStore;
    let dispose: () => Promise<void>;
    const ids = Array.from({ length: 4 }, () => randomUUID());
    const job = randomUUID();

    beforeEach(async () => {
      ({ store, dispose } = await create());
      await store.upsert([
        { kind: 'Talent', id: ids[0]!, vector: toward(0) },
        { kind: 'Talent', id: ids[1]!, vector: toward(0, 0.5) },
        { kind: 'Talent', id: ids[2]!, vector: toward(0, 2) },
        { kind: 'Talent', id: ids[3]!, vector: toward(4) },
        { kind: 'Job', id: job, vector: toward(0) },
      ]);
    });
    afterEach(() => dispose());

    it('finds the most similar vectors of a kind first, with their cosine similarity', async () => {
      const found = await store.nearest('Talent', toward(0), 3);
      expect(found.map((neighbour) => neighbour.id)).toEqual([ids[0], ids[1], ids[2]]);
      expect(found[0]!.similarity).toBeCloseTo(1, 5);
      expect(found[1]!.similarity).toBeCloseTo(1 / Math.hypot(1, 0.5), 5);
      expect(found[2]!.similarity).toBeCloseTo(1 / Math.hypot(1, 2), 5);
      expect((await store.nearest('Talent', toward(4), 1))[0]!.id).toBe(ids[3]);
      expect(await store.nearest('Job', toward(4), 10)).toEqual([{ id: job, similarity: expect.closeTo(0, 5) }]);
    });

    it('tells how similar chosen entities are, skipping those without a vector', async () => {
      const similarities = await store.similarities('Talent', toward(0), [ids[1]!, ids[3]!, randomUUID()]);
      expect([...similarities.keys()].sort()).toEqual([ids[1], ids[3]].sort());
      expect(similarities.get(ids[3]!)).toBeCloseTo(0, 5);
    });

    it('replaces a vector on upsert, removes it, and counts per kind', async () => {
      await store.upsert([{ kind: 'Talent', id: ids[3]!, vector: toward(0) }]);
      expect((await store.nearest('Talent', toward(0), 2)).map((neighbour) => neighbour.id).sort()).toEqual([ids[0], ids[3]].sort());
      expect((await store.vectorOf('Talent', ids[3]!))!.map((value) => Number(value.toFixed(5)))).toEqual(toward(0));
      await store.remove('Talent', [ids[3]!, ids[0]!]);
      expect(await store.count('Talent')).toBe(2);
      expect(await store.count('Job')).toBe(1);
      expect(await store.vectorOf('Talent', ids[0]!)).toBeNull();
      await store.clear();
      expect(await store.count('Talent')).toBe(0);
    });

    it('returns as many neighbours of a kind as asked, however many of the other kind lie nearer', async () => {
      // 70 talents and 70 jobs in 16 dimensions, mixed together. Searched through one HNSW index
      // over both kinds, filtered afterwards (HNSW hands over ef_search candidates, 40 by default),
      // this found some 20 talents (vectors.test.ts runs the contract searching by index too).
      const [query, ...vectors] = seededVectors(20_240_611, 141, 16);
      const talents = vectors.slice(0, 70).map((vector) => ({ kind: 'Talent' as const, id: randomUUID(), vector }));
      const jobs = vectors.slice(70).map((vector) => ({ kind: 'Job' as const, id: randomUUID(), vector }));
      await store.clear();
      await store.upsert([...talents, ...jobs]);
      const expected = new Map<string, number>(talents.map((talent) => [talent.id, dot(talent.vector, query!)]));
      const inOrder = (found: { id: string; similarity: number }[]) =>
        found.every((neighbour, index) => index === 0 || found[index - 1]!.similarity > neighbour.similarity || (found[index - 1]!.similarity === neighbour.similarity && found[index - 1]!.id < neighbour.id));

      const sixty = await store.nearest('Talent', query!, 60);
      expect(sixty).toHaveLength(60);
      expect(new Set(sixty.map((neighbour) => neighbour.id)).size).toBe(60);
      for (const neighbour of sixty) expect(neighbour.similarity).toBeCloseTo(expected.get(neighbour.id)!, 5);
      expect(inOrder(sixty)).toBe(true);

      const all = await store.nearest('Talent', query!, 200);
      expect(all.map((neighbour) => neighbour.id).sort()).toEqual([...expected.keys()].sort());
      expect(inOrder(all)).toBe(true);
      // Every talent is there, so the order is the exact one.
      expect(all.map((neighbour) => neighbour.id)).toEqual([...expected].sort((a, b) => b[1] - a[1]).map(([id]) => id));
      expect(await store.nearest('Job', query!, 100)).toHaveLength(70);
    });

    it('refills: every vector replaced by those written through the store it hands over, each found by search', async () => {
      const [query, ...vectors] = seededVectors(20_261_203, 31, 16);
      const talents = vectors.slice(0, 20).map((vector) => ({ kind: 'Talent' as const, id: randomUUID(), vector }));
      const jobs = vectors.slice(20).map((vector) => ({ kind: 'Job' as const, id: randomUUID(), vector }));
      await store.refill(async (loading) => {
        await loading.upsert(talents.slice(0, 12));
        await loading.upsert([...talents.slice(12), ...jobs]);
      });
      expect(await store.count('Talent')).toBe(20);
      expect(await store.count('Job')).toBe(10);
      expect(await store.vectorOf('Talent', ids[0]!)).toBeNull();
      const found = await store.nearest('Talent', query!, 20);
      const nearest = talents.reduce((best, talent) => (dot(talent.vector, query!) > dot(best.vector, query!) ? talent : best));
      expect(found.map((neighbour) => neighbour.id).sort()).toEqual(talents.map((talent) => talent.id).sort());
      expect(found[0]!.id).toBe(nearest.id);
      expect((await store.nearest('Job', query!, 20)).map((neighbour) => neighbour.id).sort()).toEqual(jobs.map((job) => job.id).sort());
    });

    it('finds nothing similar to a zero vector (its cosine is undefined)', async () => {
      const zero = new Array<number>(8).fill(0);
      expect(await store.nearest('Talent', zero, 10)).toEqual([]);
      expect(await store.similarities('Talent', zero, ids)).toEqual(new Map());
      for (const neighbour of await store.nearest('Talent', toward(4), 10)) expect(Number.isFinite(neighbour.similarity)).toBe(true);
    });

    it('refuses what it cannot store or search with a RangeError', async () => {
      await expect(store.upsert([{ kind: 'Talent', id: randomUUID(), vector: [] }])).rejects.toThrow(RangeError);
      await expect(store.upsert([{ kind: 'Talent', id: randomUUID(), vector: [Number.NaN, 1] }])).rejects.toThrow(RangeError);
      await expect(store.upsert([{ kind: 'Talent', id: randomUUID(), vector: new Array<number>(8).fill(0) }])).rejects.toThrow(RangeError);
      await expect(store.nearest('Talent', [Number.POSITIVE_INFINITY, 0], 1)).rejects.toThrow(RangeError);
      await expect(store.nearest('Talent', toward(0), 1001)).rejects.toThrow(RangeError);
    });
  });
}
