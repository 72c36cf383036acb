import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import { logger } from './logger.ts';
import { REQUEST_ID_HEADER, requestIdFrom, serving } from './request-context.ts';

const QUIET_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);
const pathOf = (url: string | undefined) => url?.split('?')[0] ?? '';

/**
 * Names each request (the caller's `x-request-id`, or a new id), answers with that name, serves
 * it inside its async context (so every log line carries it: logger.ts) and logs one line when
 * it completes: service, method, path, status and time taken. Health checks and scrapes are not
 * logged: they would drown the rest. Below the info level only failed requests (5xx) are logged,
 * and without pino-http's logger per request, which each request held to its end for nothing.
 */
export function requestLogging(service: string): RequestHandler[] {
  const logEveryRequest = pinoHttp({
    logger,
    // The id and service are in every line already (logger.ts); the request is its method and path.
    genReqId: (_request, response) => String(response.getHeader(REQUEST_ID_HEADER)),
    autoLogging: { ignore: (request) => QUIET_PATHS.has(pathOf(request.url)) },
    serializers: {
      req: (request: { method: string; url: string }) => ({ method: request.method, path: pathOf(request.url) }),
      res: (response: { statusCode: number }) => ({ status: response.statusCode }),
    },
  });
  const logFailures: RequestHandler = (request, response, next) => {
    const started = Date.now();
    response.once('finish', () => {
      if (response.statusCode < 500) return;
      const line = { req: { method: request.method, path: pathOf(request.originalUrl) }, res: { status: response.statusCode }, responseTime: Date.now() - started };
      logger.error(line, 'request errored');
    });
    next();
  };
  return [
    (request, response, next) => {
      const id = requestIdFrom(request.headers[REQUEST_ID_HEADER]);
      response.setHeader(REQUEST_ID_HEADER, id);
      serving({ service, reqId: id }, next);
    },
    // The level can change while the service runs (tests capture logs at info).
    (request, response, next) => (logger.isLevelEnabled('info') ? logEveryRequest(request, response, next) : logFailures(request, response, next)),
  ];
}
