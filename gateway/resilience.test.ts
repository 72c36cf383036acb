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
  replicaProbeMs: 100,
};

let running: { gateway: RunningService; alpha: FakeSubgraph; betas: FakeSubgraph[] } | undefined;

/** The supergraph of alpha and beta; beta may run as several replicas, and may be down when the gateway starts. */
async function setup(options: Partial<ResilienceOptions> = {}, { betaReplicas = 1, betaDownAtStart = false } = {}) {
  const alpha = await startFakeSubgraph('alpha', ALPHA, {
    Query: { items: () => ITEMS, item: (_: unknown, { id }: { id: string }) => ITEMS.find((item) => item.id === id), alphaPing: () => 'pong' },
  });
  const betas: FakeSubgraph[] = [];
  for (let replica = 0; replica < betaReplicas; replica++) {
    betas.push(
      await startFakeSubgraph('beta', BETA, {
        Query: { betaPing: () => 'pong' },
        Mutation: { betaWrite: () => 'written' },
        Item: { __resolveReference: ({ id }: { id: string }) => ({ id, stock: 7, note: `note ${id}` }) },
      }),
    );
  }
  const beta = betas[0]!;
  const supergraphSdl = composeFakes([alpha, beta]);
  if (betaDownAtStart) await beta.setMode('refuse');
  const gateway = await startGateway({
    supergraphSdl,
    urls: { alpha: alpha.url, beta: betas.map((replica) => replica.url).join(',') },
    host: '127.0.0.1',
    port: 0,
    usersUrl: 'http://127.0.0.1:9/graphql', // anonymous callers only: never reached
    resilience: { ...TEST_OPTIONS, ...options },
  });
  running = { gateway, alpha, betas };
  const query = (operation: string) => graphql(gateway.url, operation);
  /** The sum of a metric's samples for beta (and the given labels). */
  const metric = async (name: string, labels: Record<string, string> = {}) => {
    const { samples } = await scrape(gateway.url);
    const wanted = { subgraph: 'beta', ...labels };
    return samples
      .filter((sample) => sample.name === name && Object.entries(wanted).every(([key, value]) => sample.labels[key] === value))
      .reduce((total, sample) => total + sample.value, 0);
  };
  return { gateway, alpha, beta, betas, query, metric };
}

afterEach(async () => {
  if (!running) return;
  await running.gateway.stop();
  await running.alpha.stop();
  for (const beta of running.betas) await beta.stop();
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
    // Another query fails fast (the same query would share the trial: gateway/resilience/shared-queries.ts).
    expect(codes(await query('{ other: betaPing }'))).toEqual(['SUBGRAPH_CIRCUIT_OPEN']);
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

describe('identical queries in flight at once', () => {
  const at = (url: string, query: string, signal?: AbortSignal) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }), ...(signal ? { signal } : {}) });

  it('share one subgraph call for the same caller, each client getting the whole answer', async () => {
    const { beta, query, metric } = await setup();
    await beta.setMode({ slow: 300 });
    const answers = await Promise.all(Array.from({ length: 5 }, () => query('{ betaPing }')));
    for (const answer of answers) expect(answer).toEqual({ data: { betaPing: 'pong' } });
    // One call, or two if the five straddled a second (the caller's credential is re-signed each second).
    expect(beta.calls.length).toBeLessThanOrEqual(2);
    expect(await metric('gateway_subgraph_shared_calls_total')).toBe(5 - beta.calls.length);
  });

  it('keep the call going for the others when one client hangs up', async () => {
    const { gateway, beta } = await setup();
    await beta.setMode({ slow: 400 });
    const leaving = new AbortController();
    const left = at(gateway.url, '{ betaPing }', leaving.signal).catch((error: unknown) => error);
    const staying = at(gateway.url, '{ betaPing }');
    await eventually(async () => beta.calls.length, (length) => length >= 1);
    leaving.abort();
    expect(await left).toBeInstanceOf(Error);
    expect(await (await staying).json()).toEqual({ data: { betaPing: 'pong' } });
    expect(beta.aborted).toBe(0);
  });

  it('never share a mutation, nor anything when GATEWAY_SHARE_QUERIES is false', async () => {
    const { beta, query } = await setup();
    await beta.setMode({ slow: 200 });
    await Promise.all(Array.from({ length: 3 }, () => query('mutation { betaWrite }')));
    expect(beta.calls).toHaveLength(3);
    await running!.gateway.stop();
    await running!.alpha.stop();
    for (const replica of running!.betas) await replica.stop();
    running = undefined;

    const alone = await setup({ shareQueries: false });
    await alone.beta.setMode({ slow: 200 });
    await Promise.all(Array.from({ length: 4 }, () => alone.query('{ betaPing }')));
    expect(alone.beta.calls).toHaveLength(4);
  });
});

describe('gateway start-up with a subgraph down', () => {
  it('starts from the composed supergraph, is ready, and serves the other subgraphs until the missing one comes up', async () => {
    const { gateway, beta, query, metric } = await setup({}, { betaDownAtStart: true });
    expect((await fetch(new URL('/health/ready', gateway.url))).status).toBe(200);
    expect(await query('{ alphaPing }')).toEqual({ data: { alphaPing: 'pong' } });
    const partial = await query('{ items { name note } }');
    expect(partial.data).toEqual({ items: ITEMS.map((item) => ({ name: item.name, note: null })) });
    expectCleanSubgraphError(partial, beta, 'SUBGRAPH_UNAVAILABLE');
    expect(await metric('gateway_subgraph_errors_total', { reason: 'network' })).toBe(1);

    await beta.setMode('ok');
    expect(await query('{ items { name note } }')).toEqual({ data: { items: ITEMS.map((item) => ({ name: item.name, note: `note ${item.id}` })) } });
  });
});

describe('subgraph replicas', () => {
  const host = (fake: FakeSubgraph) => `127.0.0.1:${fake.port}`;
  const answered = { data: { betaPing: 'pong' } };

  it('balances calls round-robin across the replicas in rotation', async () => {
    const { betas, query, metric } = await setup({}, { betaReplicas: 2 });
    for (let i = 0; i < 6; i++) expect(await query('{ betaPing }')).toEqual(answered);
    expect(betas.map((replica) => replica.calls.length)).toEqual([3, 3]);
    for (const replica of betas) expect(await metric('gateway_subgraph_replica_in_rotation', { replica: host(replica) })).toBe(1);
  });

  it('ejects a replica that refuses, fails its call over to the other, and restores it once it is ready again', async () => {
    const { gateway, betas, query, metric } = await setup({}, { betaReplicas: 2 });
    const [first, second] = betas as [FakeSubgraph, FakeSubgraph];
    await first.setMode('refuse');
    for (let i = 0; i < 4; i++) expect(await query('{ betaPing }')).toEqual(answered);
    expect(second.calls).toHaveLength(4);
    expect(await metric('gateway_subgraph_replica_ejections_total', { replica: host(first) })).toBe(1);
    expect(await metric('gateway_subgraph_replica_ejections_total', { replica: host(second) })).toBe(0);
    expect(await metric('gateway_subgraph_replica_in_rotation', { replica: host(first) })).toBe(0);
    expect(await metric('gateway_subgraph_retries_total')).toBe(1);
    expect(await metric('gateway_subgraph_errors_total')).toBe(0);
    expect(await metric('gateway_subgraph_circuit_state')).toBe(0);
    const health = (await (await fetch(new URL('/health/subgraphs', gateway.url))).json()) as {
      subgraphs: { name: string; status: string; replicas?: { status: string; inRotation: boolean }[] }[];
    };
    expect(health.subgraphs.find((subgraph) => subgraph.name === 'beta')).toMatchObject({
      status: 'ready',
      replicas: [
        { status: 'unreachable', inRotation: false },
        { status: 'ready', inRotation: true },
      ],
    });

    await first.setMode('ok');
    await eventually(() => metric('gateway_subgraph_replica_in_rotation', { replica: host(first) }), (value) => value === 1);
    for (let i = 0; i < 4; i++) expect(await query('{ betaPing }')).toEqual(answered);
    expect(first.calls).toHaveLength(2);
    expect(second.calls).toHaveLength(6);
    expect(await metric('gateway_subgraph_replica_ejections_total', { replica: host(first) })).toBe(1);
  });

  it('moves a mutation to another replica only when the refused one never saw it', async () => {
    const { betas, query, metric } = await setup({}, { betaReplicas: 2 });
    const [first, second] = betas as [FakeSubgraph, FakeSubgraph];
    await first.setMode('refuse');
    expect(await query('mutation { betaWrite }')).toEqual({ data: { betaWrite: 'written' } });
    expect(second.calls.map((call) => call.query)).toEqual([expect.stringContaining('betaWrite')]);

    // A replica that received the mutation and failed: no second replica sees it.
    await first.setMode('status500');
    await second.setMode('status500');
    const failed = await query('mutation { betaWrite }');
    expect(codes(failed)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    expect(first.calls.length + second.calls.length).toBe(2);
    expect(await metric('gateway_subgraph_errors_total', { reason: 'status' })).toBe(1);
  });

  it('hands a mutation that a draining replica refused unrun to another replica, where it runs once', async () => {
    const { betas, query, metric } = await setup({}, { betaReplicas: 2 });
    const [first, second] = betas as [FakeSubgraph, FakeSubgraph];
    await first.setMode('draining');
    expect(await query('mutation { betaWrite }')).toEqual({ data: { betaWrite: 'written' } });
    expect(first.calls).toHaveLength(1);
    expect(second.calls.map((call) => call.query)).toEqual([expect.stringContaining('betaWrite')]);
    expect(await metric('gateway_subgraph_retries_total')).toBe(1);
    expect(await metric('gateway_subgraph_replica_ejections_total', { replica: host(first) })).toBe(1);
  });

  it('takes a replica answering 503 (draining) out of rotation, answering from the other without waiting', async () => {
    const { betas, query, metric } = await setup({ retryBaseMs: 1_000 }, { betaReplicas: 2 });
    const [first, second] = betas as [FakeSubgraph, FakeSubgraph];
    await first.setMode('status503');
    const started = Date.now();
    for (let i = 0; i < 3; i++) expect(await query('{ betaPing }')).toEqual(answered);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(first.calls).toHaveLength(1);
    expect(second.calls).toHaveLength(3);
    expect(await metric('gateway_subgraph_replica_ejections_total', { replica: host(first) })).toBe(1);
    expect(await metric('gateway_subgraph_retries_total')).toBe(1);
  });

  it('ejects a replica that hangs once its call times out', async () => {
    const { betas, query, metric } = await setup({}, { betaReplicas: 2 });
    const [first, second] = betas as [FakeSubgraph, FakeSubgraph];
    await first.setMode('hang');
    expect(codes(await query('{ betaPing }'))).toEqual(['SUBGRAPH_TIMEOUT']);
    expect(await metric('gateway_subgraph_replica_in_rotation', { replica: host(first) })).toBe(0);
    for (let i = 0; i < 3; i++) expect(await query('{ betaPing }')).toEqual(answered);
    expect(first.calls).toHaveLength(1);
    expect(second.calls).toHaveLength(3);
  });

  it('gives up cleanly when every replica answers 503, having tried each once', async () => {
    const { betas, beta, query, metric } = await setup({}, { betaReplicas: 2 });
    for (const replica of betas) await replica.setMode('status503');
    const response = await query('{ items { name note } }');
    expect(response.data).toEqual({ items: ITEMS.map((item) => ({ name: item.name, note: null })) });
    expectCleanSubgraphError(response, beta, 'SUBGRAPH_UNAVAILABLE');
    expect(betas.map((replica) => replica.calls.length)).toEqual([1, 1]);
    expect(await metric('gateway_subgraph_errors_total', { reason: 'status' })).toBe(1);
    expect(await metric('gateway_subgraph_errors_total', { reason: 'network' })).toBe(0);
    expect(await metric('gateway_subgraph_retries_total')).toBe(1);
  });

  it('fails like a lone subgraph when every replica is down', async () => {
    const { betas, beta, query, metric } = await setup({}, { betaReplicas: 2 });
    for (const replica of betas) await replica.setMode('refuse');
    const response = await query('{ items { name note } }');
    expect(response.data).toEqual({ items: ITEMS.map((item) => ({ name: item.name, note: null })) });
    expectCleanSubgraphError(response, beta, 'SUBGRAPH_UNAVAILABLE');
    expect(await metric('gateway_subgraph_errors_total', { reason: 'network' })).toBe(1);
    expect(await metric('gateway_subgraph_replica_ejections_total')).toBe(2);
  });
});
