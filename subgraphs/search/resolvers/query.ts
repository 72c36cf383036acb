import { can } from '../../../platform/auth/index.ts';
import { badInput, rangeErrorsAsBadInput } from '../../../platform/errors.ts';
import { toConnection, toPage, type PageArgs } from '../../../platform/pagination.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import { analyzeQuery } from '../../../platform/text-analysis.ts';
import type { Stores } from '../index.ts';
import { ENTITY_TYPES, FACETS, type EntityType, type Facet, type Visibility } from '../store.ts';
import { MAX_GROUPS, MAX_QUERY_LENGTH, MAX_WINDOW } from '../validation.ts';

type Context = SubgraphContext<Stores>;

const MAX_FILTER_VALUES = 20;
const MAX_SUGGESTIONS = 20;

const TYPE_NAMES: Record<EntityType, string> = { Talent: 'TALENT', Job: 'JOB', Company: 'COMPANY', Project: 'PROJECT', Skill: 'SKILL' };
const typeOf = (name: string) => ENTITY_TYPES.find((type) => TYPE_NAMES[type] === name)!;
export const typeName = (type: EntityType) => TYPE_NAMES[type];

/** A caller without talent:read searches public entities only: talents are not even counted. */
function scope(ctx: Context, types: readonly string[] | null | undefined): { types: EntityType[]; visibility: Visibility[] } {
  const mayReadTalents = can(ctx.viewer, 'talent:read');
  const asked = types?.length ? [...new Set(types.map(typeOf))] : [...ENTITY_TYPES];
  return {
    types: mayReadTalents ? asked : asked.filter((type) => type !== 'Talent'),
    visibility: mayReadTalents ? ['public', 'talent'] : ['public'],
  };
}

function text(value: string, field: string, min: number): string {
  const trimmed = value.trim();
  if (trimmed.length < min || trimmed.length > MAX_QUERY_LENGTH) throw badInput(`${field} must be ${min} to ${MAX_QUERY_LENGTH} characters`, field);
  return trimmed;
}

function filtersOf(input: Partial<Record<Facet, string[] | null>> | null | undefined): Partial<Record<Facet, string[]>> {
  const filters: Partial<Record<Facet, string[]>> = {};
  for (const facet of FACETS) {
    const values = input?.[facet];
    if (!values?.length) continue;
    if (values.length > MAX_FILTER_VALUES) throw badInput(`filters.${facet} takes at most ${MAX_FILTER_VALUES} values`, `filters.${facet}`);
    if (values.some((value) => value.length > MAX_QUERY_LENGTH)) throw badInput(`filters.${facet} values must be at most ${MAX_QUERY_LENGTH} characters`, `filters.${facet}`);
    filters[facet] = values;
  }
  return filters;
}

interface SearchArgs extends PageArgs {
  query: string;
  types?: string[] | null;
  filters?: Partial<Record<Facet, string[] | null>> | null;
}

export const Query = {
  async search(_: unknown, args: SearchArgs, ctx: Context) {
    const query = text(args.query, 'query', 1);
    const page = toPage(args);
    if (page.offset + page.limit > MAX_WINDOW) throw badInput(`Search pages reach the first ${MAX_WINDOW} results at most: narrow the query instead`, 'after');
    const { types, visibility } = scope(ctx, args.types);
    const terms = analyzeQuery(query, await ctx.stores.taxonomy.aliases());
    if (terms.length > MAX_GROUPS) throw badInput(`query must have at most ${MAX_GROUPS} words`, 'query');
    const filters = filtersOf(args.filters);
    const results = await rangeErrorsAsBadInput(() =>
      ctx.stores.index.search({ text: query, terms, types, filters, visibility, limit: page.limit, offset: page.offset }),
    );
    const connection = toConnection(
      results.hits.map((hit) => ({ score: hit.score, type: typeName(hit.type), highlights: hit.highlights, entity: { __typename: hit.type, id: hit.id } })),
      results.total,
      page,
    );
    return { ...connection, totalCountIsExact: results.totalIsExact, facets: results.facets };
  },

  async suggest(_: unknown, args: { prefix: string; types?: string[] | null; first: number }, ctx: Context) {
    const prefix = text(args.prefix, 'prefix', 1);
    if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_SUGGESTIONS) throw badInput(`first must be an integer from 1 to ${MAX_SUGGESTIONS}`, 'first');
    const { types, visibility } = scope(ctx, args.types);
    const suggestions = await rangeErrorsAsBadInput(() => ctx.stores.index.suggest(prefix, types, visibility, args.first));
    return suggestions.map((suggestion) => ({ text: suggestion.text, type: typeName(suggestion.type), entity: { __typename: suggestion.type, id: suggestion.id } }));
  },
};
