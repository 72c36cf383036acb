import type { Redis } from 'ioredis';
import type { SessionLiveness } from './access-token.ts';

/**
 * Ended sessions in Redis (when REDIS_URL is set): the users subgraph marks them, the gateway
 * reads them without a round trip to the users subgraph. A mark lives as long as an access
 * token can, after which no token of that session is valid anyway.
 */
const key = (sessionId: string) => `looma:revoked-session:${sessionId}`;

export async function markSessionsRevoked(redis: Redis, sessionIds: readonly string[], ttlSeconds: number): Promise<void> {
  if (!sessionIds.length) return;
  const batch = redis.multi();
  for (const sessionId of sessionIds) batch.set(key(sessionId), '1', 'EX', ttlSeconds);
  await batch.exec();
}

export class RedisSessionLiveness implements SessionLiveness {
  constructor(private readonly redis: Redis) {}

  async isLive(sessionId: string): Promise<boolean> {
    return (await this.redis.exists(key(sessionId))) === 0;
  }
}
