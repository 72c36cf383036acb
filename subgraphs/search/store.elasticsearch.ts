import { Client, errors } from '@elastic/elasticsearch';
import type { estypes } from '@elastic/elasticsearch';
import { logger } from '../../platform/logger.ts';
import { isCjk } from '../../platform/text-analysis.ts';
import {
  ENTITY_TYPES,
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
import { checkCountUpTo, checkIndexQuery, checkSuggestion } from './validation.ts';

/**
 * SearchIndex on Elasticsearch 8 (ELASTICSEARCH_URL). Each audience searches its own index,
 * behind its own alias: `<alias>-public` holds the public documents guests may read,
 * `<alias>-all` every document, for callers who may also read talents. BM25's corpus statistics
 * (IDF, average length) thus come only from documents the caller may read, so a guest's scores
 * and order reveal nothing of hidden ones; and a talent reader's scores are those of one index
 * over everything (two indices searched together would score fuzzy matches differently: each
 * index expands a misspelt word on its own). A rebuild fills new indices and moves both aliases
 * in one atomic action, so searches never see a half-built index. Every text field is analysed
 * three ways: `english` (stemmed), `exact` (lower-cased words, so "TypeScript" matches as typed)
 * and `cjk` (overlapping pairs of Chinese, Japanese and Korean characters, as platform/text-analysis.ts does
 * for the embedded index).
 */

/** Who searches an index: guests, or callers who may also read talents. */
type Audience = 'public' | 'all';
const AUDIENCES: readonly Audience[] = ['public', 'all'];
type PerAudience = Record<Audience, string>;

/** The indices a document of this visibility belongs in: those of every audience that may read it. */
const readersOf = (visibility: Visibility): Audience[] => (visibility === 'public' ? ['public', 'all'] : ['all']);

/** The index a search goes to: the one holding exactly what the caller may read. */
const audienceOf = (visibility: readonly Visibility[]): Audience => (visibility.includes('talent') ? 'all' : 'public');

/** Each group a hit matches is worth this much more than any text relevance: more groups rank first. */
const GROUP_WEIGHT = 1_000;
const FACET_FIELDS: Record<Facet, string> = {
  skills: 'skills.keyword',
  location: 'location.keyword',
  company: 'company.keyword',
  employmentType: 'employmentType',
  seniority: 'seniority',
};

const text = (extra: estypes.MappingProperty['fields'] = {}): estypes.MappingProperty => ({
  type: 'text',
  analyzer: 'english',
  fields: { exact: { type: 'text', analyzer: 'exact' }, cjk: { type: 'text', analyzer: 'cjk' }, ...extra },
});

const INDEX_BODY = {
  settings: {
    number_of_shards: 1,
    analysis: {
      filter: { word_prefixes: { type: 'edge_ngram', min_gram: 1, max_gram: 20 } },
      analyzer: {
        exact: { type: 'custom', tokenizer: 'standard', filter: ['lowercase'] },
        word_prefixes: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'word_prefixes'] },
      },
    },
  },
  mappings: {
    dynamic: 'strict',
    properties: {
      type: { type: 'keyword' },
      id: { type: 'keyword' },
      visibility: { type: 'keyword' },
      title: text({ keyword: { type: 'keyword', ignore_above: 512 }, prefix: { type: 'text', analyzer: 'word_prefixes', search_analyzer: 'exact' } }),
      titleLength: { type: 'integer' },
      body: text(),
      skills: text({ keyword: { type: 'keyword' } }),
      location: text({ keyword: { type: 'keyword' } }),
      company: text({ keyword: { type: 'keyword' } }),
      employmentType: { type: 'keyword' },
      seniority: { type: 'keyword' },
    },
  },
} satisfies Omit<estypes.IndicesCreateRequest, 'index'>;

const docId = (ref: EntityRef) => `${ref.type}:${ref.id}`;

/** Title and skills first, then where and for whom, then the rest. */
const FIELDS = ['title^4', 'title.exact^4', 'skills^4', 'skills.exact^4', 'company^2', 'location^2', 'body', 'body.exact'];
const CJK_FIELDS = ['title.cjk^4', 'body.cjk'];
const HIGHLIGHTED = { title: ['title', 'title.exact', 'title.cjk'], body: ['body', 'body.exact', 'body.cjk'] } as const;

export class ElasticsearchSearchIndex implements SearchIndex {
  /** True when create() found no index and made empty ones: a record that the store was built is then stale. */
  startedEmpty = false;

  /** `track_total_hits`: the bound (SearchIndexOptions), or true to count every match. */
  private readonly trackTotalHits: number | true;

  constructor(
    readonly client: Client,
    /** The aliases are `<alias>-<audience>`; the indices behind them `<alias>-<audience>-<time>`. */
    readonly alias = 'looma-search',
    options: SearchIndexOptions = {},
  ) {
    this.trackTotalHits = checkCountUpTo(options.countUpTo) ?? true;
  }

  /** Connects and makes sure an index stands behind each audience's alias. */
  static async create(url: string, alias?: string, options?: SearchIndexOptions): Promise<ElasticsearchSearchIndex> {
    const index = new ElasticsearchSearchIndex(new Client({ node: url }), alias, options);
    try {
      await index.ensureLayout();
    } catch (error) {
      await index.client.close();
      throw error;
    }
    return index;
  }

  close(): Promise<void> {
    return this.client.close();
  }

  within(): SearchIndex {
    return this;
  }

  aliasOf(audience: Audience): string {
    return `${this.alias}-${audience}`;
  }

  async upsert(documents: readonly SearchDocument[]): Promise<void> {
    if (!documents.length) return;
    const aliases = Object.fromEntries(AUDIENCES.map((audience) => [audience, this.aliasOf(audience)])) as PerAudience;
    // Evicted from the other audience's index, in case the document's visibility changed.
    const evictions = documents.flatMap((document) => this.deletions(document, AUDIENCES.filter((audience) => !readersOf(document.visibility).includes(audience))));
    await this.bulk([...documents.flatMap((document) => indexing(document, aliases)), ...evictions], true);
  }

  async remove(refs: readonly EntityRef[]): Promise<void> {
    if (!refs.length) return;
    await this.bulk(refs.flatMap((ref) => this.deletions(ref, AUDIENCES)), true);
  }

  async replaceAll(documents: readonly SearchDocument[]): Promise<void> {
    const fresh = this.newIndexNames(AUDIENCES);
    let replaced: string[];
    try {
      await this.createIndices(fresh);
      for (let start = 0; start < documents.length; start += 500) {
        await this.bulk(documents.slice(start, start + 500).flatMap((document) => indexing(document, fresh)), false);
      }
      await this.client.indices.refresh({ index: Object.values(fresh) });
      replaced = await this.swapAliases(fresh);
    } catch (error) {
      await this.deleteIndices(Object.values(fresh));
      throw error;
    }
    // The aliases already point at the new indices: failing to drop the old ones must not undo that.
    await this.deleteIndices(replaced).catch((error: unknown) =>
      logger.warn({ err: error, indices: replaced }, 'search: a rebuild could not delete the indices it replaced; delete them by hand'),
    );
  }

  async count(): Promise<number> {
    return (await this.client.count({ index: this.aliasOf('all') })).count;
  }

  async search(unchecked: IndexQuery): Promise<IndexResults> {
    const query = checkIndexQuery(unchecked);
    if (!query.visibility.length) return { total: 0, totalIsExact: true, hits: [], facets: toFacets(undefined) };
    const response = await this.client.search<SearchDocument>({
      index: this.aliasOf(audienceOf(query.visibility)),
      from: query.offset,
      size: query.limit,
      track_total_hits: this.trackTotalHits,
      query: {
        bool: {
          filter: filters(query.types, query.visibility, query.filters),
          ...(query.terms.length ? { should: query.terms.map(groupQuery), minimum_should_match: 1 } : {}),
        },
      },
      sort: ['_score', { type: 'asc' }, { id: 'asc' }],
      track_scores: true,
      aggs: Object.fromEntries(FACETS.map((facet) => [facet, { terms: { field: FACET_FIELDS[facet], size: 10, order: [{ _count: 'desc' }, { _key: 'asc' }] } }])),
      highlight: HIGHLIGHT,
    });
    const { total } = response.hits;
    return {
      total: typeof total === 'number' ? total : (total?.value ?? 0),
      totalIsExact: typeof total === 'number' || total?.relation !== 'gte',
      hits: response.hits.hits.map(toHit),
      facets: toFacets(response.aggregations),
    };
  }

  async suggest(prefix: string, types: readonly EntityType[], visibility: readonly Visibility[], limit: number): Promise<Suggestion[]> {
    ({ types, visibility, limit } = checkSuggestion(prefix, types, visibility, limit));
    if (!prefix.trim() || !limit || !types.length || !visibility.length) return [];
    const response = await this.client.search<SearchDocument>({
      index: this.aliasOf(audienceOf(visibility)),
      size: limit,
      query: { bool: { filter: filters(types, visibility, {}), must: [{ match: { 'title.prefix': { query: prefix, operator: 'and' } } }] } },
      sort: [{ titleLength: 'asc' }, { 'title.keyword': 'asc' }],
      _source: ['type', 'id', 'title'],
    });
    return response.hits.hits.map((hit) => ({ type: hit._source!.type, id: hit._source!.id, text: hit._source!.title }));
  }

  /**
   * Creates the alias of each audience that has none, over an empty index: the store then says
   * it started empty, so the subgraph rebuilds it from the owners.
   */
  private async ensureLayout(): Promise<void> {
    const missing: Audience[] = [];
    for (const audience of AUDIENCES) if (!(await this.client.indices.existsAlias({ name: this.aliasOf(audience) }))) missing.push(audience);
    if (!missing.length) return;
    const fresh = this.newIndexNames(missing);
    try {
      await this.createIndices(fresh);
      await this.client.indices.updateAliases({ actions: missing.map((audience) => ({ add: { index: fresh[audience], alias: this.aliasOf(audience) } })) });
    } catch (error) {
      await this.deleteIndices(Object.values(fresh));
      throw error;
    }
    this.startedEmpty = true;
    logger.warn({ aliases: missing.map((audience) => this.aliasOf(audience)) }, 'search: created empty Elasticsearch indices; they fill on the next rebuild');
    // Earlier versions kept one index behind `<alias>`; nothing reads it any more.
    if (await this.client.indices.existsAlias({ name: this.alias })) logger.warn({ alias: this.alias }, 'search: the single index of an earlier version is unused; delete it');
  }

  /** Moves every audience's alias to its fresh index in one atomic action; answers the indices it took them from. */
  private async swapAliases(fresh: PerAudience): Promise<string[]> {
    const current = await Promise.all(AUDIENCES.map(async (audience) => ({ alias: this.aliasOf(audience), indices: await this.indicesBehind(this.aliasOf(audience)) })));
    await this.client.indices.updateAliases({
      actions: [
        ...current.flatMap(({ alias, indices }) => indices.map((index) => ({ remove: { index, alias } }))),
        ...AUDIENCES.map((audience) => ({ add: { index: fresh[audience], alias: this.aliasOf(audience) } })),
      ],
    });
    return current.flatMap(({ indices }) => indices);
  }

  private async indicesBehind(alias: string): Promise<string[]> {
    try {
      return Object.keys(await this.client.indices.getAlias({ name: alias }));
    } catch (error) {
      if (error instanceof errors.ResponseError && error.statusCode === 404) return [];
      throw error;
    }
  }

  private async createIndices(names: Partial<PerAudience>): Promise<void> {
    for (const index of Object.values(names)) await this.client.indices.create({ index, ...INDEX_BODY });
  }

  private async deleteIndices(names: readonly string[]): Promise<void> {
    if (names.length) await this.client.indices.delete({ index: [...names], ignore_unavailable: true });
  }

  private deletions(ref: EntityRef, audiences: readonly Audience[]): estypes.BulkOperationContainer[] {
    return audiences.map((audience) => ({ delete: { _index: this.aliasOf(audience), _id: docId(ref) } }));
  }

  /** Runs bulk operations; deleting an absent document is no failure (removes are idempotent). */
  private async bulk(operations: (estypes.BulkOperationContainer | Record<string, unknown>)[], refresh: boolean): Promise<void> {
    const response = await this.client.bulk({ refresh, operations });
    const failed = response.items.find((item) => Object.values(item).some((result) => result?.error && !(item.delete && result.status === 404)));
    if (failed) throw new Error(`Elasticsearch refused a write: ${JSON.stringify(Object.values(failed)[0]?.error)}`);
  }

  private newIndexNames<A extends Audience>(audiences: readonly A[]): Record<A, string> {
    const suffix = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    return Object.fromEntries(audiences.map((audience) => [audience, `${this.aliasOf(audience)}-${suffix}`])) as Record<A, string>;
  }
}

/** Bulk operations writing a document into the indices given of the audiences that may read it. */
function indexing(document: SearchDocument, indices: Partial<PerAudience>): Record<string, unknown>[] {
  const source = { ...document, titleLength: document.title.length };
  return readersOf(document.visibility).flatMap((audience) => (indices[audience] ? [{ index: { _index: indices[audience], _id: docId(document) } }, source] : []));
}

function filters(types: readonly EntityType[], visibility: readonly Visibility[], facets: IndexQuery['filters']): estypes.QueryDslQueryContainer[] {
  return [
    { terms: { type: types.filter((type) => ENTITY_TYPES.includes(type)) } },
    // `all` holds both visibilities; a caller may ask for talents only.
    { terms: { visibility: [...visibility] } },
    ...FACETS.filter((facet) => facets[facet]?.length).map((facet) => ({ terms: { [FACET_FIELDS[facet]]: [...facets[facet]!] } })),
  ];
}

const HIGHLIGHT: estypes.SearchHighlight = {
  encoder: 'html',
  pre_tags: ['<em>'],
  post_tags: ['</em>'],
  require_field_match: false,
  // Each analysis of a field highlights what it matched; the first that did is shown.
  fields: Object.fromEntries(
    (['title', 'body'] as const).flatMap((field) =>
      HIGHLIGHTED[field].map((name) => [name, field === 'title' ? { number_of_fragments: 0 } : { fragment_size: 150, number_of_fragments: 2 }]),
    ),
  ),
};

function toHit(hit: estypes.SearchHit<SearchDocument>): IndexHit {
  const source = hit._source!;
  const highlights: Highlight[] = [];
  for (const field of ['title', 'body'] as const) {
    const snippets = HIGHLIGHTED[field].map((name) => hit.highlight?.[name]).find((found) => found?.length);
    if (snippets) highlights.push({ field, snippets });
  }
  return { type: source.type, id: source.id, score: hit._score ?? 0, highlights };
}

function toFacets(aggregations: Record<string, estypes.AggregationsAggregate> | undefined): Record<Facet, FacetValue[]> {
  const terms = (aggregations ?? {}) as Record<string, estypes.AggregationsStringTermsAggregate>;
  return Object.fromEntries(
    FACETS.map((facet) => [
      facet,
      ((terms[facet]?.buckets ?? []) as estypes.AggregationsStringTermsBucket[]).map((bucket): FacetValue => ({ value: String(bucket.key), count: bucket.doc_count })),
    ]),
  ) as Record<Facet, FacetValue[]>;
}

/**
 * One query word: any of its alternatives, in any field; latin words forgive typos (fuzzy),
 * CJK pairs and phrases must match as written. The constant part ranks hits by how many of the
 * query's words they match before their text relevance counts.
 */
function groupQuery(alternatives: readonly string[]): estypes.QueryDslQueryContainer {
  const match: estypes.QueryDslQueryContainer = {
    dis_max: {
      queries: alternatives.map((alternative): estypes.QueryDslQueryContainer => {
        if (isCjk(alternative)) return { multi_match: { query: alternative, fields: CJK_FIELDS, type: 'phrase' } };
        if (alternative.includes(' ')) return { multi_match: { query: alternative, fields: FIELDS, type: 'phrase' } };
        return { multi_match: { query: alternative, fields: FIELDS, fuzziness: alternative.length >= 4 ? 'AUTO' : 0, prefix_length: 1 } };
      }),
    },
  };
  return { bool: { should: [{ constant_score: { filter: match, boost: GROUP_WEIGHT } }, match] } };
}

export { errors as ElasticsearchErrors };
