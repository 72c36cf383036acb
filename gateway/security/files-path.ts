import type { RequestHandler } from 'express';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { withRequestId } from '../../platform/request-context.ts';

/**
 * The gateway's GraphQL paths read bodies up to GATEWAY_MAX_BODY (1 MB); a resume file (up to
 * 2 MiB, base64 in a variable) needs more. `/graphql/files` reads up to MAX_BODY, for one
 * operation only: a mutation whose every root field is one of `FILE_FIELDS`. Anything else sent
 * there is refused with 400 before it reaches Apollo.
 */
export const FILES_PATH = '/graphql/files';
const FILE_FIELDS = new Set(['importResume']);
/** Enough for any file operation; a larger document is no file operation. */
const MAX_TOKENS = 500;

function isFileOperation(body: unknown): boolean {
  const { query, operationName } = (body ?? {}) as { query?: unknown; operationName?: unknown };
  if (typeof query !== 'string') return false;
  try {
    const operations = parse(query, { maxTokens: MAX_TOKENS }).definitions.filter((node): node is OperationDefinitionNode => node.kind === Kind.OPERATION_DEFINITION);
    const operation = operations.length === 1 ? operations[0] : operations.find((node) => node.name?.value === operationName);
    return (
      operation?.operation === 'mutation' &&
      operation.selectionSet.selections.length > 0 &&
      operation.selectionSet.selections.every((selection) => selection.kind === Kind.FIELD && FILE_FIELDS.has(selection.name.value))
    );
  } catch {
    return false;
  }
}

export const admitFileOperations: RequestHandler = (request, response, next) => {
  if (request.method === 'POST' && isFileOperation(request.body)) return next();
  response.status(400).json({
    errors: [{ message: `Only ${[...FILE_FIELDS].join(', ')} mutations are sent to ${FILES_PATH}; send other operations to /graphql`, extensions: withRequestId({ code: 'BAD_REQUEST' }) }],
  });
};
