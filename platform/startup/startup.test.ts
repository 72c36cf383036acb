import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { companies } from '../../subgraphs/companies/index.ts';
import { definitions } from '../../subgraphs/index.ts';
import { freshDb } from '../../test/support/databases.ts';
import { captureLogs } from '../../test/support/logs.ts';
import { startSupergraph } from '../runner.ts';
import { StartupFailure } from './failure.ts';
import { startupOrder, StartupOrderError } from './order.ts';
import { NotReady, waitUntilReady } from './readiness.ts';

const entries = (...names: string[]) => names.map((name) => ({ name }));
const names = (ordered: { name: string }[]) => ordered.map((entry) => entry.name);

describe('start-up order', () => {
  it("keeps supergraph.yaml's order when owners come first", () => {
    const ordered = startupOrder(entries('users', 'skills', 'search'), [{ name: 'users' }, { name: 'skills' }, { name: 'search', consumer: { owners: ['skills'] } }]);
    expect(names(ordered)).toEqual(['users', 'skills', 'search']);
  });

  it('starts a derived subgraph after the owners it reads, and the rest in yaml order', () => {
    const ordered = startupOrder(entries('search', 'users', 'skills', 'jobs'), [
      { name: 'search', consumer: { owners: ['skills', 'jobs'] } },
      { name: 'users' },
      { name: 'skills' },
      { name: 'jobs' },
    ]);
    expect(names(ordered)).toEqual(['users', 'skills', 'jobs', 'search']);
  });

  it('refuses an owner that supergraph.yaml does not name', () => {
    expect(() => startupOrder(entries('search'), [{ name: 'search', consumer: { owners: ['skilz'] } }])).toThrow(
      new StartupOrderError('search depends on skilz, which supergraph.yaml does not name'),
    );
  });

  it('refuses a subgraph without a definition', () => {
    expect(() => startupOrder(entries('users', 'billing'), [{ name: 'users' }])).toThrow(/supergraph\.yaml names billing, but no subgraph definition has that name/);
  });

  it('refuses dependencies in a circle, naming it', () => {
    const order = () =>
      startupOrder(entries('users', 'a', 'b', 'c'), [
        { name: 'users' },
        { name: 'a', consumer: { owners: ['c'] } },
        { name: 'b', consumer: { owners: ['a'] } },
        { name: 'c', consumer: { owners: ['b', 'users'] } },
      ]);
    expect(order).toThrow('the subgraphs depend on each other in a circle: a → c → b → a');
  });

  it('orders the real supergraph: every derived subgraph after its owners', () => {
    const ordered = names(startupOrder(entries(...definitions.map((d) => d.name)), definitions));
    for (const definition of definitions) {
      for (const owner of definition.consumer?.owners ?? []) expect(ordered.indexOf(owner)).toBeLessThan(ordered.indexOf(definition.name));
    }
  });
});

describe('waiting for readiness', () => {
  const servers: Server[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  /** A service whose /health/ready answers 503 to the first `unreadyProbes` probes, then 200. */
  async function service(unreadyProbes: number): Promise<{ url: string; probes: () => number }> {
    let probes = 0;
    const server = createServer((request, response) => {
      if (request.url !== '/health/ready') return void response.writeHead(404).end();
      probes += 1;
      response.writeHead(probes > unreadyProbes ? 200 : 503).end();
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, probes: () => probes };
  }

  it('polls /health/ready until it answers 200', async () => {
    const { url, probes } = await service(3);
    await waitUntilReady(url, 5_000);
    expect(probes()).toBe(4);
  });

  it('gives up after the bound, saying what the service last answered', async () => {
    const { url } = await service(Infinity);
    const started = Date.now();
    await expect(waitUntilReady(url, 400)).rejects.toThrow(new NotReady('it was not ready within 400 ms (/health/ready: last answered 503)'));
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('says so when nothing answers at all', async () => {
    const { url } = await service(0);
    await new Promise((resolve) => servers.pop()!.close(resolve));
    await expect(waitUntilReady(url, 300)).rejects.toThrow('it was not ready within 300 ms (/health/ready: last probe failed: ECONNREFUSED)');
  });
});

describe('a supergraph whose start-up fails', () => {
  it('names the service that never became ready, and stops the services started before it', async () => {
    const logs = captureLogs('info');
    const drops: (() => Promise<void>)[] = [];
    const neverReady = { ...companies, ready: async () => false };
    try {
      const starting = startSupergraph({
        definitions: definitions.map((definition) => (definition.name === 'companies' ? neverReady : definition)),
        ports: 'ephemeral',
        host: '127.0.0.1',
        startupTimeoutMs: 2_000,
        databaseFor: async (name) => {
          const { db, drop } = await freshDb('pglite', name);
          drops.push(drop);
          return db;
        },
      });
      const failure = await starting.then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(StartupFailure);
      expect((failure as StartupFailure).message).toBe('the companies service failed to start: it was not ready within 2000 ms (/health/ready: last answered 503)');
      expect(failure).toMatchObject({ service: 'companies', step: 'ready' });

      const ready = logs.lines.filter((line) => /^\w+ ready in \d+ ms$/.test(String(line.msg))).map((line) => line.service);
      expect(ready).toEqual(['users', 'skills']);
      const listened = logs.lines.filter((line) => line.msg === 'listening').map((line) => ({ service: line.service, url: String(line.url) }));
      expect(listened.map((line) => line.service)).toEqual(['users', 'skills', 'companies']);
      for (const { url } of listened) await expect(fetch(url.replace('localhost', '127.0.0.1'))).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
    } finally {
      logs.stop();
      for (const drop of drops) await drop();
    }
  }, 120_000);
});
