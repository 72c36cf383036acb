import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '../test/support/logs.ts';
import { requestLogging } from './request-log.ts';

let url: string;
let close: () => void;

beforeAll(async () => {
  const app = express();
  app.use(requestLogging('probe'));
  app.get('/ok', (_request, response) => void response.send('fine'));
  app.get('/broken', (_request, response) => void response.status(503).send('down'));
  const server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

/** The log lines the requests wrote, once each response has been read. */
async function linesOf(level: 'info' | 'warn', paths: string[]) {
  const logs = captureLogs(level);
  try {
    for (const path of paths) await (await fetch(`${url}${path}?x=1`, { headers: { 'x-request-id': `id-${path.slice(1)}` } })).text();
    await new Promise((resolve) => setTimeout(resolve, 50));
    return logs.lines;
  } finally {
    logs.stop();
  }
}

describe('request logging', () => {
  it('logs every request at info, with its id, service, method, path and status', async () => {
    const lines = await linesOf('info', ['/ok', '/broken']);
    expect(lines).toEqual([
      expect.objectContaining({ msg: 'request completed', reqId: 'id-ok', service: 'probe', req: { method: 'GET', path: '/ok' }, res: { status: 200 } }),
      expect.objectContaining({ msg: 'request errored', reqId: 'id-broken', service: 'probe', req: { method: 'GET', path: '/broken' }, res: { status: 503 } }),
    ]);
  });

  it('logs only failed requests above info, with the same fields', async () => {
    const lines = await linesOf('warn', ['/ok', '/broken']);
    expect(lines).toEqual([
      expect.objectContaining({ msg: 'request errored', level: 50, reqId: 'id-broken', service: 'probe', req: { method: 'GET', path: '/broken' }, res: { status: 503 }, responseTime: expect.any(Number) }),
    ]);
  });
});
