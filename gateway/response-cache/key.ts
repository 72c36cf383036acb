import { createHash } from 'node:crypto';
import { printSchema, type GraphQLSchema } from 'graphql';

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` name the same variables. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, field]) => `${JSON.stringify(name)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * What names one anonymous answer: the operation's text (a persisted query's, once resolved),
 * the operation picked from it, its variables, and the schema it runs against, so a new
 * supergraph never serves an answer computed under the old one.
 */
export function responseKey(request: { schemaId: string; query: string; operationName?: string | null; variables?: Record<string, unknown> }): string {
  return createHash('sha256')
    .update(canonicalJson([request.schemaId, request.operationName ?? null, request.query, request.variables ?? {}]))
    .digest('hex');
}

const schemaIds = new WeakMap<GraphQLSchema, string>();

/** A hash of the schema's SDL, computed once per schema object: equal across gateway replicas serving the same supergraph. */
export function schemaId(schema: GraphQLSchema): string {
  let id = schemaIds.get(schema);
  if (!id) {
    id = createHash('sha256').update(printSchema(schema)).digest('hex').slice(0, 16);
    schemaIds.set(schema, id);
  }
  return id;
}
