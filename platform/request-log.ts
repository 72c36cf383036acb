import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import { logger } from './logger.ts';
import { REQUEST_ID_HEADER, requestIdFrom, serving } from './request-context.ts';

/**
 * Names each request (the caller's `x-request-id`, or a new id), answers with that name, serves
 * it inside its async context (so every log line carries it: logger.ts) and logs one line when
 * it completes: service, method, path, status and time taken. Health checks and scrapes are not
 * logged: they would drown the rest.
 */
export function requestLogging(service: string): RequestHandler[] {
  const quiet = new Set(['/health/live', '/health/ready', '/metrics']);
  return [
    (request, response, next) => {
      const id = requestIdFrom(request.headers[REQUEST_ID_HEADER]);
      response.setHeader(REQUEST_ID_HEADER, id);
      serving({ service, reqId: id }, next);
    },
    pinoHttp({
      logger,
      // The id and service are in every line already (logger.ts); the request is its method and path.
      genReqId: (_request, response) => String(response.getHeader(REQUEST_ID_HEADER)),
      autoLogging: { ignore: (request) => quiet.has(request.url?.split('?')[0] ?? '') },
      serializers: {
        req: (request: { method: string; url: string }) => ({ method: request.method, path: request.url.split('?')[0] }),
        res: (response: { statusCode: number }) => ({ status: response.statusCode }),
      },
    }),
  ];
}
