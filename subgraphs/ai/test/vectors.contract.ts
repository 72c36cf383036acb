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

    it('refuses what it cannot store or search with a RangeError', async () => {
      await expect(store.upsert([{ kind: 'Talent', id: randomUUID(), vector: [] }])).rejects.toThrow(RangeError);
      await expect(store.upsert([{ kind: 'Talent', id: randomUUID(), vector: [Number.NaN, 1] }])).rejects.toThrow(RangeError);
      await expect(store.nearest('Talent', toward(0), 1001)).rejects.toThrow(RangeError);
    });
  });
}
