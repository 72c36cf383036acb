import type { Queryable } from '../../../platform/db/db.ts';

/**
 * Where the AI subgraph keeps one vector per talent and per job, made by one embedder (its
 * `model`): pgvector in the subgraph's PostgreSQL schema by default, Weaviate when WEAVIATE_URL
 * is set. Both pass test/vectors.contract.ts.
 */

export type VectorKind = 'Talent' | 'Job';
export const VECTOR_KINDS: readonly VectorKind[] = ['Talent', 'Job'];

export interface VectorRecord {
  kind: VectorKind;
  id: string;
  vector: readonly number[];
}

export interface Neighbour {
  id: string;
  /** Cosine similarity to the vector asked about, from -1 to 1 (never NaN: see `similarityFrom`). */
  similarity: number;
}

/** The most neighbours one call returns, and the most ids one call takes. */
export const MAX_NEIGHBOURS = 1000;

export interface VectorStore {
  /** Names the embedder whose vectors this store holds. */
  readonly model: string;
  /** Stores vectors of at least one dimension, each finite and not all zero (`checkRecord`). */
  upsert(records: readonly VectorRecord[]): Promise<void>;
  remove(kind: VectorKind, ids: readonly string[]): Promise<void>;
  /**
   * The `limit` vectors of this kind most similar to `vector` (all of them when there are fewer),
   * most similar first, equally similar ones by id. Nothing is similar to a zero vector: none.
   */
  nearest(kind: VectorKind, vector: readonly number[], limit: number): Promise<Neighbour[]>;
  /** How similar each of these (that has a vector) is to `vector`; none for a zero vector. */
  similarities(kind: VectorKind, vector: readonly number[], ids: readonly string[]): Promise<Map<string, number>>;
  /** The stored vector of one entity, or null. */
  vectorOf(kind: VectorKind, id: string): Promise<number[] | null>;
  count(kind: VectorKind): Promise<number>;
  /** Forgets every vector (a change of embedder). */
  clear(): Promise<void>;
  /**
   * Replaces every vector with those `fill` upserts through the store it is handed (a rebuild):
   * as clear() then fill, except that a store whose search index is cheaper built once than grown
   * row by row may build it at the end.
   */
  refill(fill: (store: VectorStore) => Promise<void>): Promise<void>;
  /** The same store writing inside `tx` where it can (PostgreSQL); Weaviate writes at once. */
  within(tx: Queryable): VectorStore;
}

/** A vector to store: a known kind, at least one dimension, each finite, not all zero (no direction, so no cosine). */
export function checkRecord(record: VectorRecord): VectorRecord {
  checkQuery(record.kind, record.vector);
  if (isZeroVector(record.vector)) throw new RangeError('A zero vector has no direction to compare: remove the entity\'s vector instead');
  return record;
}

/** A vector to search with: as one to store, except that it may be zero (then nothing is near it). */
export function checkQuery(kind: VectorKind, vector: readonly number[]): void {
  if (!VECTOR_KINDS.includes(kind)) throw new RangeError(`Unknown vector kind: ${String(kind)}`);
  if (!vector.length || !vector.every(Number.isFinite)) throw new RangeError('A vector has at least one dimension, each a finite number');
}

export const isZeroVector = (vector: readonly number[]): boolean => vector.every((value) => value === 0);

/** Cosine similarity from a backend's cosine distance; 0 where it is not a number (a vector too small to normalize). */
export function similarityFrom(distance: number): number {
  const similarity = 1 - distance;
  return Number.isFinite(similarity) ? similarity : 0;
}

export function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_NEIGHBOURS) throw new RangeError(`limit must be an integer from 0 to ${MAX_NEIGHBOURS}`);
  return limit;
}
