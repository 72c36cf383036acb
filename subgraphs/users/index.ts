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
import { ApiKeys } from './api-keys/api-keys.ts';
import { PostgresApiKeyStore } from './api-keys/store.postgres.ts';
import { ApiKey } from './resolvers/api-key.ts';
import { KeyRing } from './sessions/key-ring.ts';
import { PostgresSessionStore, PostgresSigningKeyStore } from './sessions/store.postgres.ts';
import { Tokens } from './sessions/tokens.ts';
import type { UserStore } from './store.ts';
import { PostgresUserStore } from './store.postgres.ts';
import { AuditEvent } from './audit/resolvers.ts';
import { MalformedAuditBatch, auditBatch } from './audit/intake.ts';
import type { AuditLog } from './audit/store.ts';
import { PostgresAuditLog } from './audit/store.postgres.ts';

export interface Stores {
  users: UserStore;
  apiKeys: ApiKeys;
  keyRing: KeyRing;
  tokens: Tokens;
  /** What every mutation did, as the gateway reports it (append-only). */
  auditLog: AuditLog;
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
  const users = new PostgresUserStore(db);
  return { users, apiKeys: new ApiKeys(new PostgresApiKeyStore(db), users), keyRing, tokens, auditLog: new PostgresAuditLog(db), redis };
}

export const users: SubgraphDefinition<Stores> = {
  name: 'users',
  directory: dirname(fileURLToPath(import.meta.url)),
  createStores,
  resolvers: { Query, Mutation, User, ApiKey, AuditEvent, Role, UserStatus, DateTime },
  routes(app, stores) {
    // The public keys that verify access tokens, for the gateway and anyone else.
    app.get('/.well-known/jwks.json', async (_request, response) => {
      response.set('cache-control', 'public, max-age=60').json(await stores.keyRing.jwks());
    });
    // Asked by the gateway, and only the gateway: is a session still live (when it has no Redis),
    // and whom does an API key act for.
    const gatewayOnly: express.RequestHandler = async (request, response, next) => {
      const credential = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
      const fromGateway = credential ? await verifyGatewayCredential(credential).then(() => true, () => false) : false;
      if (fromGateway) next();
      else response.status(401).json({ error: 'Only the gateway may ask' });
    };
    // gatewayOnly comes first: nobody else gets a body parsed (nor its parse errors, with their stack traces).
    app.post('/auth/session-status', gatewayOnly, express.json(), async (request, response) => {
      const sessionId = (request.body as { sessionId?: unknown } | undefined)?.sessionId;
      response.json({ live: typeof sessionId === 'string' && (await stores.tokens.isLive(sessionId)) });
    });
    app.post('/auth/api-key', gatewayOnly, express.json(), async (request, response) => {
      const key = (request.body as { key?: unknown } | undefined)?.key;
      response.json({ viewer: typeof key === 'string' ? await stores.apiKeys.authenticate(key) : null });
    });
    // The gateway's audit records (gateway/audit), in batches; a batch sent again is stored once.
    app.post('/audit/events', gatewayOnly, express.json({ limit: '2mb' }), async (request, response, next) => {
      try {
        const stored = await stores.auditLog.append(auditBatch(request.body));
        response.json({ stored });
      } catch (error) {
        if (error instanceof MalformedAuditBatch) response.status(400).json({ error: error.message });
        else next(error);
      }
    });
  },
  close: async (stores) => {
    await stores.redis?.quit();
  },
};
