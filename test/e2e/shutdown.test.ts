import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { loadRegistry } from '../../platform/registry.ts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../support/client.ts';
import { Connection, type Answer } from '../support/connection.ts';
import { contractSuite } from '../support/contract.ts';
import { POSTGRES_URL, postgresTarget } from '../support/databases.ts';
import { eventually } from '../support/eventually.ts';
import { composeFakes, startFakeSubgraph, type FakeSubgraph } from '../support/fake-subgraph.ts';
import { runScript, type RunningProcess } from '../support/processes.ts';

/**
 * Graceful shutdown of the production processes (scripts/serve.ts), as an orchestrator sends it:
 * SIGTERM drains requests in flight within SHUTDOWN_GRACE_MS and closes the stores; a write that
 * was answered survives even SIGKILL.
 */
const LISTENING = /"service":"(\w+)","url":"http:\/\/localhost(:\d+\/\S*?)"/;
const running: RunningProcess[] = [];

afterAll(() => {
  for (const process of running) process.child.kill('SIGKILL');
});

async function serve(service: string, env: Record<string, string>) {
  const process = await runScript('scripts/serve.ts', [service], { PORT: '0', HOST: '127.0.0.1', ...env }, LISTENING);
  running.push(process);
  return { ...process, url: `http://127.0.0.1${process.match[2]!}` };
}

/** Resolves once the process has written `text` (its log lines are JSON, one a line). */
const logged = (process: RunningProcess, text: string) => eventually(async () => process.output(), (output) => output.includes(text), 10_000);

/** An answer, or the code of the error the request met instead (ECONNRESET, ECONNREFUSED…): never a rejection. */
const settle = (request: Promise<Answer>): Promise<Answer | { error: string }> =>
  request.then(
    (answer) => answer,
    (error: NodeJS.ErrnoException) => ({ error: error.code ?? error.message }),
  );

/** The exit code and how long after `since` the process ended. */
async function exit(process: RunningProcess, since: number) {
  const code = await process.exited;
  return { code, ms: Date.now() - since };
}

describe('the gateway process on SIGTERM', () => {
  let dir: string;
  let supergraphPath: string;
  let alpha: FakeSubgraph;
  const connections: Connection[] = [];
  const connection = () => {
    const opened = new Connection();
    connections.push(opened);
    return opened;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'looma-shutdown-'));
    supergraphPath = join(dir, 'supergraph.graphql');
    alpha = await startFakeSubgraph(
      'alpha',
      `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
       type Query { items: [Item!]! }
       type Item @key(fields: "id") { id: ID! name: String! }`,
      { Query: { items: () => [{ id: '1', name: 'one' }] } },
    );
    writeFileSync(supergraphPath, composeFakes([alpha]));
  });
  afterEach(async () => {
    for (const opened of connections.splice(0)) opened.close();
    await alpha.setMode('ok');
  });
  afterAll(async () => {
    await alpha.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A gateway over the fake subgraph: it waits for a subgraph far longer than any grace here, and never retries. */
  async function gateway(env: Record<string, string>) {
    const started = await serve('gateway', {
      SUPERGRAPH_PATH: supergraphPath,
      USERS_URL: 'http://127.0.0.1:9/graphql', // anonymous callers only: never reached
      GATEWAY_SUBGRAPH_TIMEOUT_MS: '60000',
      GATEWAY_SUBGRAPH_RETRIES: '0',
      ...env,
    });
    const ready = `${started.url.replace(/\/$/, '')}/health/ready`;
    await eventually(async () => (await fetch(ready)).status, (status) => status === 200, 10_000);
    return { ...started, ready };
  }

  /** Sends a query that reaches alpha, and resolves once alpha has it (the request is in flight) with its outcome to come. */
  async function inFlight(url: string, client: Connection) {
    const calls = alpha.calls.length;
    const outcome = settle(client.graphql(url, '{ items { id name } }'));
    await eventually(async () => alpha.calls.length, (count) => count > calls, 10_000);
    return { outcome };
  }

  it('finishes the request in flight, refuses new ones, reports not ready, and exits 0', async () => {
    const service = await gateway({ SHUTDOWN_GRACE_MS: '20000' });
    // Opened before the signal and kept alive, as a load balancer keeps them.
    const [busy, probe] = [connection(), connection()];
    expect((await busy.graphql(service.url, '{ items { id } }')).status).toBe(200);
    expect((await probe.get(service.ready)).status).toBe(200);

    alpha.queue({ slow: 5_000 });
    const slow = await inFlight(service.url, connection());
    const signalled = Date.now();
    service.child.kill('SIGTERM');
    await logged(service, '"msg":"draining"');

    const readiness = await probe.get(service.ready);
    expect(readiness).toMatchObject({ status: 503, reusedSocket: true, body: { status: 'draining' } });
    const refused = await busy.graphql(service.url, '{ items { id } }');
    expect(refused).toMatchObject({ status: 503, reusedSocket: true, body: { errors: [{ extensions: { code: 'SERVICE_UNAVAILABLE' } }] } });
    expect(refused.headers).toMatchObject({ connection: 'close', 'retry-after': '1' });
    // A connection opened now is refused (a new Connection: fetch's pool may still hold one open).
    expect(await settle(connection().get(service.ready))).toEqual({ error: 'ECONNREFUSED' });

    const answered = await slow.outcome;
    expect(answered).toMatchObject({ status: 200, body: { data: { items: [{ id: '1', name: 'one' }] } } });
    expect((answered as Answer).headers.connection).toBe('close');

    const { code, ms } = await exit(service, signalled);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(10_000);
    expect(service.output()).toMatch(/"finished":1,"cut":0,"refused":2,.*"msg":"stopped"/);
    expect(service.output()).toContain('"msg":"gateway service closed"');
    expect(service.output()).toContain('"msg":"shut down"');
  }, 60_000);

  it('cuts a request that outlasts SHUTDOWN_GRACE_MS and still exits 0', async () => {
    const service = await gateway({ SHUTDOWN_GRACE_MS: '1000' });
    await alpha.setMode('hang');
    const hung = await inFlight(service.url, connection());
    const signalled = Date.now();
    service.child.kill('SIGTERM');

    expect(await hung.outcome).toEqual({ error: 'ECONNRESET' });
    const { code, ms } = await exit(service, signalled);
    expect(code).toBe(0);
    expect(ms).toBeGreaterThanOrEqual(1_000);
    expect(ms).toBeLessThan(6_000);
    expect(service.output()).toContain('shutdown grace over: requests still in flight were cut');
  }, 60_000);

  it('exits 1 at once on a second signal, saying why (one relayed at once is the first)', async () => {
    const service = await gateway({ SHUTDOWN_GRACE_MS: '30000' });
    await alpha.setMode('hang');
    await inFlight(service.url, connection());
    service.child.kill('SIGTERM');
    // Within the first second a signal is taken for the first one relayed (tsx does that): the stop goes on.
    service.child.kill('SIGTERM');
    await logged(service, '"msg":"draining"');
    await sleep(1_500);
    expect(service.child.exitCode).toBeNull();
    const again = Date.now();
    service.child.kill('SIGINT');

    const { code, ms } = await exit(service, again);
    expect(code).toBe(1);
    expect(ms).toBeLessThan(3_000);
    expect(service.output()).toContain('SIGINT during shutdown: exiting now, without finishing the stop');
  }, 60_000);

  it('exits 1 when the whole stop outlasts SHUTDOWN_TIMEOUT_MS, saying why', async () => {
    const service = await gateway({ SHUTDOWN_GRACE_MS: '30000', SHUTDOWN_TIMEOUT_MS: '1000' });
    await alpha.setMode('hang');
    await inFlight(service.url, connection());
    const signalled = Date.now();
    service.child.kill('SIGTERM');

    const { code, ms } = await exit(service, signalled);
    expect(code).toBe(1);
    expect(ms).toBeLessThan(5_000);
    expect(service.output()).toContain('shutdown did not finish within 1000 ms (SHUTDOWN_TIMEOUT_MS): exiting now');
  }, 60_000);
});

describe('npm start on SIGTERM', () => {
  let dataDir: string;
  beforeAll(() => void (dataDir = mkdtempSync(join(tmpdir(), 'looma-stop-'))));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('stops in one order, saying so: the gateway, the subgraphs, the event bus, then the embedded store', async () => {
    const supergraph = await runScript(
      'scripts/start.ts',
      [],
      { DATA_DIR: dataDir, PORTS: 'ephemeral', DEMO_DATA: 'off' },
      /Gateway \+ Apollo Sandbox\s+(http:\/\/\S+)/,
      120_000,
    );
    running.push(supergraph);
    supergraph.child.kill('SIGTERM');
    expect(await supergraph.exited).toBe(0);

    const lines = supergraph
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string; service?: string; step?: string; bus?: string });
    const listening = lines.filter((line) => line.msg === 'listening').map((line) => line.service);
    const closing = lines.filter((line) => line.msg === 'stopped' || line.bus || line.step).map((line) => (line.msg === 'stopped' ? line.service : line.msg));
    // Every service, in the reverse of the order they started: the gateway (started last) first.
    expect(listening).toHaveLength(loadRegistry().subgraphs.length + 1);
    expect(closing).toEqual([...listening.reverse(), 'event bus closed', 'supergraph closed', 'embedded PGlite closed']);
    expect(lines.at(-1)).toMatchObject({ msg: 'shut down', clean: true });
  }, 180_000);
});

/**
 * Mutation 1 is answered, the process is killed, it starts again on the same store: mutation 1's
 * user is there and mutation 2 works. The users subgraph alone, called directly (local-work flag).
 */
function noCommittedWriteLost(store: () => Record<string, string>, closedLine: string) {
  const register = (url: string, email: string) =>
    graphql<{ register: { user: { id: string } } }>(url, `mutation($email: String!) { register(input: { email: $email, password: "shutdown-password", name: "Kept" }) { user { id } } }`, {
      email,
    });
  const login = (url: string, email: string) =>
    graphql<{ login: { user: { id: string } } }>(url, `mutation($email: String!) { login(email: $email, password: "shutdown-password") { user { id } } }`, { email });
  const users = () => serve('users', { ...store(), ALLOW_DIRECT_SUBGRAPH_CALLS: 'true' });

  it('keeps a write answered before SIGKILL, and one answered before SIGTERM, which closes the store cleanly', async () => {
    const first = await users();
    const one = await register(first.url, 'first@shutdown.looma.dev');
    expect(one.errors).toBeUndefined();
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();

    const second = await users();
    expect((await login(second.url, 'first@shutdown.looma.dev')).data).toEqual({ login: { user: { id: one.data!.register.user.id } } });
    const two = await register(second.url, 'second@shutdown.looma.dev');
    expect(two.errors).toBeUndefined();
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    const output = second.output();
    // The ordered stop: requests, then the event bus, then the store.
    const order = ['"msg":"users service closed"', '"msg":"event bus closed"', closedLine].map((line) => output.indexOf(line));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);

    const third = await users();
    expect((await login(third.url, 'first@shutdown.looma.dev')).errors).toBeUndefined();
    expect((await login(third.url, 'second@shutdown.looma.dev')).data).toEqual({ login: { user: { id: two.data!.register.user.id } } });
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
  }, 120_000);
}

describe('no committed write lost, embedded PGlite', () => {
  let dataDir: string;
  beforeAll(() => void (dataDir = mkdtempSync(join(tmpdir(), 'looma-kill-'))));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  noCommittedWriteLost(() => ({ DATA_DIR: dataDir }), '"msg":"database closed (PGlite closed, directory released)"');
});

contractSuite('no committed write lost', await postgresTarget(), () => {
  const database = `looma_shutdown_${randomBytes(4).toString('hex')}`;
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${database}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  beforeAll(() => admin(`create database ${database}`));
  afterAll(() => admin(`drop database if exists ${database} with (force)`));
  noCommittedWriteLost(() => ({ DATABASE_URL: url.toString() }), '"msg":"database closed (pool ended)"');
});
