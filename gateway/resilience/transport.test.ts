import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { keepAliveTransport } from './transport.ts';

/** A subgraph stand-in answering every call with `{"data":{}}`, and the connections it holds. */
async function subgraph(): Promise<{ url: string; server: Server; open: Set<Socket> }> {
  const open = new Set<Socket>();
  const server = createServer((_request, response) => response.setHeader('content-type', 'application/json').end('{"data":{}}'));
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, server, open };
}

describe('keep-alive transport', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

  it('keeps its connections open after the calls, and ends them on close', async () => {
    const stub = await subgraph();
    server = stub.server;
    const transport = keepAliveTransport();
    const call = () => transport(stub.url, { body: '{"query":"{ __typename }"}', headers: { 'content-type': 'application/json' }, signal: new AbortController().signal });
    expect((await call()).status).toBe(200);
    expect((await call()).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stub.open.size).toBeGreaterThan(0);
    await transport.close();
    await expect.poll(() => stub.open.size, { timeout: 1_000 }).toBe(0);
    await expect(call()).rejects.toThrow();
  });
});
