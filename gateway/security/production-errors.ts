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

/** graphql-js's variable coercion errors quote the value sent ("got invalid value 99999999999; Int cannot represent …"). */
const VARIABLE_VALUE = /^Variable "(\$\w+)" got invalid value /;
const VARIABLE_PATH = / at "([\w.[\]]+)"; /;

/** An error as production shows it: no schema suggestions, no limit named, no variable value echoed. */
export function productionError(error: GraphQLFormattedError): GraphQLFormattedError {
  // graphql-armor prefixes its refusals with "Syntax Error: "; the token limit's names the limit.
  if (TOKEN_LIMIT.test(error.message) || error.message === `Syntax Error: ${QUERY_REFUSED}`) return { ...error, message: QUERY_REFUSED, locations: undefined };
  const variable = VARIABLE_VALUE.exec(error.message);
  if (variable) {
    const at = VARIABLE_PATH.exec(error.message);
    return { ...error, message: `Variable "${variable[1]}" got an invalid value${at ? ` at "${at[1]}"` : ''}` };
  }
  return SUGGESTION.test(error.message) ? { ...error, message: error.message.replace(SUGGESTION, '') } : error;
}
