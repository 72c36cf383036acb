import { Redis } from 'ioredis';
import { unreachableReason, type Target } from './targets.ts';

/** The Redis the Redis-backed suites use; `connectTestRedis` answers undefined when it is not there. */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A connection to the test Redis (undefined when there is none), and that Redis as a contract suite's target (test/support/contract.ts). */
export async function openTestRedis(): Promise<{ redis: Redis | undefined; target: Target }> {
  const target = { backend: 'Redis', label: `Redis at ${REDIS_URL}` };
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // The socket's error (connect() itself only says the connection is closed).
  let socketError: Error | undefined;
  const onError = (error: Error) => (socketError ??= error);
  redis.on('error', onError);
  try {
    await redis.connect();
    await redis.ping();
    redis.off('error', onError);
    return { redis, target: { ...target, unreachable: null } };
  } catch (error) {
    redis.disconnect();
    return { redis: undefined, target: { ...target, unreachable: unreachableReason(socketError ?? error) } };
  }
}

export async function connectTestRedis(): Promise<Redis | undefined> {
  return (await openTestRedis()).redis;
}

/** The test Redis as a contract suite's target, for suites that connect to it themselves. */
export async function redisTarget(): Promise<Target> {
  const { redis, target } = await openTestRedis();
  redis?.disconnect();
  return target;
}
