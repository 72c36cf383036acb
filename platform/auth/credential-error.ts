import { GraphQLError } from 'graphql';
import { ErrorCode } from '../errors.ts';

/** A credential that cannot be trusted fails the whole request with HTTP 401, before any resolver runs. */
export const badCredential = (message: string) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });
