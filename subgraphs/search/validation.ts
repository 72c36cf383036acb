import { ENTITY_TYPES, FACETS, type EntityType, type Facet, type IndexQuery, type Visibility } from './store.ts';

/**
 * Bounds every SearchIndex backend enforces alike. They throw RangeError, which the resolvers
 * report as BAD_USER_INPUT, so a query never turns into an unbounded one on either engine.
 */

export const MAX_LIMIT = 100;
/** How deep a caller may page (offset + limit): Elasticsearch's default max_result_window. */
export const MAX_WINDOW = 10_000;
export const MAX_QUERY_LENGTH = 256;
export const MAX_GROUPS = 16;
/** Alternatives of one group (a word, its aliases), at most. */
export const MAX_ALTERNATIVES = 16;
export const MAX_FILTER_VALUES = 100;
const VISIBILITIES: readonly Visibility[] = ['public', 'talent'];

export function checkInteger(value: number, min: number, max: number, field: string): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${field} must be an integer from ${min} to ${max}`);
  return value;
}

export function checkType(type: string): EntityType {
  if (!ENTITY_TYPES.includes(type as EntityType)) throw new RangeError(`Unknown entity type: ${type}`);
  return type as EntityType;
}

export const checkTypes = (types: readonly string[]): EntityType[] => [...new Set(types.map(checkType))];

export function checkVisibility(visibility: readonly string[]): Visibility[] {
  for (const value of visibility) if (!VISIBILITIES.includes(value as Visibility)) throw new RangeError(`Unknown visibility: ${value}`);
  return [...new Set(visibility as Visibility[])];
}

/** The query within bounds, with empty facet filters dropped (nothing ticked: no filter). */
export function checkIndexQuery(query: IndexQuery): IndexQuery & { types: EntityType[]; visibility: Visibility[]; filters: Partial<Record<Facet, string[]>> } {
  if (typeof query.text !== 'string' || query.text.length > MAX_QUERY_LENGTH) throw new RangeError(`The query must be at most ${MAX_QUERY_LENGTH} characters`);
  if (!Array.isArray(query.terms) || query.terms.length > MAX_GROUPS) throw new RangeError(`The query must have at most ${MAX_GROUPS} words`);
  for (const group of query.terms) {
    if (!Array.isArray(group) || group.length > MAX_ALTERNATIVES) throw new RangeError(`A query word has at most ${MAX_ALTERNATIVES} alternatives`);
    for (const term of group) if (typeof term !== 'string' || term.length > MAX_QUERY_LENGTH) throw new RangeError(`Query terms must be at most ${MAX_QUERY_LENGTH} characters`);
  }
  const filters: Partial<Record<Facet, string[]>> = {};
  for (const [facet, values] of Object.entries(query.filters ?? {})) {
    if (!(FACETS as readonly string[]).includes(facet)) throw new RangeError(`Unknown facet: ${facet}`);
    if (values === undefined) continue;
    if (!Array.isArray(values) || values.length > MAX_FILTER_VALUES) throw new RangeError(`A facet filter takes at most ${MAX_FILTER_VALUES} values`);
    for (const value of values) if (typeof value !== 'string' || value.length > MAX_QUERY_LENGTH) throw new RangeError(`Facet values must be at most ${MAX_QUERY_LENGTH} characters`);
    if (values.length) filters[facet as Facet] = [...values];
  }
  const limit = checkInteger(query.limit, 0, MAX_LIMIT, 'limit');
  const offset = checkInteger(query.offset, 0, MAX_WINDOW - limit, 'offset');
  return { ...query, types: checkTypes(query.types), visibility: checkVisibility(query.visibility), filters, limit, offset };
}

export function checkSuggestion(prefix: string, types: readonly string[], visibility: readonly string[], limit: number) {
  if (typeof prefix !== 'string' || prefix.length > MAX_QUERY_LENGTH) throw new RangeError(`prefix must be at most ${MAX_QUERY_LENGTH} characters`);
  return { types: checkTypes(types), visibility: checkVisibility(visibility), limit: checkInteger(limit, 0, MAX_LIMIT, 'limit') };
}

/** `countUpTo` as an index takes it (SearchIndexOptions): MAX_WINDOW unless given; null for no bound. */
export function checkCountUpTo(countUpTo: number = MAX_WINDOW): number | null {
  if (countUpTo === Number.POSITIVE_INFINITY) return null;
  if (!Number.isInteger(countUpTo) || countUpTo < 1) throw new RangeError('countUpTo must be a positive whole number or Infinity');
  return countUpTo;
}
