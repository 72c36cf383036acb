import { forbidden, unauthenticated } from '../errors.ts';
import { ANONYMOUS_PERMISSIONS, ROLE_PERMISSIONS, type Permission, type Role } from './permissions.ts';

/** Who is calling, as proven by a verified credential. */
export interface Viewer {
  userId: string;
  role: Role;
  /** The role's permissions, or an API key's own narrower set. */
  permissions: readonly Permission[];
  /** The sign-in session behind a user token (what `logout` ends); absent for API keys. */
  sessionId?: string;
}

export function viewerWithRole(userId: string, role: Role, sessionId?: string): Viewer {
  return { userId, role, permissions: ROLE_PERMISSIONS[role], ...(sessionId ? { sessionId } : {}) };
}

export function can(viewer: Viewer | null, permission: Permission): boolean {
  return (viewer?.permissions ?? ANONYMOUS_PERMISSIONS).includes(permission);
}

/**
 * Whether the caller may read someone's personal data (what `@personalData` guards): holders of
 * `permission`, and the users it belongs to (e.g. the talent's owning recruiter and own account).
 */
export function mayReadPersonalData(viewer: Viewer | null, permission: Permission, ownerIds: readonly unknown[]): boolean {
  if (can(viewer, permission)) return true;
  return !!viewer?.userId && ownerIds.some((id) => id === viewer.userId);
}

export function requireViewer(viewer: Viewer | null): Viewer {
  if (!viewer) throw unauthenticated();
  return viewer;
}

/** For rules the schema cannot say, e.g. "only a super_admin may grant admin". */
export function requireRole(viewer: Viewer | null, roles: readonly Role[]): Viewer {
  const signedIn = requireViewer(viewer);
  if (!roles.includes(signedIn.role)) throw forbidden(`This needs one of the roles: ${roles.join(', ')}`);
  return signedIn;
}

export function requirePermission(viewer: Viewer | null, permission: Permission): void {
  if (can(viewer, permission)) return;
  if (!viewer) throw unauthenticated();
  throw forbidden(`This needs the permission ${permission}`);
}
