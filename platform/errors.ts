import { GraphQLError } from 'graphql';

/** The one list of error codes every service uses in `extensions.code`. */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  RATE_LIMITED: 'RATE_LIMITED',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** The feature needs configuration this deployment does not have (e.g. the Zervigo integration's URLs). */
  NOT_CONFIGURED: 'NOT_CONFIGURED',
  /** A body past the endpoint's limit (HTTP 413). */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** The gateway gave up on a subgraph call (`extensions.serviceName` names the subgraph): no usable answer. */
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  /** … it did not answer within its deadline. */
  SUBGRAPH_TIMEOUT: 'SUBGRAPH_TIMEOUT',
  /** … its circuit breaker is open: nothing was sent. */
  SUBGRAPH_CIRCUIT_OPEN: 'SUBGRAPH_CIRCUIT_OPEN',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

function error(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

/** `field` names the offending input path so clients can show the message beside it. */
export const badInput = (message: string, field?: string) =>
  error(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});
/**
 * Runs a store call whose own bounds throw RangeError (so no engine runs an unbounded query),
 * reporting them as BAD_USER_INPUT. Resolvers check what they can name first; this is the net.
 */
export async function rangeErrorsAsBadInput<T>(call: () => Promise<T>, field?: string): Promise<T> {
  try {
    return await call();
  } catch (caught) {
    if (caught instanceof RangeError) throw badInput(caught.message, field);
    throw caught;
  }
}
export const unauthenticated = (message = 'Sign in to do this') => error(ErrorCode.UNAUTHENTICATED, message);
export const forbidden = (message = 'You are not allowed to do this') => error(ErrorCode.FORBIDDEN, message);
export const notFound = (what: string, id: string) => error(ErrorCode.NOT_FOUND, `${what} ${id} was not found`, { id });
export const conflict = (message: string) => error(ErrorCode.CONFLICT, message);
