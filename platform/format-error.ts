import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import { ErrorCode } from './errors.ts';
import { logger } from './logger.ts';

/**
 * Errors we raise on purpose (a GraphQLError with a code) reach the client as they are;
 * anything else is logged and replaced by a generic message, so no stack trace or internal
 * detail ever leaves a service.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const code = formatted.extensions?.code;
  if (original instanceof GraphQLError && code && code !== ErrorCode.INTERNAL_SERVER_ERROR) return formatted;
  if (!(original instanceof Error) || code !== ErrorCode.INTERNAL_SERVER_ERROR) return formatted;
  if (original instanceof GraphQLError && original.extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR) return formatted;
  logger.error({ err: original, path: formatted.path }, 'unexpected resolver error');
  return {
    message: 'Internal server error',
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
