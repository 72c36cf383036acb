import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ZervigoService } from '../../platform/zervigo-client.ts';
import type { FakeFaults } from './faults.ts';
import { BadInput, failure, findRoute, type FakeAnswer, type Route } from './http.ts';

/** One request as a service received it, before any fault applied. */
export interface FakeRequestRecord {
  service: ZervigoService;
  method: string;
  path: string;
  /** The JSON body; its raw text when it was not JSON; undefined when empty. */
  body: unknown;
  at: number;
}

export interface ServiceServerOptions {
  service: ZervigoService;
  host: string;
  routes: Route[];
  faults: FakeFaults;
  record: (request: FakeRequestRecord) => void;
  /** When set, every endpoint but /health and the auth service's demands `Authorization: Bearer <it>`. */
  serviceToken?: string;
}

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * One Zervigo service on its own node:http listener. `down` closes the listener and every open
 * connection (callers then get connection refused); `up` listens again on the same port.
 */
export class ServiceServer {
  private readonly server: Server;
  private boundPort: number | undefined;

  constructor(private readonly options: ServiceServerOptions) {
    this.server = createServer((request, response) => {
      this.serve(request, response).catch((error: unknown) => {
        send(response, failure(500, `fake Zervigo ${options.service} failed: ${error instanceof Error ? error.message : String(error)}`));
      });
    });
  }

  get port(): number {
    if (this.boundPort === undefined) throw new Error(`fake Zervigo ${this.options.service} has not listened yet`);
    return this.boundPort;
  }

  get url(): string {
    return `http://${urlHost(this.options.host)}:${this.port}`;
  }

  get listening(): boolean {
    return this.server.listening;
  }

  /** Listens on `port` the first time (0: a free one), then always on the port it got. */
  listen(port = this.boundPort ?? 0): Promise<void> {
    if (this.server.listening) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(new Error(`fake Zervigo ${this.options.service} cannot listen on ${this.options.host}:${port}: ${error.message}`, { cause: error }));
      this.server.once('error', onError);
      this.server.listen(port, this.options.host, () => {
        this.server.off('error', onError);
        this.boundPort = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  close(): Promise<void> {
    if (!this.server.listening) return Promise.resolve();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { service, faults, serviceToken } = this.options;
    const method = request.method ?? 'GET';
    const path = new URL(request.url ?? '/', 'http://fake').pathname;
    const raw = await readBody(request);
    if (raw === 'too-large') return send(response, failure(413, `the body is larger than ${MAX_BODY_BYTES} bytes`));
    const parsed = parseJson(raw);
    // Recorded before any fault, so a test counts every attempt a caller made.
    this.options.record({ service, method, path, body: parsed.ok ? parsed.value : raw, at: Date.now() });

    const failedStatus = faults.takeFailure(service);
    if (failedStatus !== undefined) return send(response, failure(failedStatus, `fake Zervigo ${service} failed on purpose (failNext)`));
    const delay = faults.delayOf(service);
    if (delay > 0) await waitUnlessClosed(delay, response);
    if (response.destroyed) return;

    if (path === '/health') {
      return send(response, method === 'GET' ? { status: 200, body: { status: 'healthy', service } } : failure(405, `${method} /health is not served`));
    }
    if (serviceToken !== undefined && !path.startsWith('/api/v1/auth/') && request.headers.authorization !== `Bearer ${serviceToken}`) {
      return send(response, failure(401, 'a valid service token is required (Authorization: Bearer <token>)'));
    }
    if (!parsed.ok) return send(response, failure(400, 'the body is not JSON'));
    const found = findRoute(this.options.routes, method, path);
    if (found === undefined) return send(response, failure(404, `${service} serves no ${path}`));
    if (found === 'wrong-method') return send(response, failure(405, `${service} does not serve ${method} ${path}`));
    try {
      send(response, await found.route.handle({ method, path, params: found.params, body: parsed.value }));
    } catch (error) {
      if (!(error instanceof BadInput)) throw error;
      send(response, failure(400, error.message));
    }
  }
}

/** Wildcard hosts are reached through loopback; IPv6 literals need brackets in a URL. */
function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

async function readBody(request: IncomingMessage): Promise<string | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(raw: string): { ok: true; value: unknown } | { ok: false } {
  if (raw.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    return { ok: false };
  }
}

/** A `slow` delay that ends early when the caller hangs up or the service goes down. */
function waitUnlessClosed(ms: number, response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      response.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    response.on('close', done);
  });
}

function send(response: ServerResponse, answer: FakeAnswer): void {
  if (response.destroyed || response.headersSent) return;
  response.writeHead(answer.status, { 'content-type': 'application/json', ...(answer.status === 429 || answer.status === 503 ? { 'retry-after': '1' } : {}) });
  response.end(JSON.stringify(answer.body));
}
