import type { Queryable } from '../../../platform/db/db.ts';
import { isId } from '../../../platform/validate.ts';
import { MAX_NEIGHBOURS, checkLimit, checkRecord, type Neighbour, type VectorKind, type VectorRecord, type VectorStore } from './store.ts';

/**
 * Vectors in the AI subgraph's PostgreSQL schema (PGlite embedded, or a server) with pgvector:
 * table `embeddings` (migrations/002_embeddings.sql). The column takes any dimension, since the
 * embedder decides it; an HNSW index for cosine distance is made for the dimension in use, as a
 * partial expression index (`vector::vector(n)`), and every search uses that same expression.
 * pgvector lives in the schema it was installed in (public), so its names are qualified.
 */
export class PgVectorStore implements VectorStore {
  constructor(
    private readonly q: Queryable,
    readonly model: string,
    private readonly shared: { extension?: Promise<string>; indexed: Set<number> } = { indexed: new Set() },
  ) {}

  within(tx: Queryable): VectorStore {
    return new PgVectorStore(tx, this.model, this.shared);
  }

  async upsert(records: readonly VectorRecord[]): Promise<void> {
    if (!records.length) return;
    const checked = records.map(checkRecord);
    for (const record of checked) if (!isId(record.id)) throw new RangeError(`Not an entity id: ${record.id}`);
    const vector = await this.vectorType();
    await this.q.query(
      `insert into embeddings (kind, id, model, vector)
       select kind, id, $1, embedding::${vector} from jsonb_to_recordset($2::jsonb) as r(kind text, id uuid, embedding text)
       on conflict (kind, id) do update set model = excluded.model, vector = excluded.vector`,
      [this.model, JSON.stringify(checked.map((record) => ({ kind: record.kind, id: record.id, embedding: literal(record.vector) })))],
    );
    for (const dimensions of new Set(checked.map((record) => record.vector.length))) await this.ensureIndex(dimensions);
  }

  async remove(kind: VectorKind, ids: readonly string[]): Promise<void> {
    const valid = ids.filter(isId);
    if (valid.length) await this.q.query('delete from embeddings where kind = $1 and id = any($2::uuid[])', [kind, valid]);
  }

  async nearest(kind: VectorKind, vector: readonly number[], limit: number): Promise<Neighbour[]> {
    checkLimit(limit);
    checkRecord({ kind, id: '', vector });
    if (limit === 0) return [];
    const typed = await this.typedAs(vector.length);
    const schema = await this.extensionSchema();
    const distance = `vector::${typed} operator(${schema}.<=>) $3::${typed}`;
    const rows = await this.q.query<{ id: string; distance: number }>(
      `select id::text, ${distance} as distance from embeddings
       where kind = $1 and model = $2 and ${schema}.vector_dims(vector) = ${vector.length}
       order by ${distance}, id limit $4`,
      [kind, this.model, literal(vector), limit],
    );
    return rows.map((row) => ({ id: row.id, similarity: 1 - Number(row.distance) }));
  }

  async similarities(kind: VectorKind, vector: readonly number[], ids: readonly string[]): Promise<Map<string, number>> {
    checkRecord({ kind, id: '', vector });
    if (ids.length > MAX_NEIGHBOURS) throw new RangeError(`At most ${MAX_NEIGHBOURS} ids at once`);
    const valid = ids.filter(isId);
    if (!valid.length) return new Map();
    const typed = await this.typedAs(vector.length);
    const schema = await this.extensionSchema();
    const rows = await this.q.query<{ id: string; distance: number }>(
      `select id::text, vector::${typed} operator(${schema}.<=>) $3::${typed} as distance from embeddings
       where kind = $1 and model = $2 and ${schema}.vector_dims(vector) = ${vector.length} and id = any($4::uuid[])`,
      [kind, this.model, literal(vector), valid],
    );
    return new Map(rows.map((row) => [row.id, 1 - Number(row.distance)]));
  }

  async vectorOf(kind: VectorKind, id: string): Promise<number[] | null> {
    if (!isId(id)) return null;
    const [row] = await this.q.query<{ vector: string }>('select vector::text as vector from embeddings where kind = $1 and id = $2 and model = $3', [kind, id, this.model]);
    return row ? (JSON.parse(row.vector) as number[]) : null;
  }

  async count(kind: VectorKind): Promise<number> {
    const [row] = await this.q.query<{ n: number }>('select count(*)::int as n from embeddings where kind = $1 and model = $2', [kind, this.model]);
    return row!.n;
  }

  async clear(): Promise<void> {
    await this.q.query('delete from embeddings');
  }

  /** pgvector's `vector` type, qualified. */
  private async vectorType(): Promise<string> {
    return `${await this.extensionSchema()}.vector`;
  }

  private async typedAs(dimensions: number): Promise<string> {
    await this.ensureIndex(dimensions);
    return `${await this.vectorType()}(${dimensions})`;
  }

  /** The HNSW index searches of this dimension use (cosine distance). */
  private async ensureIndex(dimensions: number): Promise<void> {
    if (this.shared.indexed.has(dimensions)) return;
    const schema = await this.extensionSchema();
    await this.q.exec(
      `create index if not exists embeddings_hnsw_${dimensions} on embeddings
       using hnsw ((vector::${schema}.vector(${dimensions})) ${schema}.vector_cosine_ops) where ${schema}.vector_dims(vector) = ${dimensions}`,
    );
    this.shared.indexed.add(dimensions);
  }

  /** The schema pgvector was installed in (public, unless the server had it elsewhere already). */
  private extensionSchema(): Promise<string> {
    this.shared.extension ??= this.q
      .query<{ schema: string | null }>(`select extnamespace::regnamespace::text as schema from pg_extension where extname = 'vector'`)
      .then(([row]) => {
        if (!row?.schema) throw new Error('pgvector is not installed: run the AI migrations');
        return row.schema;
      });
    return this.shared.extension.catch((error: unknown) => {
      this.shared.extension = undefined;
      throw error;
    });
  }
}

/** pgvector's text form of a vector: `[0.1,0.2,…]`. */
const literal = (vector: readonly number[]) => `[${vector.join(',')}]`;

