import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { badCredential } from './credential-error.ts';
import { isRole, type Role } from './permissions.ts';
import { VerifiedTokens } from './verified-tokens.ts';
import { viewerWithRole, type Viewer } from './viewer.ts';

/**
 * Access tokens: short-lived ES256 JWTs the users subgraph signs at login and refresh, with the
 * session they belong to (`sid`). Anyone can check the signature against the published JWKS;
 * the gateway also asks whether the session is still live, so logout, a suspension or a
 * deletion takes effect at once rather than when the token expires.
 */
export const ACCESS_TOKEN_ISSUER = 'looma';
export const ACCESS_TOKEN_ALGORITHM = 'ES256';

/** Whether a sign-in session may still be used: answered from Redis, or by the users subgraph. */
export interface SessionLiveness {
  isLive(sessionId: string): Promise<boolean>;
}

export function remoteKeySet(jwksUrl: URL): JWTVerifyGetKey {
  // A token signed with a key we have not seen yet refetches the set, at most once a second; the
  // users subgraph publishes a new key seconds before it signs with it (SIGNING_KEY_ACTIVATION_SECONDS).
  return createRemoteJWKSet(jwksUrl, { cooldownDuration: 1_000, cacheMaxAge: 10 * 60_000 });
}

export class AccessTokenVerifier {
  /** Tokens verified before, with their claims, until they expire (at most a minute). */
  private readonly verified = new VerifiedTokens<{ userId: string; role: Role; sessionId: string }>();

  constructor(
    private readonly keys: JWTVerifyGetKey,
    private readonly sessions: SessionLiveness,
  ) {}

  /** `Authorization: Bearer <access token>`; none means anonymous, anything untrustworthy is a 401. */
  async verify(authorization: string | undefined): Promise<Viewer | null> {
    if (!authorization) return null;
    const match = /^Bearer\s+(.+)$/i.exec(authorization);
    if (!match) throw badCredential('The Authorization header must be "Bearer <token>"');
    const token = match[1]!;
    const claims = this.verified.get(token) ?? (await this.claimsOf(token));
    if (!(await this.sessions.isLive(claims.sessionId))) throw badCredential('The session has ended (signed out, or the account was suspended); sign in again');
    return viewerWithRole(claims.userId, claims.role, claims.sessionId);
  }

  /** The token's claims once its signature, issuer, expiry and shape are checked; 401 otherwise. */
  private async claimsOf(token: string): Promise<{ userId: string; role: Role; sessionId: string }> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, { issuer: ACCESS_TOKEN_ISSUER, algorithms: [ACCESS_TOKEN_ALGORITHM] }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw badCredential('The token has expired; refresh it or sign in again');
      if (error instanceof joseErrors.JOSEError) throw badCredential('The token is invalid');
      throw error;
    }
    if (!payload.sub || !isRole(payload.role) || typeof payload.sid !== 'string') throw badCredential('The token is not a Looma access token');
    const claims = { userId: payload.sub, role: payload.role, sessionId: payload.sid };
    this.verified.remember(token, claims, payload.exp);
    return claims;
  }
}
