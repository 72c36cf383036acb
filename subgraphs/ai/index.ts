import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/db.ts';
import type { SubgraphDefinition } from '../../platform/subgraph.ts';
import { zervigoConfigFromEnv } from '../../platform/zervigo-client.ts';
import type { Answerer } from './answering/answer.ts';
import { ExtractiveAnswerer } from './answering/extractive.ts';
import { answerProviderFrom, createAnswerer } from './answering/provider.ts';
import type { Embedder } from './embedding/embedder.ts';
import { HashingEmbedder } from './embedding/hashing.ts';
import { OpenAiEmbedder } from './embedding/openai.ts';
import { aiConsumer } from './projector.ts';
import { resolvers } from './resolvers/index.ts';
import { Taxonomy } from './taxonomy.ts';
import { PgVectorStore } from './vectors/store.pgvector.ts';
import type { VectorStore } from './vectors/store.ts';

export interface Stores {
  /** What matching reads (skills, talents, resumes, jobs), the inbox, and pgvector's embeddings. */
  db: Db;
  /** One vector per talent and job: Weaviate when WEAVIATE_URL is set, else pgvector in this schema. */
  vectors: VectorStore;
  /** An OpenAI-compatible endpoint when AI_BASE_URL is set, else the built-in hashing embedder. */
  embedder: Embedder;
  taxonomy: Taxonomy;
  /** Questions about a talent, as AI_ANSWER_PROVIDER says: the extractive answerer, the chat model at AI_BASE_URL, or Zervigo's AI; `offline` either way, the fallback. */
  answerer: Answerer;
  offline: Answerer;
}

async function createStores(db: Db): Promise<Stores> {
  const taxonomy = new Taxonomy();
  const { baseUrl, apiKey, embeddingModel, chatModel, answerProvider, similarityRange, timeoutMs, weaviateUrl, weaviateGrpcPort, weaviateApiKey } = config.ai;
  // Chosen first: a provider that cannot work is a start-up error before anything is opened.
  const offline = new ExtractiveAnswerer(() => taxonomy.current.aliases);
  const answerer = createAnswerer(answerProviderFrom(answerProvider, baseUrl), {
    offline,
    ...(baseUrl ? { chat: { baseUrl, apiKey, model: chatModel, timeoutMs } } : {}),
    zervigo: () => zervigoConfigFromEnv(),
  });
  const embedder: Embedder = baseUrl
    ? new OpenAiEmbedder({ baseUrl, apiKey, model: embeddingModel, timeoutMs, similarityRange: parseRange(similarityRange) })
    : new HashingEmbedder({ skills: () => taxonomy.current.aliases });
  // Weaviate's client is loaded only when it is used: it would add to every start's module loading otherwise.
  const vectors = weaviateUrl
    ? await (await import('./vectors/store.weaviate.ts')).WeaviateVectorStore.connect({ url: weaviateUrl, grpcPort: weaviateGrpcPort, apiKey: weaviateApiKey, model: embedder.model })
    : await PgVectorStore.open(db, embedder.model);
  // No vectors from this embedder while talents are known (a new embedder, a wiped Weaviate):
  // build again, which embeds everything.
  const [known] = await db.query('select 1 from talents limit 1');
  if (known && (await vectors.count('Talent')) === 0) await db.query('delete from rebuilds where consumer = $1', [aiConsumer.name]);
  return { db, vectors, embedder, taxonomy, answerer, offline };
}

/** AI_SIMILARITY_RANGE as `low,high` with 0 ≤ low < high ≤ 1, or undefined when unset. */
function parseRange(value: string | undefined): [number, number] | undefined {
  if (value === undefined) return undefined;
  const [low, high] = value.split(',').map(Number);
  if (!(low !== undefined && high !== undefined && low >= 0 && low < high && high <= 1)) throw new Error(`AI_SIMILARITY_RANGE must be "low,high" with 0 <= low < high <= 1, not "${value}"`);
  return [low, high];
}

export const ai: SubgraphDefinition<Stores> = {
  name: 'ai',
  directory: dirname(fileURLToPath(import.meta.url)),
  createStores,
  resolvers,
  consumer: aiConsumer,
  close: async ({ vectors }) => {
    if (vectors instanceof PgVectorStore) return;
    const { WeaviateVectorStore } = await import('./vectors/store.weaviate.ts');
    if (vectors instanceof WeaviateVectorStore) await vectors.close();
  },
};
