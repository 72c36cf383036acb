import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { config, requireJwtSecret } from '../config.ts';
import { badCredential } from './credential-error.ts';
import { isRole } from './permissions.ts';
import { viewerWithRole, type Viewer } from './viewer.ts';

const ISSUER = 'looma';

/** The token `login` hands a user. `secret` defaults to JWT_SECRET. */
export async function signUserToken(
  user: { userId: string; role: Viewer['role'] },
  secret = requireJwtSecret(),
): Promise<{ token: string; expiresAt: Date }> {
  const token = await new SignJWT({ role: user.role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(user.userId)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(config.jwtTtl)
    .sign(secret);
  const { exp } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number };
  return { token, expiresAt: new Date(exp * 1000) };
}

/** Reads `Authorization: Bearer <jwt>`; no header means an anonymous caller, a bad token is an error. */
export async function verifyUserAuthorization(header: string | undefined): Promise<Viewer | null> {
  if (!header) return null;
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match) throw badCredential('The Authorization header must be "Bearer <token>"');
  try {
    const { payload } = await jwtVerify(match[1]!, requireJwtSecret(), { issuer: ISSUER, algorithms: ['HS256'] });
    if (!payload.sub || !isRole(payload.role)) throw badCredential('The token is not a Looma token');
    return viewerWithRole(payload.sub, payload.role);
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw badCredential('The token has expired; sign in again');
    if (error instanceof joseErrors.JOSEError) throw badCredential('The token is invalid');
    throw error;
  }
}
