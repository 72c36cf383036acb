import weaviate, { Filters, type Collection, type WeaviateClient } from 'weaviate-client';
import type { Queryable } from '../../../platform/db/db.ts';
import { isId } from '../../../platform/validate.ts';
import {
  MAX_NEIGHBOURS,
  VECTOR_KINDS,
  checkLimit,
  checkQuery,
  checkRecord,
  isZeroVector,
  similarityFrom,
  type Neighbour,
  type VectorKind,
  type VectorRecord,
  type VectorStore,
} from './store.ts';

type EmbeddingProperties = { model: string };

/**
 * Vectors in Weaviate (WEAVIATE_URL, REST plus gRPC on WEAVIATE_GRPC_PORT): one collection per
 * kind, `<prefix>Talent` and `<prefix>Job`, holding our own vectors (no vectorizer) under the
 * entity's id, with cosine distance. The embedder's name is a property, so a search ignores
 * vectors another embedder made.
 */
export class WeaviateVectorStore implements VectorStore {
  private constructor(
    private readonly client: WeaviateClient,
    readonly model: string,
    private readonly prefix: string,
  ) {}

  static async connect(options: { url: string; grpcPort?: number; apiKey?: string; model: string; prefix?: string }): Promise<WeaviateVectorStore> {
    const { hostname, port, protocol } = new URL(options.url);
    const secure = protocol === 'https:';
    const client = await weaviate.connectToCustom({
      httpHost: hostname,
      httpPort: Number(port || (secure ? 443 : 80)),
      httpSecure: secure,
      grpcHost: hostname,
      grpcPort: options.grpcPort ?? 50051,
      grpcSecure: secure,
      ...(options.apiKey ? { authCredentials: new weaviate.ApiKey(options.apiKey) } : {}),
      timeout: { init: 5, query: 10, insert: 30 },
    });
    const store = new WeaviateVectorStore(client, options.model, options.prefix ?? 'Looma');
    for (const kind of VECTOR_KINDS) await store.ensureCollection(kind);
    return store;
  }

  within(_tx: Queryable): VectorStore {
    return this;
  }

  async upsert(records: readonly VectorRecord[]): Promise<void> {
    const checked = records.map(checkRecord);
    for (const kind of VECTOR_KINDS) {
      const mine = checked.filter((record) => record.kind === kind);
      if (!mine.length) continue;
      for (const record of mine) if (!isId(record.id)) throw new RangeError(`Not an entity id: ${record.id}`);
      const result = await this.collection(kind).data.insertMany(mine.map((record) => ({ id: record.id, properties: { model: this.model }, vectors: [...record.vector] })));
      if (result.hasErrors) throw new Error(`Weaviate refused vectors: ${JSON.stringify(Object.values(result.errors)[0])}`);
    }
  }

  async remove(kind: VectorKind, ids: readonly string[]): Promise<void> {
    const valid = ids.filter(isId);
    if (!valid.length) return;
    const collection = this.collection(kind);
    await collection.data.deleteMany(collection.filter.byId().containsAny(valid));
  }

  async nearest(kind: VectorKind, vector: readonly number[], limit: number): Promise<Neighbour[]> {
    checkLimit(limit);
    checkQuery(kind, vector);
    if (limit === 0 || isZeroVector(vector)) return [];
    const collection = this.collection(kind);
    const result = await collection.query.nearVector([...vector], { limit, filters: collection.filter.byProperty('model').equal(this.model), returnMetadata: ['distance'] });
    const found = result.objects.map((object) => ({ id: object.uuid, similarity: similarityFrom(object.metadata?.distance ?? 1) }));
    return found.sort((a, b) => b.similarity - a.similarity || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async similarities(kind: VectorKind, vector: readonly number[], ids: readonly string[]): Promise<Map<string, number>> {
    checkQuery(kind, vector);
    if (ids.length > MAX_NEIGHBOURS) throw new RangeError(`At most ${MAX_NEIGHBOURS} ids at once`);
    const valid = ids.filter(isId);
    if (!valid.length || isZeroVector(vector)) return new Map();
    const collection = this.collection(kind);
    const result = await collection.query.nearVector([...vector], {
      limit: valid.length,
      filters: Filters.and(collection.filter.byId().containsAny(valid), collection.filter.byProperty('model').equal(this.model)),
      returnMetadata: ['distance'],
    });
    return new Map(result.objects.map((object) => [object.uuid, similarityFrom(object.metadata?.distance ?? 1)]));
  }

  async vectorOf(kind: VectorKind, id: string): Promise<number[] | null> {
    if (!isId(id)) return null;
    const object = await this.collection(kind).query.fetchObjectById(id, { includeVector: true });
    if (!object || object.properties.model !== this.model) return null;
    const vector = object.vectors.default;
    return Array.isArray(vector) ? (vector as number[]) : null;
  }

  async count(kind: VectorKind): Promise<number> {
    const collection = this.collection(kind);
    const result = await collection.aggregate.overAll({ filters: collection.filter.byProperty('model').equal(this.model) });
    return result.totalCount;
  }

  async clear(): Promise<void> {
    await this.drop();
    for (const kind of VECTOR_KINDS) await this.ensureCollection(kind);
  }

  async refill(fill: (store: VectorStore) => Promise<void>): Promise<void> {
    await this.clear();
    await fill(this);
  }

  /** Deletes the collections (tests). */
  async drop(): Promise<void> {
    for (const kind of VECTOR_KINDS) await this.client.collections.delete(this.name(kind));
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private name(kind: VectorKind): string {
    return `${this.prefix}${kind}`;
  }

  private collection(kind: VectorKind): Collection<EmbeddingProperties> {
    return this.client.collections.use<string, EmbeddingProperties>(this.name(kind));
  }

  private async ensureCollection(kind: VectorKind): Promise<void> {
    if (await this.client.collections.exists(this.name(kind))) return;
    await this.client.collections.create<EmbeddingProperties>({
      name: this.name(kind),
      properties: [{ name: 'model', dataType: weaviate.configure.dataType.TEXT, tokenization: 'field' }],
      vectorizers: weaviate.configure.vectors.selfProvided({ vectorIndexConfig: weaviate.configure.vectorIndex.hnsw({ distanceMetric: 'cosine' }) }),
    });
  }
}
