import { numberFromEnv } from '../../../platform/env-number.ts';
import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  ExponentialBackoff,
  circuitBreaker,
  handleWhen,
  retry,
  wrap,
  type IPolicy,
} from 'cockatiel';
import { logger } from '../../../platform/logger.ts';
import { ZERVIGO_SERVICES, ZervigoError, type ZervigoService } from '../../../platform/zervigo-client.ts';

/**
 * How Looma calls each Zervigo service: a failure worth retrying (unreachable, timeout, 429,
 * 5xx) is retried with exponential backoff, and every attempt passes one circuit breaker per
 * service, so a platform that is down is not hammered: after `breakerThreshold` consecutive
 * failed attempts calls fail at once for `breakerCooldownMs`, then one trial call is let through.
 * A 4xx answer is the platform's verdict on our request: never retried, and it does not trip the breaker.
 */
export interface CallPolicyOptions {
  /** Attempts per call, the first included. */
  attempts: number;
  /** The first retry's delay; each later one doubles (with jitter), up to `maxBackoffMs`. */
  initialBackoffMs: number;
  maxBackoffMs: number;
  breakerThreshold: number;
  breakerCooldownMs: number;
}

export function callPolicyOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): CallPolicyOptions {
  const number = (name: string, fallback: number, min: number) => numberFromEnv(env, name, fallback, { min, whole: true });
  return {
    attempts: number('ZERVIGO_ATTEMPTS', 3, 1),
    initialBackoffMs: number('ZERVIGO_BACKOFF_MS', 200, 1),
    maxBackoffMs: number('ZERVIGO_MAX_BACKOFF_MS', 5_000, 1),
    breakerThreshold: number('ZERVIGO_BREAKER_THRESHOLD', 5, 1),
    breakerCooldownMs: number('ZERVIGO_BREAKER_COOLDOWN_MS', 30_000, 1),
  };
}

const retryable = (error: unknown) => error instanceof ZervigoError && error.retryable;

/** Thrown instead of calling while a service's breaker is open. */
export class CircuitOpenError extends Error {
  constructor(
    readonly service: ZervigoService,
    readonly retryAfterMs: number,
  ) {
    super(`Zervigo's ${service} service keeps failing; calls to it are paused for about ${Math.ceil(retryAfterMs / 1000)} s`);
    this.name = 'CircuitOpenError';
  }
}

export class CallPolicies {
  private readonly policies = new Map<ZervigoService, { policy: IPolicy; openedAt: number | null }>();

  constructor(readonly options: CallPolicyOptions) {
    for (const service of ZERVIGO_SERVICES) {
      const breaker = circuitBreaker(handleWhen(retryable), {
        halfOpenAfter: options.breakerCooldownMs,
        breaker: new ConsecutiveBreaker(options.breakerThreshold),
      });
      const entry = { policy: breaker as IPolicy, openedAt: null as number | null };
      breaker.onBreak(() => {
        entry.openedAt = Date.now();
        logger.warn({ zervigo: service }, 'Zervigo service failing: circuit open');
      });
      breaker.onReset(() => {
        entry.openedAt = null;
        logger.info({ zervigo: service }, 'Zervigo service answering again: circuit closed');
      });
      const retries = retry(handleWhen(retryable), {
        maxAttempts: options.attempts - 1,
        backoff: new ExponentialBackoff({ initialDelay: options.initialBackoffMs, maxDelay: options.maxBackoffMs }),
      });
      entry.policy = wrap(retries, breaker);
      this.policies.set(service, entry);
    }
  }

  /** Runs `call` under `service`'s retries and breaker; an open breaker throws CircuitOpenError. */
  async execute<T>(service: ZervigoService, call: () => Promise<T>): Promise<T> {
    const entry = this.policies.get(service)!;
    try {
      return await entry.policy.execute(call);
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        const elapsed = entry.openedAt === null ? 0 : Date.now() - entry.openedAt;
        throw new CircuitOpenError(service, Math.max(0, this.options.breakerCooldownMs - elapsed));
      }
      throw error;
    }
  }
}
