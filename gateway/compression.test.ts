import { request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../platform/http.ts';
import { startLoneGateway } from '../test/support/lone-gateway.ts';
/** Answered by the gateway alone (no subgraph is up): tens of KB of JSON. */
const LARGE = '{ __schema { types { name description } } }';
const SMALL = '{ __typename }';

/** A raw POST, so the test sees the bytes and headers as sent (fetch would inflate them). */
function post(url: string, query: string, acceptEncoding?: string): Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((done, fail) => {
    const request = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done({ headers: response.headers, body: Buffer.concat(chunks) }));
    });
    request.on('error', fail);
    request.end(JSON.stringify({ query }));
  });
}

describe('compression at the edge', () => {
  const start = (compression?: boolean) => startLoneGateway(compression === undefined ? {} : { compression });
  let gateway: RunningService;
  let off: RunningService;
  beforeAll(async () => {
    [gateway, off] = await Promise.all([start(), start(false)]);
  });
  afterAll(() => Promise.all([gateway?.stop(), off?.stop()]));

  it('gzips a large answer for a client that accepts gzip, and the answer inflates to the same JSON', async () => {
    const plain = await post(gateway.url, LARGE);
    const zipped = await post(gateway.url, LARGE, 'gzip');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toContain('Accept-Encoding');
    expect(zipped.body.length).toBeLessThan(plain.body.length / 3);
    expect(JSON.parse(gunzipSync(zipped.body).toString('utf8'))).toEqual(JSON.parse(plain.body.toString('utf8')));
  });

  it('sends a small answer as it is', async () => {
    const small = await post(gateway.url, SMALL, 'gzip');
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString('utf8'))).toEqual({ data: { __typename: 'Query' } });
  });

  it('compresses nothing when turned off (GATEWAY_COMPRESSION=false)', async () => {
    const answer = await post(off.url, LARGE, 'gzip');
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(answer.body.toString('utf8')).data.__schema.types.length).toBeGreaterThan(50);
  });
});
