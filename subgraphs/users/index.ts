import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { Redis } from 'ioredis';
import { verifyGatewayCredential } from '../../platform/auth/index.ts';
import { config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/db.ts';
import { DateTime } from '../../platform/scalars.ts';
import type { SubgraphDefinition } from '../../platform/subgraph.ts';
import { Mutation } from './resolvers/mutation.ts';
import { Query } from './resolvers/query.ts';
import { Role } from './resolvers/role.ts';
import { UserStatus } from './resolvers/user-status.ts';
import { User } from './resolvers/user.ts';
import { KeyRing } from './sessions/key-ring.ts';
import { PostgresSessionStore, PostgresSigningKeyStore } from './sessions/store.postgres.ts';
import { Tokens } from './sessions/tokens.ts';
import type { UserStore } from './store.ts';
import { PostgresUserStore } from './store.postgres.ts';

export interface Stores {
  users: UserStore;
  keyRing: KeyRing;
  tokens: Tokens;
  redis?: Redis;
}

function createStores(db: Db): Stores {
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2 }) : undefined;
  const keyRing = new KeyRing(new PostgresSigningKeyStore(db), {
    maxAgeDays: config.signingKeyMaxAgeDays,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    activationSeconds: config.signingKeyActivationSeconds,
  });
  const tokens = new Tokens(new PostgresSessionStore(db), keyRing, {
    refreshTokenTtlDays: config.refreshTokenTtlDays,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    redis,
  });
  return { users: new PostgresUserStore(db), keyRing, tokens, redis };
}

export const users: SubgraphDefinition<Stores> = {
  name: 'users',
  directory: dirname(fileURLToPath(import.meta.url)),
  createStores,
  resolvers: { Query, Mutation, User, Role, UserStatus, DateTime },
  routes(app, stores) {
    // The public keys that verify access tokens, for the gateway and anyone else.
    app.get('/.well-known/jwks.json', async (_request, response) => {
      response.set('cache-control', 'public, max-age=60').json(await stores.keyRing.jwks());
    });
    // Whether a session is still live; asked by the gateway (and only the gateway) when it has no Redis.
    app.post('/auth/session-status', express.json(), async (request, response) => {
      const credential = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
      try {
        if (!credential) throw new Error('no credential');
        await verifyGatewayCredential(credential);
      } catch {
        response.status(401).json({ error: 'Only the gateway may ask' });
        return;
      }
      const sessionId = (request.body as { sessionId?: unknown } | undefined)?.sessionId;
      response.json({ live: typeof sessionId === 'string' && (await stores.tokens.isLive(sessionId)) });
    });
  },
  close: async (stores) => {
    await stores.redis?.quit();
  },
};
