import type { AddressInfo } from 'node:net';
import type { ApolloServer, BaseContext } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Registry } from 'prom-client';
import { config } from './config.ts';
import { createDrainableServer } from './drain.ts';
import { ErrorCode } from './errors.ts';
import { logger } from './logger.ts';
import { securityHeaders } from './http-headers.ts';
import { withRequestId } from './request-context.ts';
import { requestLogging } from './request-log.ts';

/**
 * The largest request body a service reads by default; larger ones are answered 413. Room for a
 * resume file (2 MiB, base64 in a variable: subgraphs/ai importResume) and no more. The gateway
 * takes less on its GraphQL paths, and this only where files are sent (gateway/security/files-path.ts).
 */
export const MAX_BODY = '4mb';

export interface ServiceOptions<Context extends BaseContext> {
  name: string;
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  apollo: ApolloServer<Context>;
  /** Paths the GraphQL endpoint answers on. */
  paths: string[];
  context: (request: Request) => Promise<Context>;
  ready: () => Promise<boolean>;
  /** The state of systems outside Looma the service talks to, shown in /health/ready's answer (never its status). */
  external?: () => unknown;
  registry: Registry;
  /** Extra HTTP routes beside GraphQL (e.g. the users subgraph's JWKS). */
  routes?: (app: Express) => void;
  /** Runs on the GraphQL paths before the body is read (the gateway's load shedding). */
  guards?: RequestHandler[];
  /** Which browser origins may call (the gateway's CORS policy: platform/http-headers.ts); none by default. */
  cors?: RequestHandler;
  /** The largest body the GraphQL paths read (an Express size such as '1mb'); MAX_BODY by default. */
  bodyLimit?: string;
  /** A GraphQL path that reads larger bodies, for the operations `admit` lets through (the gateway's file uploads). */
  largeBodies?: { path: string; limit: string; admit: RequestHandler };
}

interface HttpError extends Error {
  status?: number;
  statusCode?: number;
}

export interface RunningService {
  name: string;
  url: string;
  port: number;
  /**
   * Drains (platform/drain.ts): no new connections or requests, those in flight finish within
   * `graceMs` (SHUTDOWN_GRACE_MS by default) or are cut, then Apollo stops. Calling it again waits for the same stop.
   */
  stop(graceMs?: number): Promise<void>;
}

/** An HTTP server with the GraphQL endpoint, /health/live, /health/ready and /metrics. */
export async function serve<Context extends BaseContext>(options: ServiceOptions<Context>): Promise<RunningService> {
  const { name, apollo, registry } = options;
  await apollo.start();
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', parseTrustProxy(config.trustProxy));
  app.use(requestLogging(name));
  app.use(securityHeaders(options.paths));
  if (options.cors) app.use(options.cors);
  app.get('/health/live', (_request, response) => {
    response.json({ status: 'ok', service: name });
  });
  app.get('/health/ready', async (_request, response) => {
    const ready = await options.ready().catch(() => false);
    const external = options.external?.();
    response.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', service: name, ...(external === undefined ? {} : { external }) });
  });
  app.get('/metrics', async (_request, response) => {
    response.type(registry.contentType).send(await registry.metrics());
  });
  options.routes?.(app);
  const graphql = expressMiddleware(apollo, { context: ({ req }) => options.context(req) });
  // Before the general paths: `app.use('/', …)` would take it with the smaller limit.
  if (options.largeBodies) {
    const { path, limit, admit } = options.largeBodies;
    app.use(path, ...(options.guards ?? []), express.json({ limit }), admit, graphql);
  }
  app.use(options.paths, ...(options.guards ?? []), express.json({ limit: options.bodyLimit ?? MAX_BODY }), graphql);

  // Express would answer a malformed body, or a route that failed, with an HTML page carrying a
  // stack trace outside production: answer in JSON, with a code, and log the rest.
  app.use((error: HttpError, _request: Request, response: Response, _next: NextFunction) => {
    const status = error.status ?? error.statusCode ?? 500;
    if (status >= 500) logger.error({ err: error, service: name }, 'request failed');
    const [code, message] =
      status >= 500
        ? ['INTERNAL_SERVER_ERROR', 'Internal server error']
        : status === 413
          ? [ErrorCode.PAYLOAD_TOO_LARGE, 'The request body is larger than this endpoint reads']
          : ['BAD_REQUEST', 'The request could not be read (malformed JSON)'];
    response.status(status).json({ errors: [{ message, extensions: withRequestId({ code }) }] });
  });

  const drainable = createDrainableServer(name, app);
  const { server } = drainable;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}${options.paths[0]}`;
  logger.info({ service: name, url }, 'listening');
  let stopped: Promise<void> | undefined;
  const stop = async (graceMs: number) => {
    const started = Date.now();
    logger.info({ service: name, inFlight: drainable.inFlight, graceMs }, 'draining');
    const outcome = await drainable.drain(graceMs);
    if (outcome.cut > 0) logger.warn({ service: name, cut: outcome.cut, graceMs }, 'shutdown grace over: requests still in flight were cut');
    await apollo.stop();
    logger.info({ service: name, ...outcome, ms: Date.now() - started }, 'stopped');
  };
  return {
    name,
    url,
    port,
    stop(graceMs = config.shutdown.graceMs) {
      stopped ??= stop(graceMs);
      return stopped;
    },
  };
}

/** TRUST_PROXY: `true`/`false`, a hop count, or addresses/subnets as Express understands them. */
function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}
