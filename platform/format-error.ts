import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import { ErrorCode } from './errors.ts';
import { logger } from './logger.ts';
import { withRequestId } from './request-context.ts';

/**
 * PostgreSQL rejections caused by the value a client sent (not by our SQL): NUL in text, text
 * that is not a valid value of the column's type, a number out of range, a string too long.
 */
const INPUT_REJECTED_BY_DATABASE = new Set(['22021', '22P02', '22003', '22001', '22007', '22008']);

function databaseErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Errors we raise on purpose (a GraphQLError with a code) reach the client as they are;
 * anything else is logged and replaced by a generic message, so no stack trace or internal
 * detail ever leaves a service.
 */
const MASKED = 'Internal server error';

export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const masked = mask(formatted, error);
  // A subgraph that sends its stack trace (another team's, or one run with stack traces on) is not
  // believed, nor is the raw HTTP answer Apollo's gateway attaches to a subgraph's 401 or 403.
  const { stacktrace: _stacktrace, exception: _exception, response: _response, ...kept } = masked.extensions ?? {};
  const extensions = withRequestId(kept);
  return Object.keys(extensions).length > 0 ? { ...masked, extensions } : masked;
}

/** The gateway's code for a subgraph error that came without one: whatever it says is unvetted. */
const DOWNSTREAM_SERVICE_ERROR = 'DOWNSTREAM_SERVICE_ERROR';

function mask(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  if (formatted.extensions?.code === DOWNSTREAM_SERVICE_ERROR) {
    const serviceName = formatted.extensions.serviceName;
    logger.error({ err: error, path: formatted.path, subgraph: serviceName }, 'a subgraph returned an error without a code');
    return { message: MASKED, path: formatted.path, locations: formatted.locations, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, serviceName } };
  }
  if (formatted.extensions?.code !== ErrorCode.INTERNAL_SERVER_ERROR) return formatted;
  if (formatted.message === MASKED) return formatted; // masked already by the subgraph that raised it
  const unwrapped = unwrapResolverError(error);
  const cause = unwrapped instanceof GraphQLError && unwrapped.originalError ? unwrapped.originalError : unwrapped;
  const location = { path: formatted.path, locations: formatted.locations };
  const databaseCode = databaseErrorCode(cause);
  if (databaseCode && INPUT_REJECTED_BY_DATABASE.has(databaseCode)) {
    return {
      message: 'The input holds a value that cannot be stored or compared (e.g. a NUL character or an out-of-range number)',
      ...location,
      extensions: { code: ErrorCode.BAD_USER_INPUT },
    };
  }
  logger.error({ err: cause, path: formatted.path }, 'unexpected error');
  return { message: MASKED, ...location, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}
