import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
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

/**
 * Refuses an operation whose cost is above `maxCost`, once it is resolved and before it is
 * planned, so no subgraph is called. The refusal names the cost only when `exposeLimits`.
 */
export function queryCostLimit(maxCost: number, exposeLimits: boolean, refusal: string): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          let cost: number;
          try {
            cost = getComplexity({ schema, query: document, variables: request.variables ?? {}, operationName: request.operationName ?? undefined, estimators: [pagedFieldCost] });
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
