import { randomUUID } from 'node:crypto';
import { contractSuite } from '../test/support/contract.ts';
import { IN_MEMORY_TARGET } from '../test/support/targets.ts';
import { openTestRedis } from '../test/support/redis.ts';
import { afterAll, expect, it } from 'vitest';
import { LoginLimiter } from './login-limiter.ts';


const { redis, target } = await openTestRedis();
afterAll(() => redis?.quit());

const stores = [
  { target: IN_MEMORY_TARGET, redis: undefined },
  { target, redis },
];

const rateLimited = async (run: Promise<unknown>) => {
  const error = await run.then(() => undefined, (caught: unknown) => caught as { extensions: { code: string; retryAfter: number } });
  return error?.extensions;
};

for (const store of stores) {
  contractSuite('login limiter', store.target, () => {
    const limiter = () => new LoginLimiter({ perAccount: 3, perAddress: 5, windowSeconds: 60 }, store.redis);

    it('blocks an account after its attempts, with a retry-after hint, and a success clears it', async () => {
      const limits = limiter();
      const account = `${randomUUID()}@looma.dev`;
      const address = randomUUID();
      for (let i = 0; i < 3; i++) await limits.attempt(account, address);
      const refused = await rateLimited(limits.attempt(account.toUpperCase(), randomUUID()));
      expect(refused).toMatchObject({ code: 'RATE_LIMITED' });
      expect(refused!.retryAfter).toBeGreaterThan(0);
      expect(refused!.retryAfter).toBeLessThanOrEqual(60);

      const other = `${randomUUID()}@looma.dev`;
      await limits.attempt(other, randomUUID());
      await limits.recordSuccess(account, address);
      await limits.attempt(account, randomUUID());
    });

    it('blocks an address that tries many accounts, and refused requests cost nothing', async () => {
      const limits = limiter();
      const address = randomUUID();
      for (let i = 0; i < 5; i++) await limits.attempt(`${randomUUID()}@looma.dev`, address);
      expect(await rateLimited(limits.attempt(`${randomUUID()}@looma.dev`, address))).toMatchObject({ code: 'RATE_LIMITED' });
      await limits.attempt(`${randomUUID()}@looma.dev`, randomUUID());
      // Nor does a spent address spend the account a refused request names.
      const named = `${randomUUID()}@looma.dev`;
      for (let i = 0; i < 10; i++) await rateLimited(limits.attempt(named, address));
      for (let i = 0; i < 3; i++) await limits.attempt(named, randomUUID());

      // An account refused for its own budget does not spend the address's.
      const locked = `${randomUUID()}@looma.dev`;
      const elsewhere = randomUUID();
      for (let i = 0; i < 3; i++) await limits.attempt(locked, randomUUID());
      for (let i = 0; i < 10; i++) await rateLimited(limits.attempt(locked, elsewhere));
      await limits.attempt(`${randomUUID()}@looma.dev`, elsewhere);
    });

    it('lets no more attempts through than the budget when they arrive all at once', async () => {
      const limits = limiter();
      const account = `${randomUUID()}@looma.dev`;
      const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => limits.attempt(account, randomUUID())));
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(3);
    });
  });
}
