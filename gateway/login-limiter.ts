import { GraphQLError } from 'graphql';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ErrorCode } from '../platform/errors.ts';

export interface LoginLimits {
  /** Failed logins allowed per account, and per client address, within `windowSeconds`. */
  perAccount: number;
  perAddress: number;
  windowSeconds: number;
}

/**
 * Slows down password guessing: each attempt counts against the account tried and the address
 * it was tried from, in Redis when the gateway has REDIS_URL (shared by every gateway replica),
 * in memory otherwise. A successful one clears the account's count and is given back to the address.
 */
export class LoginLimiter {
  private readonly byAccount: RateLimiterAbstract;
  private readonly byAddress: RateLimiterAbstract;

  constructor(limits: LoginLimits, redis?: Redis) {
    const make = (keyPrefix: string, points: number) =>
      redis
        ? new RateLimiterRedis({ storeClient: redis, keyPrefix, points, duration: limits.windowSeconds })
        : new RateLimiterMemory({ keyPrefix, points, duration: limits.windowSeconds });
    this.byAccount = make('looma:login:account', limits.perAccount);
    this.byAddress = make('looma:login:address', limits.perAddress);
  }

  /**
   * Counts one attempt against both budgets before the password is checked, and throws
   * RATE_LIMITED (HTTP 429 with Retry-After) when either is spent. Counting first, atomically,
   * is what stops many attempts sent at once from all passing a check made before any failed.
   */
  async attempt(account: string, address: string): Promise<void> {
    // The address first, so a request it refuses leaves nothing behind under the account it names.
    await this.spend(this.byAddress, address);
    try {
      await this.spend(this.byAccount, account.toLowerCase());
    } catch (error) {
      await this.byAddress.reward(address); // a refused request is no attempt
      throw error;
    }
  }

  /** One point, or RATE_LIMITED with the point given back when the budget is spent. */
  private async spend(limiter: RateLimiterAbstract, key: string): Promise<void> {
    try {
      await limiter.consume(key);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error; // the store failed, not the budget
      await limiter.reward(key);
      const retryAfter = Math.ceil(error.msBeforeNext / 1000);
      throw new GraphQLError(`Too many failed sign-in attempts; try again in ${retryAfter} seconds`, {
        extensions: { code: ErrorCode.RATE_LIMITED, retryAfter, http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) } },
      });
    }
  }

  /** The attempt succeeded: the account starts afresh and the address gets its attempt back. */
  async recordSuccess(account: string, address: string): Promise<void> {
    await Promise.all([this.byAccount.delete(account.toLowerCase()), this.byAddress.reward(address)]);
  }
}
