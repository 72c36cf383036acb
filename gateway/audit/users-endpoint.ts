import { signGatewayCredential } from '../../platform/auth/index.ts';
import { AuditDeliveryError, type DeliverAudit } from './sink.ts';
import type { AuditRecord } from './record.ts';

/** Whether nothing listens at the address (connection refused), as undici reports it, Happy Eyeballs' AggregateError included. */
function isRefused(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string; errors?: { code?: string }[] } } | undefined)?.cause;
  return cause?.code === 'ECONNREFUSED' || (cause?.errors?.length ? cause.errors.every((inner) => inner.code === 'ECONNREFUSED') : false);
}

/**
 * Delivers audit batches to the users subgraph's `POST /audit/events` (beside its GraphQL URL),
 * as the gateway: with the gateway credential, which that route alone accepts.
 */
export function usersAuditEndpoint(usersUrl: string): DeliverAudit {
  const url = new URL('/audit/events', usersUrl);
  return async (records: readonly AuditRecord[], signal: AbortSignal) => {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await signGatewayCredential(null)}` },
        body: JSON.stringify({ events: records }),
        signal,
      });
    } catch (error) {
      throw new AuditDeliveryError(`The users subgraph could not be reached at ${url}`, isRefused(error) ? 'unreachable' : 'transient', { cause: error });
    }
    const answer = await response.text().catch(() => '');
    if (response.ok) return;
    // 400: a batch the users subgraph cannot read will not become readable by trying again.
    const kind = response.status === 400 || response.status === 413 ? 'rejected' : 'transient';
    throw new AuditDeliveryError(`The users subgraph answered ${response.status} at ${url.pathname}: ${answer.slice(0, 200)}`, kind);
  };
}
