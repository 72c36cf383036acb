import { ApolloServer } from '@apollo/server';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { Connection } from '../test/support/connection.ts';
import { captureLogs } from '../test/support/logs.ts';
import { serve } from './http.ts';

/**
 * serve()'s stop through HTTP: a service whose `slow` query waits until the test lets it go, and
 * whose `endless` query never answers. Kept-alive connections show what a client that already
 * holds a connection (a gateway, a load balancer) meets while the service drains.
 */
const typeDefs = `type Query { quick: String! slow: String! endless: String! }`;

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function start() {
  const entered = gate();
  const release = gate();
  const apollo = new ApolloServer({
    typeDefs,
    resolvers: {
      Query: {
        quick: () => 'quick',
        slow: async () => {
          entered.open();
          await release.opened;
          return 'slow';
        },
        endless: () => {
          entered.open();
          return new Promise<string>(() => {});
        },
      },
    },
    stopOnTerminationSignals: false,
  });
  const service = await serve({
    name: 'drained',
    host: '127.0.0.1',
    port: 0,
    apollo,
    paths: ['/graphql'],
    context: async () => ({}),
    ready: async () => true,
    registry: new Registry(),
  });
  const base = `http://127.0.0.1:${service.port}`;
  const connections = [new Connection(), new Connection(), new Connection()];
  const logs = captureLogs('info');
  cleanup.push(async () => {
    logs.stop();
    for (const connection of connections) connection.close();
    await service.stop(0);
  });
  return { service, graphql: `${base}/graphql`, ready: `${base}/health/ready`, entered, release, connections, logs };
}

const stoppedLine = (logs: { lines: Record<string, unknown>[] }) => logs.lines.find((line) => line.msg === 'stopped' && line.service === 'drained');

describe('a service that stops', () => {
  it('lets the request in flight finish, refuses new ones with 503 and Connection: close, and reports not ready meanwhile', async () => {
    const { service, graphql, ready, entered, release, connections, logs } = await start();
    const [slowClient, busyClient, probe] = connections as [Connection, Connection, Connection];
    // Two connections opened before the stop and kept alive: a client's and a readiness probe's.
    expect((await busyClient.graphql(graphql, '{ quick }')).status).toBe(200);
    expect((await probe.get(ready)).status).toBe(200);

    const inFlight = slowClient.graphql(graphql, '{ slow }');
    await entered.opened;
    const stopping = service.stop(10_000);

    const readiness = await probe.get(ready);
    expect(readiness).toMatchObject({ status: 503, reusedSocket: true, body: { status: 'draining', service: 'drained' } });
    expect(readiness.headers.connection).toBe('close');

    const refused = await busyClient.graphql(graphql, '{ quick }');
    expect(refused).toMatchObject({ status: 503, reusedSocket: true, body: { errors: [{ extensions: { code: 'SERVICE_UNAVAILABLE' } }] } });
    expect(refused.headers).toMatchObject({ connection: 'close', 'retry-after': '1' });

    // A fresh connection is not accepted at all.
    await expect(fetch(graphql, { method: 'POST' })).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });

    release.open();
    const finished = await inFlight;
    expect(finished).toMatchObject({ status: 200, body: { data: { slow: 'slow' } } });
    expect(finished.headers.connection).toBe('close');

    await stopping;
    expect(stoppedLine(logs)).toMatchObject({ finished: 1, cut: 0, refused: 2 });
  });

  it('cuts a request that outlasts the grace, and still stops', async () => {
    const { service, graphql, entered, connections, logs } = await start();
    const endless = connections[0]!.graphql(graphql, '{ endless }');
    const outcome = endless.then(
      () => 'answered',
      (error: NodeJS.ErrnoException) => error.code,
    );
    await entered.opened;

    const started = Date.now();
    await service.stop(300);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(2_000);
    expect(await outcome).toBe('ECONNRESET');
    expect(logs.lines.find((line) => line.msg?.toString().startsWith('shutdown grace over'))).toMatchObject({ service: 'drained', cut: 1 });
    expect(stoppedLine(logs)).toMatchObject({ finished: 0, cut: 1 });
  });

  it('stops at once when nothing is in flight, and a second stop waits for the same one', async () => {
    const { service, graphql, connections } = await start();
    expect((await connections[0]!.graphql(graphql, '{ quick }')).status).toBe(200);
    const started = Date.now();
    const first = service.stop(10_000);
    const second = service.stop(10_000);
    await Promise.all([first, second]);
    // The idle kept-alive connection did not hold the stop for the grace.
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
