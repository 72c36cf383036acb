/** Authentication and authorization shared by the gateway and every subgraph. */
export { ROLES, PERMISSIONS, ROLE_PERMISSIONS, isPermission, isRole, outranksOrEquals, type Permission, type Role } from './permissions.ts';
export { can, mayReadPersonalData, requirePermission, requireRole, requireViewer, viewerWithRole, type Viewer } from './viewer.ts';
export { ACCESS_TOKEN_ALGORITHM, ACCESS_TOKEN_ISSUER, AccessTokenVerifier, remoteKeySet, type SessionLiveness } from './access-token.ts';
export { RedisSessionLiveness, markSessionsRevoked } from './revoked-sessions.ts';
export { signGatewayCredential, verifyGatewayCredential } from './gateway-credential.ts';
export { enforceAuthDirectives } from './rules.ts';
export { subgraphCaller } from './subgraph-caller.ts';
