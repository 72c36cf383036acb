import { AsyncLocalStorage } from 'node:async_hooks';
import type { FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import { describe, expect, it } from 'vitest';
import { SharedQueries } from './shared-queries.ts';

const signals = new AsyncLocalStorage<AbortSignal>();
const client = { current: () => signals.getStore(), runWith: <T>(signal: AbortSignal, work: () => T) => signals.run(signal, work) };
const isQuery = (body: FetcherRequestInit['body']) => typeof body === 'string' && /"query":"query /.test(body);
const QUERY: FetcherRequestInit = { method: 'POST', headers: { authorization: 'Bearer a' }, body: '{"query":"query { ping }"}' };

/** A subgraph call that answers after `ms`, or fails as the gateway's does once its signal (the shared call's) aborts. */
function sender(ms: number) {
  const calls: AbortSignal[] = [];
  const send = (_init: FetcherRequestInit) => {
    const signal = signals.getStore() ?? new AbortController().signal;
    calls.push(signal);
    return new Promise<FetcherResponse>((resolve, reject) => {
      const timer = setTimeout(() => resolve(new Response('{"data":{"ping":"pong"}}', { status: 200 }) as unknown as FetcherResponse), ms);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new Error('The request was cancelled'));
      });
    });
  };
  return { send, calls };
}

describe('shared in-flight queries', () => {
  it('sends identical queries of one caller once, and each caller reads its own copy', async () => {
    const { send, calls } = sender(50);
    const shared = new SharedQueries(send, isQuery, client);
    const answers = await Promise.all([shared.fetch(QUERY), shared.fetch(QUERY), shared.fetch({ ...QUERY, headers: { authorization: 'Bearer b' } })]);
    expect(calls).toHaveLength(2);
    for (const answer of answers) expect(await answer.json()).toEqual({ data: { ping: 'pong' } });
    expect(shared.size).toBe(0);
  });

  it('shares only the same body, and sends a query again once its shared call has settled', async () => {
    const { send, calls } = sender(20);
    const shared = new SharedQueries(send, isQuery, client);
    const other = { ...QUERY, body: '{"query":"query { ping other: ping }"}' };
    await Promise.all([shared.fetch(QUERY), shared.fetch(other), shared.fetch(QUERY)]);
    expect(calls).toHaveLength(2);
    expect(shared.size).toBe(0);
    await shared.fetch(QUERY);
    expect(calls).toHaveLength(3);
  });

  it('cancels the call once every client has gone, including one gone before it asked, with no unhandled failure', async () => {
    const { send, calls } = sender(10_000);
    const shared = new SharedQueries(send, isQuery, client);
    const gone = new AbortController();
    gone.abort(new Error('the client disconnected'));
    await expect(signals.run(gone.signal, () => shared.fetch(QUERY))).rejects.toThrow('the client disconnected');
    expect(calls[0]!.aborted).toBe(true);

    const first = new AbortController();
    const second = new AbortController();
    const a = signals.run(first.signal, () => shared.fetch(QUERY));
    const b = signals.run(second.signal, () => shared.fetch(QUERY));
    first.abort(new Error('first left'));
    await expect(a).rejects.toThrow('first left');
    expect(calls[1]!.aborted).toBe(false);
    second.abort(new Error('second left'));
    await expect(b).rejects.toThrow('second left');
    expect(calls[1]!.aborted).toBe(true);
    // Let the aborted calls' failures settle: an unhandled one would fail this file.
    await new Promise((resolve) => setTimeout(resolve, 20));
  });

  it('never shares what is not a query', async () => {
    const { send, calls } = sender(20);
    const shared = new SharedQueries(send, isQuery, client);
    const mutation = { ...QUERY, body: '{"query":"mutation { write }"}' };
    await Promise.all([shared.fetch(mutation), shared.fetch(mutation)]);
    expect(calls).toHaveLength(2);
  });
});
