import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UsersSessionLiveness } from './users-auth.ts';

/** A stand-in for the users subgraph's /auth/session-status: answers after `delayMs`, counting questions per session. */
let server: Server;
let url: string;
const asked = new Map<string, number>();
const live = new Set<string>();
let failing = false;
const DELAY_MS = 50;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const { sessionId } = JSON.parse(body) as { sessionId: string };
      asked.set(sessionId, (asked.get(sessionId) ?? 0) + 1);
      setTimeout(() => {
        if (failing) return response.writeHead(500).end();
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ live: live.has(sessionId) }));
      }, DELAY_MS);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  asked.clear();
  live.clear();
  failing = false;
});

describe('UsersSessionLiveness', () => {
  it('asks once for requests of one session that arrive while its question is in flight, and apart for other sessions', async () => {
    live.add('a');
    const liveness = new UsersSessionLiveness(url);
    const answers = await Promise.all([liveness.isLive('a'), liveness.isLive('a'), liveness.isLive('a'), liveness.isLive('b')]);
    expect(answers).toEqual([true, true, true, false]);
    expect(Object.fromEntries(asked)).toEqual({ a: 1, b: 1 });
  });

  it('asks again once the answer is in: a session revoked since is refused', async () => {
    live.add('a');
    const liveness = new UsersSessionLiveness(url);
    expect(await liveness.isLive('a')).toBe(true);
    live.delete('a');
    expect(await liveness.isLive('a')).toBe(false);
    expect(asked.get('a')).toBe(2);
  });

  it('fails every request waiting on a failed question, and asks afresh after it', async () => {
    live.add('a');
    failing = true;
    const liveness = new UsersSessionLiveness(url);
    const outcomes = await Promise.allSettled([liveness.isLive('a'), liveness.isLive('a')]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    failing = false;
    expect(await liveness.isLive('a')).toBe(true);
    expect(asked.get('a')).toBe(2);
  });
});
