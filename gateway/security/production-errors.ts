import type { GraphQLFormattedError } from 'graphql';
import { QUERY_REFUSED } from './query-limits.ts';

/**
 * graphql-js ends some validation messages with suggestions taken from the schema ("Did you mean
 * "talents"?", "Did you mean the enum value "ADMIN"?"): they would reveal the schema that
 * introspection hides.
 */
const SUGGESTION = /\s*Did you mean [^?]*\?\s*$/;
/** graphql-js's parse error for a document past `maxTokens` names the limit. */
const TOKEN_LIMIT = /^Syntax Error: Document contains more th\w+ \d+ tokens/;

/** An error as production shows it: no schema suggestions, no limit named. */
export function productionError(error: GraphQLFormattedError): GraphQLFormattedError {
  if (TOKEN_LIMIT.test(error.message)) return { ...error, message: QUERY_REFUSED, locations: undefined };
  return SUGGESTION.test(error.message) ? { ...error, message: error.message.replace(SUGGESTION, '') } : error;
}
