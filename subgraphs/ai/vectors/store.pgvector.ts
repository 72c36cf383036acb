import type { Db, Queryable, Transactional } from '../../../platform/db/db.ts';
import { isId } from '../../../platform/validate.ts';
import {
  MAX_NEIGHBOURS,
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

/** What a store and its `within(tx)` copies share: settled once, when the store is opened. */
interface Extension {
  /** The schema pgvector was installed in (public, unless the server had it elsewhere already), quoted if need be. */
  schema: string;
  /** pgvector 0.8 and later can carry on an HNSW search past filtered-out rows (`hnsw.iterative_scan`). */
  iterativeScan: boolean;
  /** The indexes known to be committed. */
  indexed: Set<string>;
  /**
   * Whether a refill drops the HNSW indexes and builds them once at its end: on the embedded
   * database, where no other connection reads while the refill's transaction runs. pgvector grows
   * an index row by row several times slower than it builds one over the rows. On a server
   * the drop would lock every reader out of the table until the commit, so the index grows there.
   */
  buildIndexesAfterRefill: boolean;
}

/** What building a refill's HNSW indexes may hold in memory (the embedded database's heap grows to 2GB). */
const REFILL_INDEX_MEMORY = '512MB';

/** pgvector's HNSW search keeps this many candidates unless told more (`hnsw.ef_search`), and takes at most 1000. */
const DEFAULT_EF_SEARCH = 40;

/**
 * Vectors in the AI subgraph's PostgreSQL schema (PGlite embedded, or a server) with pgvector:
 * table `embeddings` (migrations/002_embeddings.sql). The column takes any dimension, since the
 * embedder decides it; an HNSW index for cosine distance is made per kind for the dimension in
 * use, as a partial expression index (`vector::vector(n)` where kind and dimension match), and
 * every search uses that same expression. pgvector lives in the schema it was installed in
 * (public), so its names are qualified.
 */
export class PgVectorStore implements VectorStore {
  private constructor(
    private readonly q: Queryable,
    /** The database itself when `q` is not one of its transactions: searches open their own there. */
    private readonly db: Transactional | null,
    readonly model: string,
    private readonly extension: Extension,
    /** A refill's loading copy: writes leave the indexes to the end of the refill. */
    private readonly loading = false,
  ) {}

  /** The store on `db` (migrated: pgvector installed), for the embedder `model`. */
  static async open(db: Transactional & Partial<Pick<Db, 'backend'>>, model: string): Promise<PgVectorStore> {
    const [row] = await db.query<{ schema: string; version: string }>(
      `select extnamespace::regnamespace::text as schema, extversion as version from pg_extension where extname = 'vector'`,
    );
    if (!row) throw new Error('pgvector is not installed: run the AI migrations');
    const [major = 0, minor = 0] = row.version.split('.').map(Number);
    const indexes = (await db.query<{ name: string }>(`select indexname as name from pg_indexes where schemaname = current_schema() and indexname like 'embeddings_hnsw_%'`)).map((index) => index.name);
    // An index over both kinds (before the per-kind ones) serves no search any more.
    const bothKinds = indexes.filter((name) => /^embeddings_hnsw_\d+$/.test(name));
    for (const name of bothKinds) await db.exec(`drop index if exists ${name}`);
    const indexed = new Set(indexes.filter((name) => !bothKinds.includes(name)));
    const extension = { schema: row.schema, iterativeScan: major > 0 || minor >= 8, indexed, buildIndexesAfterRefill: db.backend === 'pglite' };
    return new PgVectorStore(db, db, model, extension);
  }

  within(tx: Queryable): VectorStore {
    return new PgVectorStore(tx, null, this.model, this.extension);
  }

  async upsert(records: readonly VectorRecord[]): Promise<void> {
    if (!records.length) return;
    const checked = records.map(checkRecord);
    for (const record of checked) if (!isId(record.id)) throw new RangeError(`Not an entity id: ${record.id}`);
    await this.q.query(
      `insert into embeddings (kind, id, model, vector)
       select kind, id, $1, embedding::${this.vectorType} from jsonb_to_recordset($2::jsonb) as r(kind text, id uuid, embedding text)
       on conflict (kind, id) do update set model = excluded.model, vector = excluded.vector`,
      [this.model, JSON.stringify(checked.map((record) => ({ kind: record.kind, id: record.id, embedding: literal(record.vector) })))],
    );
    if (this.loading) return;
    const indexes = new Map(checked.map((record) => [`${record.kind}:${record.vector.length}`, record] as const));
    for (const { kind, vector } of indexes.values()) await this.ensureIndex(kind, vector.length);
  }

  async remove(kind: VectorKind, ids: readonly string[]): Promise<void> {
    const valid = ids.filter(isId);
    if (valid.length) await this.q.query('delete from embeddings where kind = $1 and id = any($2::uuid[])', [kind, valid]);
  }

  async nearest(kind: VectorKind, vector: readonly number[], limit: number): Promise<Neighbour[]> {
    checkLimit(limit);
    checkQuery(kind, vector);
    if (limit === 0 || isZeroVector(vector)) return [];
    await this.ensureIndex(kind, vector.length);
    const { schema, iterativeScan } = this.extension;
    const typed = `${this.vectorType}(${vector.length})`;
    const distance = `vector::${typed} operator(${schema}.<=>) $2::${typed}`;
    // HNSW hands over at most ef_search candidates, filtered afterwards. So: an index per kind (the kind a
    // literal, for the planner to match its predicate), ef_search at least `limit`, and on pgvector 0.8+ an
    // iterative scan past the rows the model filter drops, whose relaxed order is sorted again (`+ 0` keeps
    // PostgreSQL 17 from taking the CTE as sorted). The inner query orders by the distance alone, as the
    // index does: PostgreSQL before 17 would not use the index for `distance, id`.
    const search = async (q: Queryable) => {
      await q.query(
        `select set_config('hnsw.ef_search', $1, true)${iterativeScan ? `, set_config('hnsw.iterative_scan', 'relaxed_order', true)` : ''}`,
        [String(Math.min(MAX_NEIGHBOURS, Math.max(limit, DEFAULT_EF_SEARCH)))],
      );
      return q.query<{ id: string; distance: number }>(
        `with found as materialized (
           select id, ${distance} as distance from embeddings
            where kind = '${kind}' and model = $1 and ${schema}.vector_dims(vector) = ${vector.length}
            order by ${distance} limit $3
         )
         select id::text, distance from found order by found.distance + 0, found.id`,
        [this.model, literal(vector), limit],
      );
    };
    // The settings hold until the transaction ends: a search in the caller's transaction leaves them for the rest of it.
    const rows = this.db ? await this.db.transaction(search) : await search(this.q);
    return rows.map((row) => ({ id: row.id, similarity: similarityFrom(Number(row.distance)) }));
  }

  async similarities(kind: VectorKind, vector: readonly number[], ids: readonly string[]): Promise<Map<string, number>> {
    checkQuery(kind, vector);
    if (ids.length > MAX_NEIGHBOURS) throw new RangeError(`At most ${MAX_NEIGHBOURS} ids at once`);
    const valid = ids.filter(isId);
    if (!valid.length || isZeroVector(vector)) return new Map();
    const { schema } = this.extension;
    const typed = `${this.vectorType}(${vector.length})`;
    const rows = await this.q.query<{ id: string; distance: number }>(
      `select id::text, vector::${typed} operator(${schema}.<=>) $3::${typed} as distance from embeddings
       where kind = $1 and model = $2 and ${schema}.vector_dims(vector) = ${vector.length} and id = any($4::uuid[])`,
      [kind, this.model, literal(vector), valid],
    );
    return new Map(rows.map((row) => [row.id, similarityFrom(Number(row.distance))]));
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

  async refill(fill: (store: VectorStore) => Promise<void>): Promise<void> {
    await this.clear();
    if (!this.extension.buildIndexesAfterRefill) return fill(this);
    const indexes = await this.q.query<{ name: string }>(`select indexname as name from pg_indexes where schemaname = current_schema() and indexname like 'embeddings_hnsw_%'`);
    for (const { name } of indexes) {
      await this.q.exec(`drop index ${name}`);
      // Rolled back, the index is there again, and ensureIndex finds it in pg_indexes.
      this.extension.indexed.delete(name);
    }
    await fill(new PgVectorStore(this.q, this.db, this.model, this.extension, true));
    const written = await this.q.query<{ kind: VectorKind; dimensions: number }>(
      `select distinct kind, ${this.extension.schema}.vector_dims(vector) as dimensions from embeddings`,
    );
    // A graph that outgrows maintenance_work_mem (64MB by default: some 40k vectors of 384
    // dimensions) is built on in pages, far slower. For the rest of the refill's transaction only.
    await this.q.query(`select set_config('maintenance_work_mem', $1, true)`, [REFILL_INDEX_MEMORY]);
    for (const { kind, dimensions } of written) await this.ensureIndex(kind, dimensions);
  }

  /** pgvector's `vector` type, qualified. */
  private get vectorType(): string {
    return `${this.extension.schema}.vector`;
  }

  /** The HNSW index (cosine distance) that searches of this kind and dimension use. */
  private async ensureIndex(kind: VectorKind, dimensions: number): Promise<void> {
    const name = `embeddings_hnsw_${kind.toLowerCase()}_${dimensions}`;
    if (this.extension.indexed.has(name)) return;
    const { schema } = this.extension;
    const [exists] = await this.q.query('select 1 from pg_indexes where schemaname = current_schema() and indexname = $1', [name]);
    if (!exists) {
      await this.q.exec(
        `create index if not exists ${name} on embeddings using hnsw ((vector::${schema}.vector(${dimensions})) ${schema}.vector_cosine_ops)
         where kind = '${kind}' and ${schema}.vector_dims(vector) = ${dimensions}`,
      );
    }
    // One made (or seen) inside a transaction is gone if that rolls back: only remember it outside one.
    if (this.db) this.extension.indexed.add(name);
  }
}

/** pgvector's text form of a vector: `[0.1,0.2,…]`. */
const literal = (vector: readonly number[]) => `[${vector.join(',')}]`;
