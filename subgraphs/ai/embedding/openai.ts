import { normalize, type Embedder } from './embedder.ts';

/**
 * Embeddings from an OpenAI-compatible endpoint (`POST <baseUrl>/embeddings`, as OpenAI, Azure
 * OpenAI's v1 API, vLLM, Ollama and LM Studio serve it). Texts go in batches; each call is cut
 * off after `timeoutMs`.
 */
export class OpenAiEmbedder implements Embedder {
  readonly model: string;
  readonly similarityRange: readonly [number, number];

  constructor(
    private readonly options: {
      baseUrl: string;
      apiKey?: string;
      model: string;
      timeoutMs: number;
      batchSize?: number;
      /** Defaults to 0.2–0.7, typical of OpenAI's text-embedding-3 models (AI_SIMILARITY_RANGE for others). */
      similarityRange?: readonly [number, number];
    },
  ) {
    this.model = `openai:${options.model}`;
    this.similarityRange = options.similarityRange ?? [0.2, 0.7];
  }

  async embed(texts: readonly string[]): Promise<number[][]> {
    const batchSize = this.options.batchSize ?? 64;
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += batchSize) vectors.push(...(await this.batch(texts.slice(start, start + batchSize))));
    return vectors;
  }

  private async batch(input: readonly string[]): Promise<number[][]> {
    const url = `${this.options.baseUrl.replace(/\/$/, '')}/embeddings`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}) },
        body: JSON.stringify({ model: this.options.model, input }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw new Error(`The embeddings endpoint at ${url} did not answer: ${(error as Error).message}`, { cause: error });
    }
    if (!response.ok) throw new Error(`The embeddings endpoint at ${url} answered ${response.status}`);
    const body = (await response.json()) as { data?: { index?: number; embedding?: unknown }[] };
    const data = body.data ?? [];
    const vectors = [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).map((item) => item.embedding);
    if (vectors.length !== input.length || !vectors.every(isVector)) throw new Error(`The embeddings endpoint at ${url} answered something that is not ${input.length} embeddings`);
    return vectors.map((vector) => normalize(vector));
  }
}

const isVector = (value: unknown): value is number[] => Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'number' && Number.isFinite(item));
