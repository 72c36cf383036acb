import type { Queryable } from '../../platform/db/db.ts';

/**
 * The search index, independent of the engine behind it: the embedded backend (PGlite:
 * tsvector, pg_trgm) and Elasticsearch satisfy the same contract (test/index.contract.ts).
 * Query analysis (tokens, CJK bigrams, skill aliases) happens before the index, in platform/text-analysis.ts,
 * so both backends see the same terms.
 */

export type EntityType = 'Talent' | 'Job' | 'Company' | 'Project' | 'Skill';
export const ENTITY_TYPES: readonly EntityType[] = ['Talent', 'Job', 'Company', 'Project', 'Skill'];

/** Who may see a document: anyone (`public`), or callers holding talent:read (`talent`). */
export type Visibility = 'public' | 'talent';

export const FACETS = ['skills', 'location', 'company', 'employmentType', 'seniority'] as const;
export type Facet = (typeof FACETS)[number];

/**
 * One entity as the index holds it: only fields every caller allowed to see the document may
 * read (never a talent's contact details or salary), so hits and highlights cannot leak them.
 * Title, body, skills, location and company are all searchable text; highlights come from
 * title and body.
 */
export interface SearchDocument {
  type: EntityType;
  id: string;
  /** The name: a talent's name, a job's title, a company's, project's or skill's name. */
  title: string;
  /** Everything else worth finding it by: headline, summaries, descriptions, experience, aliases. */
  body: string;
  /** Canonical skill names (facet and text). */
  skills: string[];
  /** 'City' (or the country when no city), for the facet and as text. */
  location: string | null;
  /** The company name it belongs to (a job's, a project's, a talent's current employer). */
  company: string | null;
  /** Jobs: FULL_TIME, PART_TIME, … */
  employmentType: string | null;
  /** Junior, Mid, Senior, Lead, Staff, Principal, Head: from a title or headline. */
  seniority: string | null;
  visibility: Visibility;
}

export interface EntityRef {
  type: EntityType;
  id: string;
}

/** A search after analysis: `terms` are alternatives per query word (aliases, CJK bigrams). */
export interface IndexQuery {
  /** The query as typed (for engines that analyse on their own, e.g. fuzzy matching). */
  text: string;
  /** One group per query word; a document matches a group when it has any of its terms. */
  terms: string[][];
  types: readonly EntityType[];
  /** Each facet filter keeps documents with any of the values given (exact, case-sensitive). */
  filters: Partial<Record<Facet, readonly string[]>>;
  visibility: readonly Visibility[];
  limit: number;
  offset: number;
}

export interface Highlight {
  field: 'title' | 'body';
  /** Fragments of the field with the matched words wrapped in <em></em>. */
  snippets: string[];
}

export interface IndexHit extends EntityRef {
  score: number;
  highlights: Highlight[];
}

export interface FacetValue {
  value: string;
  count: number;
}

/**
 * A search's answer. An index counts matches up to a bound (`countUpTo`, by default the deepest
 * a caller may page: MAX_WINDOW), so a search's work stops growing with the index: past it,
 * `total` is the bound and `totalIsExact` false, as with Elasticsearch's `track_total_hits`.
 */
export interface IndexResults {
  /** The matches, or `countUpTo` when there are more. */
  total: number;
  totalIsExact: boolean;
  hits: IndexHit[];
  /**
   * Counts over the matches (before paging), the ten largest per facet. Elasticsearch counts
   * every match; PostgreSQL the matches it considered (all of them when `totalIsExact`).
   */
  facets: Record<Facet, FacetValue[]>;
}

/**
 * How far an index counts: a positive whole number, or Infinity for every match. On PostgreSQL
 * pages reach no further than the bound either (the default bound is the deepest page anyway).
 */
export interface SearchIndexOptions {
  countUpTo?: number;
}

export interface Suggestion extends EntityRef {
  /** The completed text: a document title that starts with the prefix (or a word of it does). */
  text: string;
}

export interface SearchIndex {
  /** Adds or replaces documents; replaying a write changes nothing. */
  upsert(documents: readonly SearchDocument[]): Promise<void>;
  /** Removes documents; absent ones are ignored. */
  remove(refs: readonly EntityRef[]): Promise<void>;
  search(query: IndexQuery): Promise<IndexResults>;
  /** Titles starting with `prefix` (or with a word starting with it), shortest first. */
  suggest(prefix: string, types: readonly EntityType[], visibility: readonly Visibility[], limit: number): Promise<Suggestion[]>;
  /**
   * Replaces every document with `documents` without a moment where searches see the index
   * half-built: Elasticsearch fills a new index and swaps the alias to it; PostgreSQL replaces
   * the rows in the caller's transaction (see `within`).
   */
  replaceAll(documents: readonly SearchDocument[]): Promise<void>;
  count(): Promise<number>;
  /**
   * The index to write through inside an event consumer's transaction: the PostgreSQL index
   * runs its statements in `tx`, so the index change and the inbox mark commit together;
   * Elasticsearch returns itself (its writes are idempotent, so a replayed event repairs them).
   */
  within(tx: Queryable): SearchIndex;
}
