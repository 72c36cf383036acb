import { createHash } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { GraphQLError } from 'graphql';
import type { Redis } from 'ioredis';
import { Counter, Gauge, type Registry } from 'prom-client';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ErrorCode } from '../platform/errors.ts';
import { logger } from '../platform/logger.ts';
import { withRequestId } from '../platform/request-context.ts';

export interface OverloadLimits {
  /** GraphQL requests in flight at once; more are shed with 503. 0 = no limit. */
  maxConcurrent: number;
  /** GraphQL operations each principal may send a minute; more are refused with 429. 0 = no limit. */
  ratePerMinute: number;
}

/** Why the gateway refused a request without running it: the label of `gateway_shed_requests_total`. */
export type ShedReason = 'concurrency' | 'rate_limit';

/** Seconds a client shed for concurrency is asked to wait: in-flight operations finish in about that. */
const CONCURRENCY_RETRY_AFTER_SECONDS = 1;

/** The one counter of requests the gateway refused to protect itself, by reason. */
export function shedCounter(registry: Registry): Counter<'reason'> {
  return new Counter({
    name: 'gateway_shed_requests_total',
    help: 'GraphQL requests the gateway refused unrun: reason "concurrency" (503, too many in flight) or "rate_limit" (429, the principal spent its budget)',
    labelNames: ['reason'],
    registers: [registry],
  });
}

/**
 * Sheds GraphQL requests beyond `maxConcurrent` in flight with 503, Retry-After and a JSON
 * GraphQL error (SERVICE_UNAVAILABLE), before their bodies are read. A request counts from
 * arrival until its response is finished or its connection closes. GETs without a `query`
 * (the Sandbox landing page) are not GraphQL operations and pass uncounted.
 */
export function concurrencyLimit(maxConcurrent: number, shed: Counter<'reason'>, registry?: Registry): RequestHandler {
  let inFlight = 0;
  if (registry) {
    new Gauge({
      name: 'gateway_graphql_requests_in_flight',
      help: 'GraphQL requests the gateway is handling now',
      registers: [registry],
      collect() {
        this.set(inFlight);
      },
    });
  }
  return (request: Request, response: Response, next: NextFunction) => {
    const operation = request.method === 'POST' || (request.method === 'GET' && typeof request.query.query === 'string');
    if (!operation) return next();
    if (maxConcurrent > 0 && inFlight >= maxConcurrent) {
      shed.inc({ reason: 'concurrency' });
      response
        .status(503)
        .set('retry-after', String(CONCURRENCY_RETRY_AFTER_SECONDS))
        .json({
          errors: [
            {
              message: `The gateway is at capacity; retry in ${CONCURRENCY_RETRY_AFTER_SECONDS} second(s)`,
              extensions: withRequestId({ code: ErrorCode.SERVICE_UNAVAILABLE, retryAfter: CONCURRENCY_RETRY_AFTER_SECONDS }),
            },
          ],
        });
      return;
    }
    inFlight++;
    let done = false;
    const release = () => {
      if (done) return;
      done = true;
      inFlight--;
    };
    response.once('finish', release);
    response.once('close', release);
    next();
  };
}

/** Who a request's operations count against: the signed-in user, the API key, else the client address. */
export function principalOf(caller: { userId: string } | null, apiKey: string | undefined, address: string): string {
  // A key's hash, not the key: Redis keys and logs never hold a credential.
  if (apiKey) return `key:${createHash('sha256').update(apiKey).digest('hex').slice(0, 32)}`;
  if (caller) return `user:${caller.userId}`;
  return `ip:${address}`;
}

/**
 * A budget of GraphQL operations per principal per minute, in Redis when the gateway has
 * REDIS_URL (shared by every replica), in memory otherwise. A batched HTTP request of N
 * operations spends N (Apollo Server's batching is off at this gateway, so each request is 1).
 */
export class OperationRateLimiter {
  private readonly limiter: RateLimiterAbstract | undefined;

  constructor(
    private readonly perMinute: number,
    private readonly shed: Counter<'reason'>,
    redis?: Redis,
  ) {
    if (perMinute <= 0) return;
    const options = { keyPrefix: 'looma:gateway:operations', points: perMinute, duration: 60 };
    this.limiter = redis ? new RateLimiterRedis({ storeClient: redis, ...options }) : new RateLimiterMemory(options);
  }

  /** Spends `operations` points of the principal's budget, or throws RATE_LIMITED (HTTP 429 with Retry-After) and spends none. */
  async spend(principal: string, operations = 1): Promise<void> {
    if (!this.limiter) return;
    try {
      await this.limiter.consume(principal, operations);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) {
        // The store failed, not the budget: serving unlimited beats refusing everyone.
        logger.warn({ err: error }, 'operation rate limit unavailable; request let through');
        return;
      }
      // A refused request ran nothing, so it spends nothing: a batch too big for what is left leaves the rest usable.
      await this.limiter.reward(principal, operations);
      this.shed.inc({ reason: 'rate_limit' });
      const retryAfter = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      throw new GraphQLError(`Too many requests (${this.perMinute} operations a minute); try again in ${retryAfter} seconds`, {
        extensions: { code: ErrorCode.RATE_LIMITED, retryAfter, http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) } },
      });
    }
  }
}

/** The operations in a parsed GraphQL request body: a batch (an array) counts each, anything else 1. */
export function operationCount(body: unknown): number {
  return Array.isArray(body) ? Math.max(1, body.length) : 1;
}
