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
  /** Cosine similarity to the vector asked about, from -1 to 1. */
  similarity: number;
}

/** The most neighbours one call returns, and the most ids one call takes. */
export const MAX_NEIGHBOURS = 1000;

export interface VectorStore {
  /** Names the embedder whose vectors this store holds. */
  readonly model: string;
  upsert(records: readonly VectorRecord[]): Promise<void>;
  remove(kind: VectorKind, ids: readonly string[]): Promise<void>;
  /** The `limit` vectors of this kind most similar to `vector`, most similar first. */
  nearest(kind: VectorKind, vector: readonly number[], limit: number): Promise<Neighbour[]>;
  /** How similar each of these (that has a vector) is to `vector`. */
  similarities(kind: VectorKind, vector: readonly number[], ids: readonly string[]): Promise<Map<string, number>>;
  /** The stored vector of one entity, or null. */
  vectorOf(kind: VectorKind, id: string): Promise<number[] | null>;
  count(kind: VectorKind): Promise<number>;
  /** Forgets every vector (a rebuild, or a change of embedder). */
  clear(): Promise<void>;
  /** The same store writing inside `tx` where it can (PostgreSQL); Weaviate writes at once. */
  within(tx: Queryable): VectorStore;
}

export function checkRecord(record: VectorRecord): VectorRecord {
  if (!VECTOR_KINDS.includes(record.kind)) throw new RangeError(`Unknown vector kind: ${String(record.kind)}`);
  if (!record.vector.length || !record.vector.every(Number.isFinite)) throw new RangeError('A vector has at least one dimension, each a finite number');
  return record;
}

export function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_NEIGHBOURS) throw new RangeError(`limit must be an integer from 0 to ${MAX_NEIGHBOURS}`);
  return limit;
}
