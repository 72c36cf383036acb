import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import { requireGatewaySecret } from '../config.ts';
import { badCredential } from './credential-error.ts';
import { isPermission, isRole } from './permissions.ts';
import { VerifiedTokens } from './verified-tokens.ts';
import type { Viewer } from './viewer.ts';

/**
 * How a subgraph knows a call came through the gateway, and for whom: the gateway verifies the
 * client's credential once, then signs a short-lived JWT (HS256 with GATEWAY_SECRET, which only
 * the gateway and the subgraphs hold) naming the viewer and its permissions, and sends it as the
 * subgraph call's `Authorization: Bearer`, in place of anything the client sent. Subgraphs trust
 * nothing else: not a user token, not any identity header.
 */

const ISSUER = 'looma-gateway';
const AUDIENCE = 'looma-subgraphs';
const LIFETIME = '60s';

export async function signGatewayCredential(viewer: Viewer | null, secret = requireGatewaySecret()): Promise<string> {
  const claims = viewer ? { role: viewer.role, permissions: viewer.permissions, ...(viewer.sessionId ? { sid: viewer.sessionId } : {}) } : { anonymous: true };
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(LIFETIME);
  if (viewer) jwt.setSubject(viewer.userId);
  return jwt.sign(secret);
}

/** Credentials this process has verified: the gateway signs one per caller per second, sent with each of a request's subgraph calls. */
const verified = new VerifiedTokens<{ viewer: Viewer | null }>();

/** The viewer the gateway vouched for (null: an anonymous caller), or 401 for anything else. */
export async function verifyGatewayCredential(credential: string): Promise<Viewer | null> {
  const known = verified.get(credential);
  if (known) return known.viewer;
  let payload;
  try {
    ({ payload } = await jwtVerify(credential, requireGatewaySecret(), { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] }));
  } catch {
    throw badCredential('The gateway credential is invalid or expired');
  }
  const viewer = viewerOf(payload);
  verified.remember(credential, { viewer }, payload.exp);
  return viewer;
}

function viewerOf(payload: JWTPayload): Viewer | null {
  if (payload.anonymous === true) return null;
  const permissions = payload.permissions;
  if (!payload.sub || !isRole(payload.role) || !Array.isArray(permissions) || !permissions.every(isPermission)) {
    throw badCredential('The gateway credential is malformed');
  }
  const sessionId = typeof payload.sid === 'string' ? payload.sid : undefined;
  return { userId: payload.sub, role: payload.role, permissions, ...(sessionId ? { sessionId } : {}) };
}
