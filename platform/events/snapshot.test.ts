import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signGatewayCredential, viewerWithRole } from '../auth/index.ts';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshDb } from '../../test/support/databases.ts';
import { migrate } from '../db/migrate.ts';
import { PostgresOutbox } from './outbox.ts';
import { recordEvent, type DomainEvent } from './event.ts';
import { besideGraphql, readSnapshot, serviceCredential, snapshotRoute, type SnapshotSource } from './snapshot.ts';

/** A source over a fixed list of ids, paged as the owners' stores page (keyset on id). */
function source(aggregate: string, eventPrefix: string, count: number): SnapshotSource & { ids: string[] } {
  const ids = Array.from({ length: count }, () => randomUUID()).sort();
  return {
    aggregate,
    eventPrefix,
    ids,
    page: async (afterId, limit) =>
      ids.filter((id) => afterId === null || id > afterId).slice(0, limit).map((id) => ({ id, payload: { id, kind: aggregate } })),
  };
}

const things = source('Thing', 'thing', 4);
const widgets = source('Widget', 'widget', 5);

let server: Server;
let origin: string;
let owner: Awaited<ReturnType<typeof freshDb>>;
beforeAll(async () => {
  // The owner's outbox, where each entry's newest event position comes from.
  owner = await freshDb('pglite', 'owner');
  await migrate(owner.db, join(dirname(fileURLToPath(import.meta.url)), 'migrations'), 'platform_migrations');
  const app = express();
  snapshotRoute(app, 'owner', [things, widgets], new PostgresOutbox(owner.db, 'owner'));
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await owner.drop();
});

const get = async (query: string, credential?: string) => {
  const response = await fetch(`${origin}/events/snapshot${query}`, { headers: credential ? { authorization: `Bearer ${credential}` } : {} });
  return { status: response.status, body: (await response.json()) as { events?: DomainEvent[]; cursor?: string | null; errors?: { extensions: { code: string } }[] } };
};
const code = (body: { errors?: { extensions: { code: string } }[] }) => body.errors?.[0]?.extensions.code;

describe('snapshot feed', () => {
  it('answers only a gateway credential holding events:replay', async () => {
    const foreign = await signGatewayCredential(viewerWithRole(randomUUID(), 'admin'), new TextEncoder().encode('another secret'));
    for (const credential of [undefined, 'not-a-jwt', foreign, await signGatewayCredential(null)]) {
      const { status, body } = await get('', credential);
      expect([status, code(body)]).toEqual([401, 'UNAUTHENTICATED']);
    }
    for (const role of ['data_admin', 'user', 'guest'] as const) {
      const { status, body } = await get('', await signGatewayCredential(viewerWithRole(randomUUID(), role)));
      expect([status, code(body)]).toEqual([403, 'FORBIDDEN']);
    }
    for (const credential of [await signGatewayCredential(viewerWithRole(randomUUID(), 'admin')), await serviceCredential('relationships')]) {
      expect((await get('', credential)).status).toBe(200);
    }
  });

  it('walks every source in order, each in id order, every entity exactly once, until a null cursor', async () => {
    const credential = await serviceCredential('test');
    const pages: DomainEvent[][] = [];
    let cursor: string | null | undefined;
    do {
      const { status, body } = await get(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`, credential);
      expect(status).toBe(200);
      pages.push(body.events!);
      cursor = body.cursor;
    } while (cursor);
    expect(pages.map((page) => page.length)).toEqual([3, 3, 3]);
    const events = pages.flat();
    expect(events.map((event) => event.aggregate.id)).toEqual([...things.ids, ...widgets.ids]);
    expect(events[0]).toEqual({
      id: expect.any(String),
      type: 'thing.snapshot',
      source: 'owner',
      aggregate: { type: 'Thing', id: things.ids[0] },
      payload: { id: things.ids[0], kind: 'Thing' },
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      position: 0, // no event recorded for it (loaded in bulk)
    });
    expect(events.at(-1)).toMatchObject({ type: 'widget.snapshot', aggregate: { type: 'Widget', id: widgets.ids.at(-1) } });
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
  });

  it("carries each entity's newest event position, which consumers compare with live events", async () => {
    const [first, second] = things.ids;
    for (const id of [first!, second!, first!]) await owner.db.transaction((tx) => recordEvent(tx, { type: 'thing.updated', aggregate: { type: 'Thing', id }, payload: { id } }));
    const positions = await owner.db.query<{ aggregate_id: string; position: string }>('select aggregate_id, position::text from outbox order by position');
    const { body } = await get('?limit=3', await serviceCredential('test'));
    expect(body.events!.map((event) => event.position)).toEqual([Number(positions[2]!.position), Number(positions[1]!.position), 0]);
  });

  it('refuses a cursor it did not issue and a limit out of range with 400', async () => {
    const credential = await serviceCredential('test');
    const forged = (position: unknown) => Buffer.from(JSON.stringify(position)).toString('base64url');
    for (const query of [
      '?cursor=garbage',
      `?cursor=${forged({ aggregate: 'Gadget', after: null })}`,
      `?cursor=${forged({ aggregate: 'Thing', after: "' or 1=1 --" })}`,
      `?cursor=${forged(null)}`,
      '?limit=0',
      '?limit=1001',
      '?limit=ten',
      '?limit=1&limit=2',
    ]) {
      const { status, body } = await get(query, credential);
      expect([query, status, code(body)]).toEqual([query, 400, 'BAD_USER_INPUT']);
    }
    expect((await get(`?limit=1000&cursor=${forged({ aggregate: 'Widget', after: widgets.ids[0] })}`, credential)).body.events).toHaveLength(4);
  });

  it('readSnapshot reads every page from beside the GraphQL URL, and names the owner when refused', async () => {
    const pages: DomainEvent[][] = [];
    for await (const page of readSnapshot(`${origin}/graphql`, () => serviceCredential('test'), 4)) pages.push(page);
    expect(pages.map((page) => page.length)).toEqual([4, 4, 1]);
    expect(pages.flat().map((event) => event.aggregate.id)).toEqual([...things.ids, ...widgets.ids]);

    const refused = readSnapshot(`${origin}/graphql`, () => signGatewayCredential(viewerWithRole(randomUUID(), 'user')));
    await expect(refused.next()).rejects.toThrow(`The snapshot of the owner at ${origin}/events/snapshot answered 403: This needs the permission events:replay`);
  });

  it('readSnapshot tries a page again when its connection breaks, twice at most', async () => {
    // A proxy in front of the owner that drops the first `drops` connections as they open.
    let drops = 0;
    const open = new Set<Socket>();
    const proxy = createNetServer((socket) => {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      if (drops > 0) {
        drops--;
        socket.destroy();
        return;
      }
      const upstream = connect(Number(new URL(origin).port), '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const through = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql`;
    const read = async () => {
      const events: DomainEvent[] = [];
      for await (const page of readSnapshot(through, () => serviceCredential('test'), 100)) events.push(...page);
      return events;
    };
    try {
      drops = 2;
      expect(await read()).toHaveLength(things.ids.length + widgets.ids.length);
      // The next read must open connections: the pooled one goes.
      for (const socket of open) socket.destroy();
      drops = 3;
      await expect(read()).rejects.toThrow(/Could not reach the snapshot of the owner/);
    } finally {
      proxy.close();
    }
  });

  it('finds the endpoints beside a GraphQL URL, keeping a path prefix', () => {
    expect(besideGraphql('http://127.0.0.1:9003/graphql', '/events/snapshot')).toBe('http://127.0.0.1:9003/events/snapshot');
    expect(besideGraphql('https://api.example.com/looma/relationships/graphql/?x=1#y', '/events/rebuild')).toBe('https://api.example.com/looma/relationships/events/rebuild');
    expect(besideGraphql('http://search:9009/', '/events/rebuild')).toBe('http://search:9009/events/rebuild');
  });
});
