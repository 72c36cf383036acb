import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { config, requireJwtSecret } from './config.ts';
import { GraphQLError } from 'graphql';
import { ErrorCode, forbidden, unauthenticated } from './errors.ts';

export const ROLES = ['super_admin', 'admin', 'data_admin', 'user', 'guest'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as proven by a verified token. */
export interface Viewer {
  userId: string;
  role: Role;
}

const ISSUER = 'looma';

/** `secret` defaults to JWT_SECRET; tests pass one to speak to a service started with another. */
export async function signToken(viewer: Viewer, secret = requireJwtSecret()): Promise<{ token: string; expiresAt: Date }> {
  const token = await new SignJWT({ role: viewer.role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(viewer.userId)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(config.jwtTtl)
    .sign(secret);
  const { exp } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number };
  return { token, expiresAt: new Date(exp * 1000) };
}

/** A credential that cannot be trusted fails the whole request with HTTP 401, before any resolver runs. */
const badCredential = (message: string) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });

/** Reads `Authorization: Bearer <jwt>`; no header means an anonymous caller, a bad token is an error. */
export async function viewerFromAuthorization(header: string | undefined): Promise<Viewer | null> {
  if (!header) return null;
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match) throw badCredential('The Authorization header must be "Bearer <token>"');
  try {
    const { payload } = await jwtVerify(match[1]!, requireJwtSecret(), { issuer: ISSUER, algorithms: ['HS256'] });
    const role = payload.role as Role;
    if (!payload.sub || !ROLES.includes(role)) throw badCredential('The token is not a Looma token');
    return { userId: payload.sub, role };
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw badCredential('The token has expired; sign in again');
    if (error instanceof joseErrors.JOSEError) throw badCredential('The token is invalid');
    throw error;
  }
}

export function requireViewer(viewer: Viewer | null): Viewer {
  if (!viewer) throw unauthenticated();
  return viewer;
}

export function requireRole(viewer: Viewer | null, roles: readonly Role[]): Viewer {
  const signedIn = requireViewer(viewer);
  if (!roles.includes(signedIn.role)) throw forbidden(`This needs one of the roles: ${roles.join(', ')}`);
  return signedIn;
}
