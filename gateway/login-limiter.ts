import { GraphQLError } from 'graphql';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ErrorCode } from '../platform/errors.ts';

export interface LoginLimits {
  /** Failed logins allowed per account, and per client address, within `windowSeconds`. */
  perAccount: number;
  perAddress: number;
  windowSeconds: number;
}

/**
 * Slows down password guessing: failed logins count against the account tried and the address
 * it was tried from, in Redis when the gateway has REDIS_URL (shared by every gateway replica),
 * in memory otherwise. A successful login clears the account's count.
 */
export class LoginLimiter {
  private readonly byAccount: RateLimiterAbstract;
  private readonly byAddress: RateLimiterAbstract;

  constructor(
    private readonly limits: LoginLimits,
    redis?: Redis,
  ) {
    const make = (keyPrefix: string, points: number) =>
      redis
        ? new RateLimiterRedis({ storeClient: redis, keyPrefix, points, duration: limits.windowSeconds })
        : new RateLimiterMemory({ keyPrefix, points, duration: limits.windowSeconds });
    this.byAccount = make('looma:login:account', limits.perAccount);
    this.byAddress = make('looma:login:address', limits.perAddress);
  }

  /** Throws RATE_LIMITED (HTTP 429 with Retry-After) when either budget is spent. */
  async check(account: string, address: string): Promise<void> {
    const [accountState, addressState] = await Promise.all([this.byAccount.get(account.toLowerCase()), this.byAddress.get(address)]);
    const waits = [
      accountState && accountState.consumedPoints >= this.limits.perAccount ? accountState.msBeforeNext : 0,
      addressState && addressState.consumedPoints >= this.limits.perAddress ? addressState.msBeforeNext : 0,
    ];
    const wait = Math.max(...waits);
    if (wait > 0) {
      const retryAfter = Math.ceil(wait / 1000);
      throw new GraphQLError(`Too many failed sign-in attempts; try again in ${retryAfter} seconds`, {
        extensions: { code: ErrorCode.RATE_LIMITED, retryAfter, http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) } },
      });
    }
  }

  async recordFailure(account: string, address: string): Promise<void> {
    // A spent budget rejects the consume; the next check reports it, so ignore that here.
    await Promise.allSettled([this.byAccount.consume(account.toLowerCase()), this.byAddress.consume(address)]);
  }

  async recordSuccess(account: string): Promise<void> {
    await this.byAccount.delete(account.toLowerCase());
  }
}
