import type { Db, Queryable } from '../../platform/db/db.ts';
import { TOKEN, isCjk, words } from '../../platform/text-analysis.ts';
import { checkCountUpTo, checkIndexQuery, checkSuggestion, checkType, checkVisibility } from './validation.ts';
import {
  FACETS,
  type EntityRef,
  type EntityType,
  type Facet,
  type FacetValue,
  type Highlight,
  type IndexHit,
  type IndexQuery,
  type IndexResults,
  type SearchDocument,
  type SearchIndex,
  type SearchIndexOptions,
  type Suggestion,
  type Visibility,
} from './store.ts';

/**
 * The search index in this subgraph's PostgreSQL schema (PGlite embedded, or a server):
 * migrations/001_index.sql. Each document's text is one weighted tsvector kept by PostgreSQL
 * itself (a generated column): title and skills weigh A, company and location B, body C.
 * Latin words go through the 'english' configuration, so "engineers" finds "engineer" (both
 * sides are stemmed alike, so "TypeScript" still finds "TypeScript"); CJK runs, which
 * PostgreSQL's parser cannot split, are indexed as the bigrams platform/text-analysis.ts makes, through
 * 'simple'.
 *
 * A search is one statement: typo corrections (pg_trgm), matching, ranking, the total, the
 * facet counts and the page, plus which words of the page's hits matched, so that
 * highlights (drawn here, in TS) mark stemmed and corrected words too. Its work is bounded by
 * `countUpTo`, not by the size of the index: see `considered` in the statement.
 */

/** A corrected word must be at least this similar (pg_trgm trigram similarity, 0–1) to the typed one. */
export const MIN_SIMILARITY = 0.4;
/** Corrections added for one typed word, at most: the most similar ones. */
export const MAX_CORRECTIONS = 3;
/** Words shorter than this are never corrected: too few trigrams to tell a typo from another word. */
export const MIN_CORRECTED_LENGTH = 4;

/** Body fragments in a highlight, at most, and their length in characters. */
const MAX_FRAGMENTS = 2;
const FRAGMENT_LENGTH = 150;
/** Documents written per statement. */
const BATCH = 500;
/** Longer "words" (URLs, hashes) are not worth a vocabulary entry nor a highlight. */
const MAX_WORD_LENGTH = 64;

const FACET_COLUMNS: Record<Facet, string> = {
  skills: 'skills',
  location: 'location',
  company: 'company',
  employmentType: 'employment_type',
  seniority: 'seniority',
};

interface DocumentRow {
  type: EntityType;
  id: string;
  title: string;
  body: string;
  skills: string[];
  location: string | null;
  company: string | null;
  employment_type: string | null;
  seniority: string | null;
  visibility: Visibility;
  words: string[];
  cjk_a: string;
  cjk_b: string;
  cjk_c: string;
}

/** One alternative of a query group, as the search statement takes it. */
interface TermRow {
  g: number;
  /** Its latin words (stemmed by 'english'), space-separated; '' when none. */
  latin: string;
  /** Its CJK bigrams (matched through 'simple'), space-separated; '' when none. */
  cjk: string;
  /** A single latin word long enough to correct when it finds nothing. */
  fix: boolean;
}

interface HitRow {
  type: EntityType;
  id: string;
  title: string;
  body: string;
  matched: number;
  rank: number;
}

interface SearchRow {
  /** The matches considered: every one, or countUpTo + 1 when there are more. */
  considered: number;
  hits: HitRow[];
  facets: { facet: Facet; value: string; count: number }[];
  /** Words of the page's hits that match a query word (by stem) or a correction. */
  marked: string[];
}

export class PostgresSearchIndex implements SearchIndex {
  /** Set on an index made by within(): every statement runs in that transaction. */
  private bound: Queryable | undefined;
  /** pg_trgm's schema (quoted), looked up once and shared with within()'s copies. */
  private trgm: { schema?: Promise<string> } = {};
  /** The most matches a search considers (SearchIndexOptions); null: every one. */
  private readonly countUpTo: number | null;

  constructor(
    private readonly db: Db,
    private readonly options: SearchIndexOptions = {},
  ) {
    this.countUpTo = checkCountUpTo(options.countUpTo);
  }

  within(tx: Queryable): SearchIndex {
    const index = new PostgresSearchIndex(this.db, this.options);
    index.trgm = this.trgm;
    index.bound = tx;
    return index;
  }

  private get q(): Queryable {
    return this.bound ?? this.db;
  }

  /**
   * Runs `work` atomically. A bound index is already inside a transaction and runs it there:
   * opening another would nest, and PGlite's exclusive transaction would wait on itself.
   */
  private atomically<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.bound ? work(this.bound) : this.db.transaction(work);
  }

  async upsert(documents: readonly SearchDocument[]): Promise<void> {
    const rows = latestOf(documents).map(toRow);
    if (rows.length === 0) return;
    if (rows.length <= BATCH) return this.write(this.q, rows);
    await this.atomically((tx) => this.write(tx, rows));
  }

  async remove(refs: readonly EntityRef[]): Promise<void> {
    if (refs.length === 0) return;
    const types = refs.map((ref) => checkType(ref.type));
    const ids = refs.map((ref) => checkDocumentId(ref.id));
    await this.q.query('delete from documents d using unnest($1::text[], $2::text[]) as r(type, id) where d.type = r.type and d.id = r.id', [types, ids]);
  }

  async replaceAll(documents: readonly SearchDocument[]): Promise<void> {
    const rows = latestOf(documents).map(toRow);
    // Deletes, not truncate: a reader keeps seeing the old rows until the transaction commits,
    // and is not blocked meanwhile. The vocabulary is rebuilt from the new documents.
    await this.atomically(async (tx) => {
      await tx.query('delete from documents');
      await tx.query('delete from vocabulary');
      await this.write(tx, rows);
    });
  }

  async count(): Promise<number> {
    const [row] = await this.q.query<{ count: number }>('select count(*)::int as count from documents');
    return row!.count;
  }

  /** Writes documents, BATCH per statement, and adds their words to the vocabulary. */
  private async write(q: Queryable, rows: readonly DocumentRow[]): Promise<void> {
    for (let start = 0; start < rows.length; start += BATCH) {
      await q.query(
        `with input as (
           select * from jsonb_to_recordset($1::jsonb) as d(
             type text, id text, title text, body text, skills text[], location text, company text,
             employment_type text, seniority text, visibility text, words text[], cjk_a text, cjk_b text, cjk_c text)
         ),
         written as (
           insert into documents (type, id, title, body, skills, location, company, employment_type, seniority, visibility, words, cjk_a, cjk_b, cjk_c)
           select type, id, title, body, skills, location, company, employment_type, seniority, visibility, words, cjk_a, cjk_b, cjk_c from input
           on conflict (type, id) do update set
             title = excluded.title, body = excluded.body, skills = excluded.skills, location = excluded.location,
             company = excluded.company, employment_type = excluded.employment_type, seniority = excluded.seniority,
             visibility = excluded.visibility, words = excluded.words, cjk_a = excluded.cjk_a, cjk_b = excluded.cjk_b, cjk_c = excluded.cjk_c
           -- A replayed write leaves the row alone (no dead tuple, no index churn).
           where (documents.title, documents.body, documents.skills, documents.location, documents.company, documents.employment_type,
                  documents.seniority, documents.visibility, documents.cjk_a, documents.cjk_b, documents.cjk_c)
             is distinct from (excluded.title, excluded.body, excluded.skills, excluded.location, excluded.company, excluded.employment_type,
                  excluded.seniority, excluded.visibility, excluded.cjk_a, excluded.cjk_b, excluded.cjk_c)
           returning 1
         ),
         learned as (
           insert into vocabulary (word)
           select distinct w.word from input cross join unnest(input.words) as w(word)
           where length(w.word) >= 3 and w.word ~ '[^0-9]'
           on conflict (word) do nothing
           returning 1
         )
         select (select count(*) from written) as written, (select count(*) from learned) as learned`,
        [JSON.stringify(rows.slice(start, start + BATCH))],
      );
    }
  }

  async search(query: IndexQuery): Promise<IndexResults> {
    const checked = checkQuery(query);
    const schema = await this.trgmSchema();
    const [row] = await this.q.query<SearchRow>(searchStatement(schema), [
      JSON.stringify(checked.terms),
      checked.types,
      checked.visibility,
      ...FACETS.map((facet) => checked.filters[facet] ?? null),
      checked.limit,
      checked.offset,
      query.terms.length === 0,
      this.countUpTo,
    ]);
    const { considered, hits, facets, marked } = row!;
    const totalIsExact = this.countUpTo === null || considered <= this.countUpTo;
    const marks: Marks = { latin: new Set(marked), cjk: new Set(checked.terms.flatMap((term) => (term.cjk ? term.cjk.split(' ') : []))) };
    const byFacet = Object.fromEntries(FACETS.map((facet) => [facet, [] as FacetValue[]])) as Record<Facet, FacetValue[]>;
    for (const { facet, value, count } of facets) byFacet[facet].push({ value, count });
    return {
      total: totalIsExact ? considered : this.countUpTo!,
      totalIsExact,
      hits: hits.map(
        (hit): IndexHit => ({
          type: hit.type,
          id: hit.id,
          // Groups matched first, then the text rank squashed below 1: the score orders like the hits.
          score: hit.matched + hit.rank / (1 + hit.rank),
          highlights: highlightsOf(hit, marks),
        }),
      ),
      facets: byFacet,
    };
  }

  async suggest(prefix: string, types: readonly EntityType[], visibility: readonly Visibility[], limit: number): Promise<Suggestion[]> {
    const { types: checkedTypes, visibility: checkedVisibility, limit: checkedLimit } = checkSuggestion(prefix, types, visibility, limit);
    const text = storable(prefix).trimStart().toLowerCase();
    if (!text || checkedLimit === 0 || checkedTypes.length === 0 || checkedVisibility.length === 0) return [];
    // A latin prefix completes a word: at the start of the title or after a space or punctuation.
    // CJK has no spaces between words, so a CJK prefix may start anywhere.
    const pattern = isCjk(text[0]!) ? escapeRegex(text) : `(^|[[:space:][:punct:]])${escapeRegex(text)}`;
    const rows = await this.q.query<{ type: EntityType; id: string; title: string }>(
      `select type, id, title from documents
       where type = any($1::text[]) and visibility = any($2::text[]) and lower(title) ~ $3
       order by length(title), lower(title) collate "C", title collate "C", type collate "C", id collate "C"
       limit $4`,
      [checkedTypes, checkedVisibility, pattern, checkedLimit],
    );
    return rows.map((row) => ({ type: row.type, id: row.id, text: row.title }));
  }

  /** The schema pg_trgm was installed in (public, unless the server had it elsewhere already). */
  private trgmSchema(): Promise<string> {
    this.trgm.schema ??= this.q
      .query<{ schema: string | null }>(`select extnamespace::regnamespace::text as schema from pg_extension where extname = 'pg_trgm'`)
      .then(([row]) => {
        if (!row?.schema) throw new Error('pg_trgm is not installed: run the search migrations');
        return row.schema;
      });
    return this.trgm.schema.catch((error: unknown) => {
      this.trgm.schema = undefined;
      throw error;
    });
  }
}

/**
 * The search statement ($1 terms, $2 types, $3 visibility, $4–$8 the facet filters in FACETS
 * order or null, $9 limit, $10 offset, $11 true for a query without words: every document
 * matches, for browsing by type and facets; $12 countUpTo, null for no bound).
 * `trgm` is pg_trgm's schema, from the catalog.
 */
function searchStatement(trgm: string): string {
  let statement = statements.get(trgm);
  if (!statement) statements.set(trgm, (statement = buildSearchStatement(trgm)));
  return statement;
}
const statements = new Map<string, string>();

/** Hits: more query words matched first, then the weighted text rank, then (type, id) for a stable order. */
const ORDER = 'm.matched desc, m.rank desc, m.type collate "C", m.id collate "C"';

/** What the search reads of each match it considers: its facets, how many query words it matched, its text rank. */
const MATCH_COLUMNS = `d.type, d.id, d.skills, d.location, d.company, d.employment_type, d.seniority,
  (select count(*) from groups g where d.document @@ g.q)::int as matched,
  coalesce(ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', d.document, w.q, 1), 0) as rank`;

function buildSearchStatement(trgm: string): string {
  const filters = FACETS.map((facet, index) => {
    const param = `$${index + 4}::text[]`;
    return facet === 'skills' ? `(${param} is null or d.skills && ${param})` : `(${param} is null or d.${FACET_COLUMNS[facet]} = any(${param}))`;
  }).join(' and ');
  /** The documents the caller asked for and may see. */
  const scope = `d.type = any($2::text[]) and d.visibility = any($3::text[]) and ${filters}`;
  return `
    with terms as (
      select t.g, t.latin, t.fix, phraseto_tsquery('english', t.latin) && phraseto_tsquery('simple', t.cjk) as q
      from jsonb_to_recordset($1::jsonb) as t(g int, latin text, cjk text, fix boolean)
    ),
    -- A word that finds nothing as typed (no document the caller may search holds it, nor its
    -- stem; stop words aside) gets the words most similar to it that such a document holds as
    -- alternatives. Only documents of the asked types and visibility count, here and below:
    -- whether a word gets corrected must not tell a guest what hidden documents hold.
    -- The exact-word probe runs first (offset 0 keeps it inside): a typo's rare stem is then a
    -- cheap probe of the documents' index, where a common word's would not be.
    searchable as not materialized (
      select d.* from documents d where d.type = any($2::text[]) and d.visibility = any($3::text[])
    ),
    unknown as materialized (
      select t.g, t.latin from (
        select t.g, t.latin, t.q from terms t
        where t.fix and numnode(t.q) > 0 and not exists (select 1 from searchable d where d.words @> array[t.latin])
        offset 0
      ) t
      where not exists (select 1 from searchable d where d.document @@ t.q)
    ),
    corrections as (
      select u.g, c.word
      from unknown u
      cross join lateral (
        -- Most similar first; a candidate is checked against the documents only until three are found.
        select s.word from (
          select v.word, ${trgm}.similarity(v.word, u.latin) as similarity from vocabulary v
          where v.word operator(${trgm}.%) u.latin and ${trgm}.similarity(v.word, u.latin) >= ${MIN_SIMILARITY}
          order by similarity desc, v.word collate "C"
          offset 0
        ) s
        where exists (select 1 from searchable d where d.words @> array[s.word])
        order by s.similarity desc, s.word collate "C"
        limit ${MAX_CORRECTIONS}
      ) c
    ),
    alternatives as (
      select g, q from terms where numnode(q) > 0
      union all
      select g, phraseto_tsquery('english', word) from corrections
    ),
    groups as (
      select g, search_any(q) as q from alternatives group by g
    ),
    wanted as (
      select search_any(q) as q from groups
    ),
    every as (
      select search_every(q) as q, count(*) > 1 as several from groups
    ),
    -- The matches a search considers: every one while there are at most $12; past that, the
    -- first $12 + 1 found in the order below, so the work stops growing with the index (the
    -- extra one tells that there are more): documents matching every word of a query of
    -- several words, then those matching in their title, then in their skills (each with its
    -- own index), then the rest. A tier is read only as far as "considered" pulls it (CTE
    -- scans run on demand, one after another), so a tier after a full one costs nothing.
    -- Ranking orders what was considered. A query without words browses in (type, id) order.
    browsed as materialized (
      select ${MATCH_COLUMNS} from documents d cross join wanted w
      where $11::boolean and ${scope}
      order by d.type collate "C", d.id collate "C"
      limit $12::int + 1
    ),
    every_word as materialized (
      select ${MATCH_COLUMNS} from documents d cross join wanted w cross join every e
      where not $11::boolean and e.several and d.document @@ e.q and ${scope}
      limit $12::int + 1
    ),
    in_title as materialized (
      select ${MATCH_COLUMNS} from documents d cross join wanted w cross join every e
      where not $11::boolean and d.title_words @@ w.q and not (e.several and d.document @@ e.q) and ${scope}
      limit $12::int + 1
    ),
    in_skills as materialized (
      select ${MATCH_COLUMNS} from documents d cross join wanted w cross join every e
      where not $11::boolean and d.skill_words @@ w.q and not d.title_words @@ w.q and not (e.several and d.document @@ e.q) and ${scope}
      limit $12::int + 1
    ),
    in_text as materialized (
      select ${MATCH_COLUMNS} from documents d cross join wanted w cross join every e
      where not $11::boolean and d.document @@ w.q and not d.title_words @@ w.q and not d.skill_words @@ w.q
        and not (e.several and d.document @@ e.q) and ${scope}
      limit $12::int + 1
    ),
    considered as (
      select * from (
        select * from browsed
        union all select * from every_word
        union all select * from in_title
        union all select * from in_skills
        union all select * from in_text
      ) c
      limit $12::int + 1
    ),
    matches as (
      select * from considered limit $12::int
    ),
    page as (
      select p.*, d.title, d.body, d.words
      from (
        select m.type, m.id, m.matched, m.rank from matches m
        order by ${ORDER}
        limit $9 offset $10
      ) p
      join documents d on d.type = p.type and d.id = p.id
    ),
    facet_counts as (
      select facet, value, count(*)::int as count,
             row_number() over (partition by facet order by count(*) desc, value collate "C") as place
      from (
        select 'skills' as facet, s.value from matches m cross join unnest(m.skills) as s(value)
        union all select 'location', location from matches where location is not null
        union all select 'company', company from matches where company is not null
        union all select 'employmentType', employment_type from matches where employment_type is not null
        union all select 'seniority', seniority from matches where seniority is not null
      ) v
      group by facet, value
    ),
    -- Each word of the query (a phrase's too) and each correction, alone: what a highlight marks.
    marks as (
      select search_any(q) as q from (
        select phraseto_tsquery('english', w) as q from terms t cross join regexp_split_to_table(t.latin, ' ') as w
        union all
        select phraseto_tsquery('english', word) from corrections
      ) m
      where numnode(q) > 0
    )
    select
      (select count(*)::int from considered) as considered,
      (select coalesce(jsonb_agg(jsonb_build_object('type', type, 'id', id, 'title', title, 'body', body, 'matched', matched, 'rank', rank)
                                 order by ${ORDER}), '[]'::jsonb) from page m) as hits,
      (select coalesce(jsonb_agg(jsonb_build_object('facet', facet, 'value', value, 'count', count)
                                 order by facet, place), '[]'::jsonb) from facet_counts where place <= 10) as facets,
      (select coalesce(jsonb_agg(w.word), '[]'::jsonb)
         from (select distinct unnest(words) as word from page) w cross join marks
         where to_tsvector('english', w.word) @@ marks.q) as marked`;
}

// ---------------------------------------------------------------------------------------------
// Input checks: RangeError, which the resolvers report as BAD_USER_INPUT.

interface CheckedQuery {
  terms: TermRow[];
  types: EntityType[];
  visibility: Visibility[];
  filters: Partial<Record<Facet, string[]>>;
  limit: number;
  offset: number;
}

function checkQuery(query: IndexQuery): CheckedQuery {
  const checked = checkIndexQuery(query);
  const terms: TermRow[] = [];
  checked.terms.forEach((group, g) => {
    for (const term of group) {
      // Analysed again, so a term as a caller wrote it ("Node.js", "工程师") finds what platform/text-analysis.ts indexed.
      const tokens = words(storable(term)).filter((token) => token.length <= MAX_WORD_LENGTH);
      const latin = tokens.filter((token) => !isCjk(token));
      const cjk = tokens.filter(isCjk);
      if (tokens.length === 0) continue;
      const fix = tokens.length === 1 && latin.length === 1 && [...latin[0]!].length >= MIN_CORRECTED_LENGTH && !/^\d+$/.test(latin[0]!);
      terms.push({ g, latin: latin.join(' '), cjk: cjk.join(' '), fix });
    }
  });
  const filters = Object.fromEntries(Object.entries(checked.filters).map(([facet, values]) => [facet, values.map(storable)]));
  return { ...checked, terms, filters };
}

function checkDocumentId(id: string): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > 200) throw new RangeError('Document ids must be 1 to 200 characters');
  return storable(id);
}

/** Text PostgreSQL (and jsonb) can hold: no NUL, no lone surrogate. */
const storable = (text: string) => text.replaceAll('\u0000', '').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

const escapeRegex = (text: string) => text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');

// ---------------------------------------------------------------------------------------------
// Documents as rows.

/** The last write of each document wins within a batch (one statement cannot update a row twice). */
function latestOf(documents: readonly SearchDocument[]): SearchDocument[] {
  const latest = new Map<string, SearchDocument>();
  for (const document of documents) {
    const key = `${checkType(document.type)}\u0000${checkDocumentId(document.id)}`;
    latest.delete(key);
    latest.set(key, document);
  }
  return [...latest.values()];
}

function toRow(document: SearchDocument): DocumentRow {
  checkVisibility([document.visibility]);
  const text = (value: string | null | undefined) => (value == null ? null : storable(value));
  const title = storable(document.title ?? '');
  const body = storable(document.body ?? '');
  const skills = [...new Set((document.skills ?? []).map(storable))];
  const [location, company] = [text(document.location), text(document.company)];
  const a = [title, ...skills].flatMap((field) => words(field));
  const b = [company, location].flatMap((field) => (field ? words(field) : []));
  const c = words(body);
  const cjk = (tokens: string[]) => tokens.filter(isCjk).join(' ');
  return {
    type: document.type,
    id: storable(document.id),
    title,
    body,
    skills,
    location,
    company,
    employment_type: text(document.employmentType),
    seniority: text(document.seniority),
    visibility: document.visibility,
    words: [...new Set([...a, ...b, ...c].filter((word) => !isCjk(word) && word.length <= MAX_WORD_LENGTH))],
    cjk_a: cjk(a),
    cjk_b: cjk(b),
    cjk_c: cjk(c),
  };
}

// ---------------------------------------------------------------------------------------------
// Highlights.

interface Marks {
  /** Lower-cased latin words to mark (they matched a query word by stem, or a correction). */
  latin: ReadonlySet<string>;
  /** CJK bigrams (or single characters) of the query. */
  cjk: ReadonlySet<string>;
}

function highlightsOf(hit: HitRow, marks: Marks): Highlight[] {
  const highlights: Highlight[] = [];
  const inTitle = marked(hit.title, marks);
  if (inTitle.length > 0) highlights.push({ field: 'title', snippets: [render(hit.title, 0, hit.title.length, inTitle)] });
  const inBody = marked(hit.body, marks);
  if (inBody.length > 0) highlights.push({ field: 'body', snippets: fragments(hit.body, inBody) });
  return highlights;
}

type Span = [start: number, end: number];

/** The spans of `text` to mark, in order: latin words as wholes, CJK characters a query bigram covers. */
function marked(text: string, marks: Marks): Span[] {
  const spans: Span[] = [];
  if (marks.latin.size === 0 && marks.cjk.size === 0) return spans;
  for (const match of text.matchAll(TOKEN)) {
    const token = match[0];
    const start = match.index;
    if (!isCjk(token)) {
      const word = token.replace(/\.+$/, '');
      if (marks.latin.has(word.toLowerCase())) spans.push([start, start + word.length]);
      continue;
    }
    const chars = [...token];
    const offsets: number[] = [];
    let offset = start;
    for (const char of chars) {
      offsets.push(offset);
      offset += char.length;
    }
    offsets.push(offset);
    const covered = chars.map(() => false);
    if (chars.length === 1) covered[0] = marks.cjk.has(token);
    for (let index = 0; index + 1 < chars.length; index++) {
      if (marks.cjk.has(chars[index]! + chars[index + 1]!)) covered[index] = covered[index + 1] = true;
    }
    for (let index = 0; index < chars.length; index++) {
      if (!covered[index]) continue;
      let end = index;
      while (end + 1 < chars.length && covered[end + 1]) end++;
      spans.push([offsets[index]!, offsets[end + 1]!]);
      index = end;
    }
  }
  return spans;
}

/**
 * Up to MAX_FRAGMENTS pieces of about FRAGMENT_LENGTH characters, each where the most marks
 * fall together, in text order; a text that short is one piece.
 */
function fragments(text: string, spans: readonly Span[]): string[] {
  if (text.length <= FRAGMENT_LENGTH) return [render(text, 0, text.length, spans)];
  const chosen: Span[] = [];
  let left = [...spans];
  while (chosen.length < MAX_FRAGMENTS && left.length > 0) {
    // The window starting at a mark that holds the most marks (the earliest on a tie).
    let [bestFrom, bestTo] = [0, 0];
    for (let from = 0, to = 0; from < left.length; from++) {
      to = Math.max(to, from);
      while (to + 1 < left.length && left[to + 1]![1] <= left[from]![0] + FRAGMENT_LENGTH) to++;
      if (to - from > bestTo - bestFrom) [bestFrom, bestTo] = [from, to];
    }
    const window = around(text, left[bestFrom]![0], left[bestTo]![1]);
    chosen.push(window);
    left = left.filter(([start, end]) => end <= window[0] || start >= window[1]);
  }
  chosen.sort((x, y) => x[0] - y[0]);
  return chosen.map(([start, end]) => render(text, start, end, spans));
}

/** A window of about FRAGMENT_LENGTH characters around [from, to), cut at spaces where it can be. */
function around(text: string, from: number, to: number): Span {
  const spare = Math.max(0, FRAGMENT_LENGTH - (to - from));
  let start = Math.max(0, from - Math.min(Math.floor(spare / 3), 50));
  let end = Math.min(text.length, start + Math.max(FRAGMENT_LENGTH, to - start));
  if (end === text.length) start = Math.max(0, Math.min(start, end - FRAGMENT_LENGTH, from));
  // Whole words: move the cuts out of a latin word (not past a mark); CJK may be cut anywhere.
  while (start < from && splitsWord(text, start)) start++;
  while (end > to && splitsWord(text, end)) end--;
  // Never split a surrogate pair.
  if (/[\uDC00-\uDFFF]/.test(text[start] ?? '')) start--;
  if (/[\uDC00-\uDFFF]/.test(text[end] ?? '')) end++;
  return [start, end];
}

const LATIN_WORD_CHAR = /^[\p{L}\p{N}]$/u;
const isLatinWordChar = (char: string | undefined) => char !== undefined && LATIN_WORD_CHAR.test(char) && !isCjk(char);
/** True when a cut before text[at] falls inside a latin word. */
const splitsWord = (text: string, at: number) => isLatinWordChar(text[at - 1]) && isLatinWordChar(text[at]);

/** text[start, end) as HTML: escaped, runs of white space as one space, the spans in <em></em>. */
function render(text: string, start: number, end: number, spans: readonly Span[]): string {
  let out = '';
  let at = start;
  const plain = (piece: string) => escapeHtml(piece.replace(/\s+/g, ' '));
  for (const [from, to] of spans) {
    if (to <= start || from >= end) continue;
    const [s, e] = [Math.max(from, start), Math.min(to, end)];
    out += plain(text.slice(at, s)) + '<em>' + escapeHtml(text.slice(s, e)) + '</em>';
    at = e;
  }
  return (out + plain(text.slice(at, end))).trim();
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => ENTITIES[char]!);
