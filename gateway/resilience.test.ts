import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningService } from '../platform/http.ts';
import { codes, graphql, type GraphQLResponse } from '../test/support/client.ts';
import { eventually } from '../test/support/eventually.ts';
import { composeFakes, startFakeSubgraph, type FakeSubgraph } from '../test/support/fake-subgraph.ts';
import { scrape } from '../test/support/metrics.ts';
import type { ResilienceOptions } from './resilience/config.ts';
import { startGateway } from './gateway.ts';

/**
 * The real gateway over a supergraph of two fake subgraphs on 127.0.0.1: `alpha` owns items,
 * `beta` adds a non-null `stock` and a nullable `note` to them. Each test switches beta between
 * misbehaviours and reads what the client got, what beta saw and what /metrics says.
 */
const ALPHA = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { items: [Item!]! item(id: ID!): Item alphaPing: String! }
  type Item @key(fields: "id") { id: ID! name: String! }
`;
const BETA = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { betaPing: String! }
  type Mutation { betaWrite: String! }
  type Item @key(fields: "id") { id: ID! stock: Int! note: String }
`;
const ITEMS = [
  { id: '1', name: 'one' },
  { id: '2', name: 'two' },
];

const TEST_OPTIONS: ResilienceOptions = {
  timeoutMs: 3_000,
  timeoutMsBySubgraph: { beta: 500 },
  retries: 2,
  retryBaseMs: 20,
  retryMaxDelayMs: 300,
  breakerFailures: 3,
  breakerCooldownMs: 500,
};

let running: { gateway: RunningService; alpha: FakeSubgraph; beta: FakeSubgraph } | undefined;

async function setup(options: Partial<ResilienceOptions> = {}) {
  const alpha = await startFakeSubgraph('alpha', ALPHA, {
    Query: { items: () => ITEMS, item: (_: unknown, { id }: { id: string }) => ITEMS.find((item) => item.id === id), alphaPing: () => 'pong' },
  });
  const beta = await startFakeSubgraph('beta', BETA, {
    Query: { betaPing: () => 'pong' },
    Mutation: { betaWrite: () => 'written' },
    Item: { __resolveReference: ({ id }: { id: string }) => ({ id, stock: 7, note: `note ${id}` }) },
  });
  const gateway = await startGateway({
    supergraphSdl: composeFakes([alpha, beta]),
    urls: { alpha: alpha.url, beta: beta.url },
    host: '127.0.0.1',
    port: 0,
    usersUrl: 'http://127.0.0.1:9/graphql', // anonymous callers only: never reached
    resilience: { ...TEST_OPTIONS, ...options },
  });
  running = { gateway, alpha, beta };
  const query = (operation: string) => graphql(gateway.url, operation);
  /** The sum of a metric's samples for beta (and the given labels). */
  const metric = async (name: string, labels: Record<string, string> = {}) => {
    const { samples } = await scrape(gateway.url);
    const wanted = { subgraph: 'beta', ...labels };
    return samples
      .filter((sample) => sample.name === name && Object.entries(wanted).every(([key, value]) => sample.labels[key] === value))
      .reduce((total, sample) => total + sample.value, 0);
  };
  return { gateway, alpha, beta, query, metric };
}

afterEach(async () => {
  if (!running) return;
  await running.gateway.stop();
  await running.alpha.stop();
  await running.beta.stop();
  running = undefined;
});

/** The error names the subgraph and nothing else: no URL, port, cause, stack or subgraph query. */
function expectCleanSubgraphError(response: GraphQLResponse<unknown>, beta: FakeSubgraph, code: string) {
  const errors = response.errors ?? [];
  expect(errors.some((error) => error.extensions?.code === code && error.extensions.serviceName === 'beta')).toBe(true);
  const text = JSON.stringify(errors);
  for (const leak of ['127.0.0.1', 'localhost', String(beta.port), 'ECONNREFUSED', 'stacktrace', '_entities', 'representations', 'at ']) {
    expect(text).not.toContain(leak);
  }
}

describe('gateway resilience', () => {
  it('answers with partial data when a subgraph refuses connections, naming it and leaking nothing', async () => {
    const { beta, query, metric } = await setup();
    await beta.setMode('refuse');
    const response = await query('{ items { id name note } }');
    expect(response.data).toEqual({ items: ITEMS.map((item) => ({ ...item, note: null })) });
    expectCleanSubgraphError(response, beta, 'SUBGRAPH_UNAVAILABLE');
    expect(await metric('gateway_subgraph_errors_total', { reason: 'network' })).toBe(1);
    expect(await metric('gateway_subgraph_timeouts_total')).toBe(0);
    expect(await metric('gateway_subgraph_retries_total')).toBe(0);
  });

  it('nulls the parent of a non-null field the down subgraph cannot resolve, keeping the rest', async () => {
    const { beta, query } = await setup();
    await beta.setMode('refuse');
    const response = await query('{ alphaPing item(id: "1") { name stock } }');
    expect(response.data).toEqual({ alphaPing: 'pong', item: null });
    expectCleanSubgraphError(response, beta, 'SUBGRAPH_UNAVAILABLE');
  });

  it('cuts a hanging subgraph off at its own timeout, and the subgraph sees the socket closed', async () => {
    const { beta, query, metric } = await setup();
    await beta.setMode('hang');
    const started = Date.now();
    const response = await query('{ items { name note } }');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(500);
    expect(elapsed).toBeLessThan(500 + 500);
    expect(response.data).toEqual({ items: ITEMS.map((item) => ({ name: item.name, note: null })) });
    expectCleanSubgraphError(response, beta, 'SUBGRAPH_TIMEOUT');
    await eventually(async () => beta.aborted, (aborted) => aborted === 1);
    expect(beta.calls).toHaveLength(1);
    expect(await metric('gateway_subgraph_timeouts_total')).toBe(1);
    expect(await metric('gateway_subgraph_errors_total')).toBe(0);
  });

  it('cancels the subgraph calls of a client that disconnects', async () => {
    const { gateway, beta, metric } = await setup({ timeoutMsBySubgraph: { beta: 10_000 } });
    await beta.setMode('hang');
    const client = new AbortController();
    const pending = fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ betaPing }' }),
      signal: client.signal,
    }).catch(() => undefined);
    await eventually(async () => beta.calls.length, (length) => length === 1);
    client.abort();
    await pending;
    await eventually(async () => beta.aborted, (aborted) => aborted === 1, 1_000);
    expect(await metric('gateway_subgraph_timeouts_total')).toBe(0);
    expect(await metric('gateway_subgraph_errors_total')).toBe(0);
    expect(await metric('gateway_subgraph_circuit_state')).toBe(0);
  });

  it('retries a query after 5xx answers, with backoff, until it succeeds', async () => {
    const { beta, query, metric } = await setup();
    beta.queue('status500', 'status500');
    const response = await query('{ betaPing }');
    expect(response).toEqual({ data: { betaPing: 'pong' } });
    expect(beta.calls.map((call) => call.mode)).toEqual(['status500', 'status500', 'ok']);
    expect(await metric('gateway_subgraph_retries_total')).toBe(2);
    expect(await metric('gateway_subgraph_errors_total')).toBe(0);
  });

  it('gives up after the bounded retries, counting one error', async () => {
    const { beta, query, metric } = await setup();
    await beta.setMode('status500');
    const response = await query('{ items { name note } }');
    expect(response.data).toEqual({ items: ITEMS.map((item) => ({ name: item.name, note: null })) });
    expectCleanSubgraphError(response, beta, 'SUBGRAPH_UNAVAILABLE');
    expect(beta.calls).toHaveLength(3);
    expect(await metric('gateway_subgraph_retries_total')).toBe(2);
    expect(await metric('gateway_subgraph_errors_total', { reason: 'status' })).toBe(1);
  });

  it('honours Retry-After on a 429', async () => {
    const { beta, query, metric } = await setup({ timeoutMsBySubgraph: {}, retryMaxDelayMs: 2_000 });
    beta.retryAfter = '1';
    beta.queue('status429');
    expect(await query('{ betaPing }')).toEqual({ data: { betaPing: 'pong' } });
    expect(beta.calls).toHaveLength(2);
    expect(beta.calls[1]!.at - beta.calls[0]!.at).toBeGreaterThanOrEqual(950);
    expect(await metric('gateway_subgraph_retries_total')).toBe(1);
  });

  it('caps the wait a Retry-After asks for', async () => {
    const { beta, query } = await setup({ timeoutMsBySubgraph: {}, retryMaxDelayMs: 300 });
    beta.retryAfter = '60';
    beta.queue('status429');
    expect(await query('{ betaPing }')).toEqual({ data: { betaPing: 'pong' } });
    const gap = beta.calls[1]!.at - beta.calls[0]!.at;
    expect(gap).toBeGreaterThanOrEqual(290);
    expect(gap).toBeLessThan(1_000);
  });

  it('never retries a mutation: the subgraph sees exactly one call', async () => {
    const { beta, query, metric } = await setup();
    await beta.setMode('status500');
    const response = await query('mutation { betaWrite }');
    expect(response.data).toBeNull();
    expectCleanSubgraphError(response, beta, 'SUBGRAPH_UNAVAILABLE');
    expect(beta.calls).toHaveLength(1);
    expect(await metric('gateway_subgraph_retries_total')).toBe(0);
    expect(await metric('gateway_subgraph_errors_total', { reason: 'status' })).toBe(1);
  });

  it('breaks the circuit: closed → open → fail fast → half-open → open → half-open → closed', async () => {
    const { gateway, beta, query, metric } = await setup();
    const state = () => metric('gateway_subgraph_circuit_state');
    expect(await state()).toBe(0);

    // closed → open after 3 consecutive failures
    await beta.setMode('refuse');
    for (let i = 0; i < 3; i++) expect(codes(await query('{ betaPing }'))).toEqual(['SUBGRAPH_UNAVAILABLE']);
    expect(await metric('gateway_subgraph_errors_total', { reason: 'network' })).toBe(3);
    expect(await state()).toBe(2);
    // /health/subgraphs shows the breaker beside each subgraph's own readiness.
    const health = (await (await fetch(new URL('/health/subgraphs', gateway.url))).json()) as { subgraphs: { name: string; breaker?: string }[] };
    expect(health.subgraphs.map(({ name, breaker }) => [name, breaker])).toEqual(expect.arrayContaining([['alpha', 'closed'], ['beta', 'open']]));

    // open: fails fast, no network call, even though beta is back
    await beta.setMode('ok');
    const fast = await query('{ betaPing }');
    expect(codes(fast)).toEqual(['SUBGRAPH_CIRCUIT_OPEN']);
    expectCleanSubgraphError(fast, beta, 'SUBGRAPH_CIRCUIT_OPEN');
    expect(beta.calls).toHaveLength(0);
    expect(await metric('gateway_subgraph_errors_total', { reason: 'circuit_open' })).toBe(1);

    // after the cool-down: half-open, one trial (others still fail fast); the trial times out → open
    await sleep(550);
    await beta.setMode('hang');
    const trial = query('{ betaPing }');
    await eventually(async () => beta.calls.length, (length) => length === 1);
    expect(await state()).toBe(1);
    expect(codes(await query('{ betaPing }'))).toEqual(['SUBGRAPH_CIRCUIT_OPEN']);
    expect(beta.calls).toHaveLength(1);
    expect(codes(await trial)).toEqual(['SUBGRAPH_TIMEOUT']);
    expect(await state()).toBe(2);
    expect(await metric('gateway_subgraph_timeouts_total')).toBe(1);
    expect(codes(await query('{ betaPing }'))).toEqual(['SUBGRAPH_CIRCUIT_OPEN']);

    // after another cool-down: half-open, the trial succeeds → closed
    await sleep(550);
    await beta.setMode({ slow: 200 });
    const recovery = query('{ betaPing }');
    await eventually(async () => beta.calls.length, (length) => length === 2);
    expect(await state()).toBe(1);
    expect(await recovery).toEqual({ data: { betaPing: 'pong' } });
    expect(await state()).toBe(0);
    await beta.setMode('ok');
    expect(await query('{ betaPing }')).toEqual({ data: { betaPing: 'pong' } });
    expect(beta.calls).toHaveLength(3);
    expect(await metric('gateway_subgraph_errors_total', { reason: 'circuit_open' })).toBe(3);
  });
});
