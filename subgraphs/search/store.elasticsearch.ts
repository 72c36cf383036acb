import { Client, errors } from '@elastic/elasticsearch';
import type { estypes } from '@elastic/elasticsearch';
import { isCjk } from './analysis.ts';
import {
  ENTITY_TYPES,
  FACETS,
  type EntityRef,
  type EntityType,
  type Facet,
  type FacetValue,
  type Highlight,
  type IndexQuery,
  type IndexResults,
  type SearchDocument,
  type SearchIndex,
  type Suggestion,
  type Visibility,
} from './store.ts';
import { checkIndexQuery, checkSuggestion } from './validation.ts';

/**
 * SearchIndex on Elasticsearch 8 (ELASTICSEARCH_URL). Searches and writes go through an alias;
 * a rebuild fills a new index and moves the alias to it in one atomic action, so searches never
 * see a half-built index. Every text field is analysed three ways: `english` (stemmed), `exact`
 * (lower-cased words, so "TypeScript" matches as typed) and `cjk` (overlapping pairs of Chinese,
 * Japanese and Korean characters, as analysis.ts does for the embedded index).
 */

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
  constructor(
    readonly client: Client,
    /** The alias searches and writes use; the indices behind it are named `<alias>-<time>`. */
    readonly alias = 'looma-search',
  ) {}

  /** Connects and makes sure an index stands behind the alias. */
  static async create(url: string, alias?: string): Promise<ElasticsearchSearchIndex> {
    const index = new ElasticsearchSearchIndex(new Client({ node: url }), alias);
    try {
      if (!(await index.client.indices.existsAlias({ name: index.alias }))) {
        const name = index.newIndexName();
        await index.client.indices.create({ index: name, ...INDEX_BODY, aliases: { [index.alias]: {} } });
      }
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

  async upsert(documents: readonly SearchDocument[]): Promise<void> {
    if (!documents.length) return;
    await this.bulk(this.alias, documents, true);
  }

  async remove(refs: readonly EntityRef[]): Promise<void> {
    if (!refs.length) return;
    const response = await this.client.bulk({ refresh: true, operations: refs.map((ref) => ({ delete: { _index: this.alias, _id: docId(ref) } })) });
    const failed = response.items.find((item) => item.delete?.error && item.delete.status !== 404);
    if (failed) throw new Error(`Elasticsearch refused a delete: ${JSON.stringify(failed.delete?.error)}`);
  }

  async replaceAll(documents: readonly SearchDocument[]): Promise<void> {
    const name = this.newIndexName();
    await this.client.indices.create({ index: name, ...INDEX_BODY });
    try {
      for (let start = 0; start < documents.length; start += 500) await this.bulk(name, documents.slice(start, start + 500), false);
      await this.client.indices.refresh({ index: name });
      const current = Object.keys(await this.client.indices.getAlias({ name: this.alias }).catch(() => ({})));
      await this.client.indices.updateAliases({
        actions: [...current.map((index) => ({ remove: { index, alias: this.alias } })), { add: { index: name, alias: this.alias } }],
      });
      if (current.length) await this.client.indices.delete({ index: current });
    } catch (error) {
      await this.client.indices.delete({ index: name }, { ignore: [404] });
      throw error;
    }
  }

  async count(): Promise<number> {
    return (await this.client.count({ index: this.alias })).count;
  }

  async search(unchecked: IndexQuery): Promise<IndexResults> {
    const query = checkIndexQuery(unchecked);
    const response = await this.client.search<SearchDocument>({
      index: this.alias,
      from: query.offset,
      size: query.limit,
      track_total_hits: true,
      query: {
        bool: {
          filter: this.filters(query.types, query.visibility, query.filters),
          ...(query.terms.length ? { should: query.terms.map(groupQuery), minimum_should_match: 1 } : {}),
        },
      },
      sort: ['_score', { type: 'asc' }, { id: 'asc' }],
      track_scores: true,
      aggs: Object.fromEntries(FACETS.map((facet) => [facet, { terms: { field: FACET_FIELDS[facet], size: 10, order: [{ _count: 'desc' }, { _key: 'asc' }] } }])),
      highlight: {
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
      },
    });
    const total = typeof response.hits.total === 'number' ? response.hits.total : (response.hits.total?.value ?? 0);
    const aggregations = (response.aggregations ?? {}) as Record<string, estypes.AggregationsStringTermsAggregate>;
    return {
      total,
      hits: response.hits.hits.map((hit) => {
        const source = hit._source!;
        const highlights: Highlight[] = [];
        for (const field of ['title', 'body'] as const) {
          const snippets = HIGHLIGHTED[field].map((name) => hit.highlight?.[name]).find((found) => found?.length);
          if (snippets) highlights.push({ field, snippets });
        }
        return { type: source.type, id: source.id, score: hit._score ?? 0, highlights };
      }),
      facets: Object.fromEntries(
        FACETS.map((facet) => [
          facet,
          ((aggregations[facet]?.buckets ?? []) as estypes.AggregationsStringTermsBucket[]).map((bucket): FacetValue => ({ value: String(bucket.key), count: bucket.doc_count })),
        ]),
      ) as Record<Facet, FacetValue[]>,
    };
  }

  async suggest(prefix: string, types: readonly EntityType[], visibility: readonly Visibility[], limit: number): Promise<Suggestion[]> {
    ({ types, visibility, limit } = checkSuggestion(prefix, types, visibility, limit));
    if (!prefix.trim() || !limit || !types.length || !visibility.length) return [];
    const response = await this.client.search<SearchDocument>({
      index: this.alias,
      size: limit,
      query: { bool: { filter: this.filters(types, visibility, {}), must: [{ match: { 'title.prefix': { query: prefix, operator: 'and' } } }] } },
      sort: [{ titleLength: 'asc' }, { 'title.keyword': 'asc' }],
      _source: ['type', 'id', 'title'],
    });
    return response.hits.hits.map((hit) => ({ type: hit._source!.type, id: hit._source!.id, text: hit._source!.title }));
  }

  private filters(types: readonly EntityType[], visibility: readonly Visibility[], filters: IndexQuery['filters']): estypes.QueryDslQueryContainer[] {
    return [
      { terms: { type: types.filter((type) => ENTITY_TYPES.includes(type)) } },
      { terms: { visibility: [...visibility] } },
      ...FACETS.filter((facet) => filters[facet]?.length).map((facet) => ({ terms: { [FACET_FIELDS[facet]]: [...filters[facet]!] } })),
    ];
  }

  private async bulk(index: string, documents: readonly SearchDocument[], refresh: boolean): Promise<void> {
    const response = await this.client.bulk({
      refresh,
      operations: documents.flatMap((document) => [{ index: { _index: index, _id: docId(document) } }, { ...document, titleLength: document.title.length }]),
    });
    if (response.errors) {
      const failed = response.items.find((item) => item.index?.error);
      throw new Error(`Elasticsearch refused a document: ${JSON.stringify(failed?.index?.error)}`);
    }
  }

  private newIndexName(): string {
    return `${this.alias}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  }
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
