import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ParseOptions, ValidationRule } from 'graphql';
import { queryCostLimit } from './query-cost.ts';

/**
 * What one GraphQL operation may ask of the gateway (README "Security"): checked at the gateway,
 * on the operation as the client sent it, before any subgraph is called.
 */
export interface QueryLimits {
  /** Nested selection sets, fragments followed. */
  depth: number;
  /** Aliased fields in the operation. */
  aliases: number;
  /** Directives in the operation. */
  directives: number;
  /** Lexical tokens of the document (graphql-js stops parsing past it, so a huge document costs no more than this). */
  tokens: number;
  /** The cost estimate of ./query-cost.ts: fields, multiplied by the page sizes they ask for. */
  cost: number;
}

/**
 * The flagship query (operations/Flagship.graphql) has depth 9 and costs 356 for 5 talents and
 * 7,101 for the largest page, 100: the defaults leave room for it, not an order of magnitude.
 */
export const DEFAULT_QUERY_LIMITS: QueryLimits = { depth: 12, aliases: 30, directives: 50, tokens: 2_000, cost: 10_000 };

function limit(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${name} must be a positive whole number, not ${value}`);
  return parsed;
}

/** GATEWAY_MAX_DEPTH, GATEWAY_MAX_ALIASES, GATEWAY_MAX_DIRECTIVES, GATEWAY_MAX_TOKENS, GATEWAY_MAX_COST. */
export function queryLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): QueryLimits {
  return {
    depth: limit(env, 'GATEWAY_MAX_DEPTH', DEFAULT_QUERY_LIMITS.depth),
    aliases: limit(env, 'GATEWAY_MAX_ALIASES', DEFAULT_QUERY_LIMITS.aliases),
    directives: limit(env, 'GATEWAY_MAX_DIRECTIVES', DEFAULT_QUERY_LIMITS.directives),
    tokens: limit(env, 'GATEWAY_MAX_TOKENS', DEFAULT_QUERY_LIMITS.tokens),
    cost: limit(env, 'GATEWAY_MAX_COST', DEFAULT_QUERY_LIMITS.cost),
  };
}

/** What a refused operation is told in production (development names the limit). */
export const QUERY_REFUSED = 'The query was refused: it asks too much at once';

/**
 * The limits as Apollo Server options: graphql-armor's validation rules, and graphql-js's own
 * token limit while parsing (armor's token plugin throws from a hook, which Apollo answers with a
 * 500, not a 400). Outside production a
 * rejection names the limit, to help whoever writes the query; in production it says only that the
 * query was refused, so the limits cannot be probed.
 */
export function queryLimitProtections(
  limits: QueryLimits,
  production: boolean,
): { plugins: ApolloServerPlugin[]; validationRules: ValidationRule[]; parseOptions: ParseOptions } {
  const exposeLimits = !production;
  const errorMessage = QUERY_REFUSED;
  const { plugins, validationRules } = new ApolloArmor({
    // Suggestions are removed by the gateway's own error formatting (./production-errors.ts), which knows every form.
    blockFieldSuggestion: { enabled: false },
    maxTokens: { enabled: false },
    maxDepth: { n: limits.depth, exposeLimits, errorMessage, flattenFragments: true },
    maxAliases: { n: limits.aliases, exposeLimits, errorMessage },
    maxDirectives: { n: limits.directives, exposeLimits, errorMessage },
    // Cost is estimated by ./query-cost.ts, which reads page sizes from variables too.
    costLimit: { enabled: false },
  }).protect();
  // graphql-armor's types are Apollo Server's CommonJS declarations; at run time the plugins are the same objects.
  return {
    plugins: [...(plugins as unknown as ApolloServerPlugin[]), queryCostLimit(limits.cost, exposeLimits, errorMessage)],
    validationRules,
    parseOptions: { maxTokens: limits.tokens },
  };
}
