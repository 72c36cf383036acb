import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../platform/config.ts';
import { logger } from '../../platform/logger.ts';

/**
 * What an operation costs (graphql-query-complexity): every field costs 1, and a paginated field
 * (one with `first`) multiplies what it selects by its page size, clamped at MAX_PAGE_SIZE as
 * the subgraphs clamp it (DEFAULT_PAGE_SIZE when absent). `first` is read after variables and
 * defaults are applied, so a page size passed as a variable counts as much as one written in the query.
 */
export const pagedFieldCost: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (!field.args.some((argument) => argument.name === 'first')) return 1 + childComplexity;
  const first = typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE;
  return 1 + childComplexity * Math.min(Math.max(first, 0), MAX_PAGE_SIZE);
};

/** Variables longer than this (as JSON) are costed afresh each time rather than kept as a key. */
const MAX_CACHED_VARIABLES_LENGTH = 1024;
/** Costs kept per document: a client paging through one query sends a few variants, not thousands. */
const MAX_COSTS_PER_DOCUMENT = 64;

/**
 * The cost of each parsed document, per operation name and variables. Apollo Server keeps the
 * parsed document of a query it has seen, so the same object comes back for every request
 * with that text, and walking it once per variant is enough; estimating it again allocated
 * about 60 KB per flagship request (BENCHMARKS.md, "Memory and the collector").
 */
class KnownCosts {
  /** Per schema too: a new supergraph may page other fields. */
  private readonly bySchema = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, number>>>();

  cost(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>, estimate: () => number): number {
    const variablesJson = JSON.stringify(variables);
    if (variablesJson.length > MAX_CACHED_VARIABLES_LENGTH) return estimate();
    const key = `${operationName ?? ''}\n${variablesJson}`;
    let byDocument = this.bySchema.get(schema);
    if (!byDocument) this.bySchema.set(schema, (byDocument = new WeakMap()));
    let costs = byDocument.get(document);
    const known = costs?.get(key);
    if (known !== undefined) return known;
    const cost = estimate();
    if (!costs) byDocument.set(document, (costs = new Map()));
    if (costs.size >= MAX_COSTS_PER_DOCUMENT) costs.clear();
    costs.set(key, cost);
    return cost;
  }
}

/**
 * Refuses an operation whose cost is above `maxCost`, once it is resolved and before it is
 * planned, so no subgraph is called. The refusal names the cost only when `exposeLimits`.
 */
export function queryCostLimit(maxCost: number, exposeLimits: boolean, refusal: string): ApolloServerPlugin {
  const known = new KnownCosts();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          let cost: number;
          try {
            const variables = request.variables ?? {};
            const operationName = request.operationName ?? undefined;
            cost = known.cost(schema, document, operationName, variables, () =>
              getComplexity({ schema, query: document, variables, operationName, estimators: [pagedFieldCost] }),
            );
          } catch (error) {
            // Variables that do not fit their types: execution reports them, as it always does. Anything else is worth a look.
            logger.warn({ err: error }, 'the cost of an operation could not be estimated; it runs unchecked');
            return;
          }
          if (cost <= maxCost) return;
          const message = exposeLimits ? `The query costs ${cost}, more than the limit of ${maxCost} (GATEWAY_MAX_COST)` : refusal;
          throw new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } });
        },
      };
    },
  };
}
