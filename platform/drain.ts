import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-context.ts';

/** What a drain did: requests that finished within the grace, those cut at its end, and new ones refused meanwhile. */
export interface DrainOutcome {
  finished: number;
  cut: number;
  refused: number;
}

export interface DrainableServer {
  server: Server;
  /** Requests being answered right now. */
  readonly inFlight: number;
  /**
   * Stops taking connections and requests, lets the ones in flight finish (each answer carries
   * `Connection: close`) for up to `graceMs`, then closes every connection left. Once only:
   * a second call gets the first one's outcome.
   */
  drain(graceMs: number): Promise<DrainOutcome>;
}

/**
 * Marks a 503 sent before anything of the request ran: a client may send even a mutation to
 * another replica (the gateway does: gateway/resilience/subgraph-calls.ts).
 */
export const REFUSED_UNRUN_HEADER = 'x-looma-refused';

/** How long a refused client should wait before sending again (to another replica, ideally at once). */
const RETRY_AFTER_SECONDS = '1';

/**
 * A node:http server for `listener` that can stop gracefully. While it drains, a request that
 * arrives on a connection still open (kept alive) is answered 503 `SERVICE_UNAVAILABLE` with
 * `Connection: close` and `Retry-After` (nothing of it ran, so any client may send it elsewhere),
 * and /health/ready answers 503, so that a load balancer or the gateway moves on.
 */
export function createDrainableServer(service: string, listener: RequestListener): DrainableServer {
  const inFlight = new Set<ServerResponse>();
  let drained: Promise<DrainOutcome> | undefined;
  let finished = 0;
  let refused = 0;
  let onIdle: (() => void) | undefined;

  const server = createServer((request, response) => {
    if (drained) {
      refused++;
      refuse(service, request, response);
      return;
    }
    inFlight.add(response);
    response.once('close', () => {
      inFlight.delete(response);
      if (!drained) return;
      finished++;
      if (inFlight.size === 0) onIdle?.();
    });
    listener(request, response);
  });

  const drain = async (graceMs: number): Promise<DrainOutcome> => {
    for (const response of inFlight) if (!response.headersSent) response.setHeader('connection', 'close');
    // net's close, not http's: http's also closes idle kept-alive connections at once, and a
    // request racing onto one would meet a reset instead of a 503 it can safely send elsewhere.
    // They are closed below, once nothing is in flight.
    const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
    const idle = new Promise<void>((resolve) => {
      onIdle = resolve;
      if (inFlight.size === 0) resolve();
    });
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([idle, bound]);
    clearTimeout(timer);
    const outcome = { finished, cut: inFlight.size, refused };
    server.closeAllConnections();
    await closed;
    return outcome;
  };

  return {
    server,
    get inFlight() {
      return inFlight.size;
    },
    drain(graceMs) {
      drained ??= drain(graceMs);
      return drained;
    },
  };
}

function refuse(service: string, request: IncomingMessage, response: ServerResponse): void {
  // Its body is never read: let it flow past rather than stall the connection's close.
  request.resume();
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  // Answered outside Express, so outside the request logging that names requests: named here.
  const requestId = requestIdFrom(request.headers[REQUEST_ID_HEADER]);
  // Still alive, no longer ready; anything else is a request this replica will not run.
  const [status, body] =
    path === '/health/live'
      ? [200, { status: 'draining', service }]
      : path === '/health/ready'
        ? [503, { status: 'draining', service }]
        : [503, { errors: [{ message: `The ${service} service is shutting down: send the request again`, extensions: { code: 'SERVICE_UNAVAILABLE', requestId } }] }];
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'x-content-type-options': 'nosniff',
    [REQUEST_ID_HEADER]: requestId,
    connection: 'close',
    ...(status === 503 ? { 'retry-after': RETRY_AFTER_SECONDS, [REFUSED_UNRUN_HEADER]: 'draining' } : {}),
  });
  response.end(JSON.stringify(body));
}
