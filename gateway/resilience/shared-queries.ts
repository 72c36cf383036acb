import type { FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import { SubgraphAnswer } from './answer.ts';

interface InFlight {
  answer: Promise<SubgraphAnswer>;
  /** Callers still waiting for it; the call is cancelled only when every one of them has hung up. */
  waiting: number;
  controller: AbortController;
}

/**
 * Identical queries to one subgraph that are in flight at the same time share one call: the same
 * body (operation and variables) and the same Authorization. The gateway's credential names the
 * caller, its role and permissions (and is the same JWT for one caller within a second), so only
 * calls made for the same identity are ever shared; each caller gets its own copy of the answer.
 * Mutations, and anything not recognisably a query, always go alone.
 *
 * The shared call runs under its own cancellation signal: a client hanging up stops waiting, and
 * the call is cancelled only once every client sharing it has hung up.
 */
export class SharedQueries {
  /**
   * By Authorization, then by body: the body string the data source built is the key itself, so
   * no key as long as the body is built per call (it was 2.7 % of a flagship request's bytes).
   */
  private readonly inFlight = new Map<string, Map<string, InFlight>>();

  constructor(
    private readonly send: (init: FetcherRequestInit) => Promise<FetcherResponse>,
    private readonly isQuery: (body: FetcherRequestInit['body']) => boolean,
    /** The signal of the client the current async context serves, and how to run work under another. */
    private readonly client: { current(): AbortSignal | undefined; runWith<T>(signal: AbortSignal, work: () => T): T },
    /** What a client that hung up is rejected with (the gateway's own "cancelled" error, as for a call of its own). */
    private readonly cancelled: (reason: unknown) => Error = (reason) => (reason instanceof Error ? reason : new Error('The request was cancelled')),
    /** Called each time a query joins one already in flight instead of being sent. */
    private readonly onJoin: () => void = () => undefined,
  ) {}

  /** How many calls are being shared now (tests, metrics). */
  get size(): number {
    let calls = 0;
    for (const sameCaller of this.inFlight.values()) calls += sameCaller.size;
    return calls;
  }

  async fetch(init: FetcherRequestInit): Promise<FetcherResponse> {
    if (typeof init.body !== 'string' || !this.isQuery(init.body)) return this.send(init);
    const body = init.body;
    const authorization = authorizationOf(init.headers);
    let sameCaller = this.inFlight.get(authorization);
    let shared = sameCaller?.get(body);
    if (!shared) {
      if (!sameCaller) this.inFlight.set(authorization, (sameCaller = new Map()));
      const calls = sameCaller;
      const controller = new AbortController();
      const entry: InFlight = { controller, waiting: 0, answer: Promise.resolve(undefined as unknown as SubgraphAnswer) };
      entry.answer = this.client.runWith(controller.signal, () => this.send(init)).then(SubgraphAnswer.read).finally(() => {
        if (calls.get(body) !== entry) return;
        calls.delete(body);
        if (calls.size === 0 && this.inFlight.get(authorization) === calls) this.inFlight.delete(authorization);
      });
      // Every waiter may have gone (and been told) before the call settles: its failure then has no one to reach.
      entry.answer.catch(() => undefined);
      calls.set(body, entry);
      shared = entry;
    } else {
      this.onJoin();
    }
    // Read whole, the one answer serves every caller.
    return this.wait(shared);
  }

  /** The shared answer, or this client's own disconnection, whichever comes first. */
  private wait(shared: InFlight): Promise<SubgraphAnswer> {
    const signal = this.client.current();
    shared.waiting++;
    if (!signal) return shared.answer.finally(() => shared.waiting--);
    return new Promise<SubgraphAnswer>((resolve, reject) => {
      const leave = () => {
        shared.waiting--;
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        leave();
        if (shared.waiting === 0) shared.controller.abort(signal.reason);
        reject(this.cancelled(signal.reason));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      shared.answer.then(
        (answer) => {
          leave();
          resolve(answer);
        },
        (error: unknown) => {
          leave();
          reject(error);
        },
      );
    });
  }
}

function authorizationOf(headers: FetcherRequestInit['headers']): string {
  if (!headers) return '';
  const record = headers as Record<string, string>;
  return record.authorization ?? record.Authorization ?? '';
}
