/** One GraphQL answer as the client gets it: `{ data, extensions? }`. */
export type CachedAnswer = Record<string, unknown>;

/**
 * Where anonymous answers are kept, each beside the generation it was computed in. Every
 * domain event starts a new generation (`bump`); an answer is served only in its own.
 */
export interface ResponseStore {
  /**
   * The current generation and, in one read, the answer cached under `key` if it was computed in
   * that generation. A null generation is unknown (lost in Redis): nothing may be served or filled.
   */
  read(key: string): Promise<{ generation: string | null; answer: CachedAnswer | undefined }>;
  /** Keeps `answer` under `key` for `ttlSeconds`, tagged with the generation read before it was computed. */
  write(key: string, generation: string, answer: CachedAnswer): Promise<void>;
  /** Starts a new generation: every answer cached so far is no longer served. */
  bump(): Promise<void>;
  close(): Promise<void>;
}
