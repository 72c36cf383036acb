/** Authentication and authorization shared by the gateway and every subgraph. */
export { ROLES, PERMISSIONS, ROLE_PERMISSIONS, isRole, type Permission, type Role } from './permissions.ts';
export { can, requirePermission, requireRole, requireViewer, viewerWithRole, type Viewer } from './viewer.ts';
export { signUserToken, verifyUserAuthorization } from './user-token.ts';
export { signGatewayCredential, verifyGatewayCredential } from './gateway-credential.ts';
export { enforceAuthDirectives } from './rules.ts';
export { subgraphCaller } from './subgraph-caller.ts';
