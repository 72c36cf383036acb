import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { TokenValidation, ZervigoUser } from '../../platform/zervigo-client.ts';
import { permissionsOf } from './accounts.ts';

export const TOKEN_ISSUER = 'zervigo';
export const DEFAULT_TOKEN_TTL_SECONDS = 3_600;

export interface TokenSubject {
  id: string;
  username: string;
  role: string;
  permissions?: string[];
}

/** Signs and checks tokens the way Zervigo's auth service does: HS256 over a shared secret. */
export class FakeTokens {
  private readonly key: Uint8Array;

  constructor(readonly secret: string = randomBytes(32).toString('base64url')) {
    this.key = new TextEncoder().encode(secret);
  }

  /** A negative ttl gives a token that has already expired (tests of expiry need no waiting). */
  async issue(user: TokenSubject, ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS): Promise<{ token: string; expiresAt: Date }> {
    const exp = Math.floor(Date.now() / 1000) + Math.round(ttlSeconds);
    const token = await new SignJWT({ username: user.username, role: user.role, permissions: user.permissions ?? permissionsOf(user.role) })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(TOKEN_ISSUER)
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  async validate(token: string): Promise<TokenValidation> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], issuer: TOKEN_ISSUER });
      const { sub, username, role, permissions, exp } = payload;
      const permissionList = Array.isArray(permissions) && permissions.every((p) => typeof p === 'string') ? (permissions as string[]) : undefined;
      if (typeof sub !== 'string' || typeof username !== 'string' || typeof role !== 'string' || !permissionList) {
        return { valid: false, error: 'token claims are incomplete' };
      }
      const user: ZervigoUser = { id: sub, username, role, permissions: permissionList };
      return { valid: true, user, ...(exp === undefined ? {} : { expires_at: new Date(exp * 1000).toISOString() }) };
    } catch (error) {
      const code = (error as { code?: string }).code;
      return { valid: false, error: code === 'ERR_JWT_EXPIRED' ? 'token expired' : 'token invalid' };
    }
  }
}
