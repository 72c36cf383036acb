import { createLocalJWKSet, errors, type JWTVerifyGetKey } from 'jose';
import type { Request } from 'express';
import { AccessTokenVerifier, type Viewer } from '../../platform/auth/index.ts';
import { badCredential } from '../../platform/auth/credential-error.ts';
import type { KeyRing } from '../../subgraphs/users/sessions/key-ring.ts';
import type { Stores as UsersStores } from '../../subgraphs/users/index.ts';

/** As the gateway's remoteKeySet (platform/auth/access-token.ts) holds the JWKS it fetches. */
const KEYS_MAX_AGE_MS = 10 * 60_000;
const KEYS_COOLDOWN_MS = 1_000;

/**
 * The users subgraph's published keys, read from its key ring in-process and held like the
 * gateway holds them: up to ten minutes, read again for a key not seen yet at most once a second.
 */
function keyRingKeySet(keyRing: KeyRing): JWTVerifyGetKey {
  let current: { at: number; getKey: JWTVerifyGetKey } | undefined;
  const read = async () => (current = { at: Date.now(), getKey: createLocalJWKSet(await keyRing.jwks()) });
  return async (header, token) => {
    const held = !current || Date.now() - current.at > KEYS_MAX_AGE_MS ? await read() : current;
    try {
      return await held.getKey(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || Date.now() - held.at < KEYS_COOLDOWN_MS) throw error;
      return (await read()).getKey(header, token);
    }
  };
}

/**
 * Who calls, verified as the gateway verifies it (gateway/gateway.ts `callerOf`): one credential,
 * a Looma access token (the same AccessTokenVerifier: signature against the users subgraph's keys,
 * issuer, claims, and a live session) or an x-api-key. A monolith owns the users' stores, so the
 * keys, the session check and the API key come from them in-process instead of over HTTP.
 * Zervigo tokens are not taken: the gateway takes them only when Zervigo is configured.
 */
export function monolithCaller(users: UsersStores): (request: Request) => Promise<Viewer | null> {
  const accessTokens = new AccessTokenVerifier(keyRingKeySet(users.keyRing), { isLive: (sessionId) => users.tokens.isLive(sessionId) });
  return async (request) => {
    const apiKey = request.headers['x-api-key'];
    if (apiKey === undefined) return accessTokens.verify(request.headers.authorization);
    if (request.headers.authorization || typeof apiKey !== 'string') throw badCredential('Send one credential: an access token or one x-api-key header');
    const viewer = await users.apiKeys.authenticate(apiKey);
    if (!viewer) throw badCredential('The API key is not valid (unknown, expired or revoked)');
    return viewer;
  };
}
