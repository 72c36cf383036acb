import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * The request being served (its id and the service serving it), carried by async context so
 * that every log line written while serving it, in any module, names both, and the gateway can
 * pass the id on to the subgraphs it calls. The header is the common `x-request-id`.
 */

export const REQUEST_ID_HEADER = 'x-request-id';

export interface RequestContext {
  /** The service serving the request (several share a process under `npm start`). */
  service: string;
  reqId: string;
}

const requests = new AsyncLocalStorage<RequestContext>();

/** A caller's id when it is a plain token of reasonable length (it ends up in logs), else a new one. */
export function requestIdFrom(header: unknown): string {
  return typeof header === 'string' && /^[\w.:-]{1,128}$/.test(header) ? header : randomUUID();
}

export function serving<T>(request: RequestContext, work: () => T): T {
  return requests.run(request, work);
}

/** The request this code is serving, if any. */
export function currentRequest(): RequestContext | undefined {
  return requests.getStore();
}

/** An error's extensions with the id of the request being served, so a client's report leads to its log lines. */
export function withRequestId<T extends object>(extensions: T): T & { requestId?: string } {
  const reqId = currentRequest()?.reqId;
  return reqId ? { ...extensions, requestId: reqId } : extensions;
}
