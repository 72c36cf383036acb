/**
 * Turns texts into vectors whose cosine similarity says how alike the texts are. Two kinds:
 * the built-in hashing embedder (offline, no model to download) and an OpenAI-compatible
 * endpoint (AI_BASE_URL). Vectors of different embedders are not comparable: each names itself
 * (`model`), and the vectors it made are kept under that name.
 */
export interface Embedder {
  /** Names the embedder and its settings, e.g. `hashing-v1-384` or `openai:text-embedding-3-small`. */
  readonly model: string;
  /**
   * The cosine similarities this embedder typically gives unrelated texts and closely related
   * ones: matching maps that range onto 0–1 (models differ widely: hashed features rarely pass
   * 0.5, neural embeddings rarely fall below 0.1).
   */
  readonly similarityRange: readonly [unrelated: number, alike: number];
  /** One unit-length vector per text, in order. */
  embed(texts: readonly string[]): Promise<number[][]>;
}

/** Scales a vector to unit length (a zero vector stays zero). */
export function normalize(vector: number[]): number[] {
  const length = Math.hypot(...vector);
  return length === 0 ? vector : vector.map((value) => value / length);
}

/** Cosine similarity of two unit-length vectors. */
export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  for (let index = 0; index < a.length; index++) dot += a[index]! * (b[index] ?? 0);
  return dot;
}
