import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../test/support/eventually.ts';
import { parseMetrics } from '../../test/support/metrics.ts';
import type { AuditRecord } from './record.ts';
import { AuditDeliveryError, AuditSink, type AuditSinkOptions } from './sink.ts';
import { usersAuditEndpoint } from './users-endpoint.ts';

const OPTIONS: AuditSinkOptions = { capacity: 100, batchSize: 10, retryBaseMs: 20, retryMaxMs: 100, requestTimeoutMs: 1_000, flushMs: 1_000 };

let sequence = 0;
function record(): AuditRecord {
  sequence++;
  return {
    id: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    at: new Date().toISOString(),
    actorId: null,
    actorRole: null,
    clientAddress: '127.0.0.1',
    requestId: `req-${sequence}`,
    action: 'createCompany',
    operationName: null,
    entityType: 'Company',
    entityId: null,
    outcome: 'ok',
  };
}

async function counts(registry: Registry): Promise<Record<string, number>> {
  const { samples } = parseMetrics(await registry.metrics());
  return Object.fromEntries(samples.filter((sample) => sample.name === 'gateway_audit_events_total').map((sample) => [sample.labels.outcome!, sample.value]));
}

/** A stand-in for the users subgraph's POST /audit/events that can go away and come back on the same port. */
async function fakeUsers(): Promise<{ url: string; received: AuditRecord[]; down(): Promise<void>; up(): Promise<void> }> {
  const received: AuditRecord[] = [];
  let server: Server | undefined;
  let port = 0;
  const up = async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push(...(JSON.parse(body) as { events: AuditRecord[] }).events);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"stored":1}');
      });
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  };
  await up();
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    received,
    down: () => new Promise<void>((resolve) => (server!.closeAllConnections(), server!.close(() => resolve()))),
    up,
  };
}

describe('the audit sink', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  it('holds records while the users subgraph is down, retries, and delivers them once it is back', async () => {
    const users = await fakeUsers();
    stops.push(users.down);
    const registry = new Registry();
    const sink = new AuditSink(usersAuditEndpoint(users.url), registry, OPTIONS);
    stops.push(() => sink.close());

    await users.down();
    const held = [record(), record(), record()];
    for (const one of held) sink.record(one);
    await eventually(() => counts(registry), (seen) => seen.retried! >= 6, 3_000);
    expect(sink.pending).toBe(3);
    expect(users.received).toEqual([]);

    await users.up();
    await eventually(async () => users.received.length, (n) => n === 3, 3_000);
    expect(users.received).toEqual(held);
    expect(sink.pending).toBe(0);
    expect(await counts(registry)).toMatchObject({ sent: 3, dropped: 0 });
  });

  it('drops records past its bound, counting each', async () => {
    const registry = new Registry();
    const sink = new AuditSink(() => Promise.reject(new AuditDeliveryError('users is down', 'transient')), registry, { ...OPTIONS, capacity: 5, retryBaseMs: 10_000, flushMs: 50 });
    for (let n = 0; n < 8; n++) sink.record(record());
    expect(sink.pending).toBe(5);
    expect((await counts(registry)).dropped).toBe(3);
    await sink.close();
    expect(sink.pending).toBe(0);
    expect(await counts(registry)).toMatchObject({ sent: 0, dropped: 8 });
  });

  it('sends what it holds when stopped, in batches, within its bound', async () => {
    const batches: number[] = [];
    let failFirst = true;
    const registry = new Registry();
    const sink = new AuditSink(
      async (records) => {
        if (failFirst) {
          failFirst = false;
          throw new AuditDeliveryError('a timeout', 'transient');
        }
        batches.push(records.length);
      },
      registry,
      { ...OPTIONS, retryBaseMs: 60_000, retryMaxMs: 60_000 },
    );
    for (let n = 0; n < 25; n++) sink.record(record());
    await eventually(() => counts(registry), (seen) => seen.retried === 10);
    // The next retry is a minute away: stopping does not wait for it.
    const started = Date.now();
    await sink.close();
    expect(Date.now() - started).toBeLessThan(OPTIONS.flushMs);
    expect(batches).toEqual([10, 10, 5]);
    expect(await counts(registry)).toMatchObject({ sent: 25, retried: 10, dropped: 0 });
    sink.record(record());
    expect((await counts(registry)).dropped).toBe(1);
  });

  it('drops a batch the users subgraph refuses as malformed instead of retrying it forever', async () => {
    const registry = new Registry();
    let calls = 0;
    const sink = new AuditSink(
      async () => {
        calls++;
        throw new AuditDeliveryError('400', 'rejected');
      },
      registry,
      OPTIONS,
    );
    sink.record(record());
    await eventually(() => counts(registry), (seen) => seen.dropped === 1);
    await sink.close();
    expect(calls).toBe(1);
  });

  it('gives up at once on stopping when nothing listens at the users address', async () => {
    const users = await fakeUsers();
    await users.down();
    const registry = new Registry();
    const sink = new AuditSink(usersAuditEndpoint(users.url), registry, { ...OPTIONS, retryBaseMs: 60_000, flushMs: 5_000 });
    sink.record(record());
    await eventually(() => counts(registry), (seen) => seen.retried === 1);
    const started = Date.now();
    await sink.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await counts(registry)).toMatchObject({ sent: 0, dropped: 1 });
  });
});
