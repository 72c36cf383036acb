/**
 * The role → permission map. Schema directives name permissions (`@hasPermission`,
 * `@personalData`), never roles, so what a role may do is decided here in one place.
 */
export const ROLES = ['super_admin', 'admin', 'data_admin', 'user', 'guest'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  'read:public': 'companies, jobs, skills and projects',
  'talent:read': 'talent profiles, resumes, applications and project teams',
  'talent:read:contact': "any talent's contact details (owners and owning recruiters always see their own)",
  'talent:write': 'create and update talents and resumes',
  'talent:delete': 'delete talents and resumes',
  'company:write': 'create and update companies',
  'company:delete': 'delete companies',
  'job:write': 'create and update jobs and move them through their statuses',
  'job:delete': 'delete jobs',
  'application:write': 'apply talents to jobs and move applications through the pipeline',
  'project:write': 'create and update projects and their teams',
  'project:delete': 'delete projects',
  'skill:write': 'edit the skill taxonomy',
  'user:read': 'list users and read their profiles',
  'user:read:email': "any user's email (everyone sees their own)",
  'user:manage': "change users' roles and statuses, delete users",
  'events:replay': "read every owner's full state as events, for rebuilding derived stores",
  'audit:read': 'read the audit log of every mutation (auditEvents)',
  'platform:sync': 'push talents to the external recruiting platform, Zervigo (syncTalentToPlatform, syncAllTalents), and follow sync jobs',
} as const;
export type Permission = keyof typeof PERMISSIONS;

const GUEST: Permission[] = ['read:public'];
const USER: Permission[] = [...GUEST, 'talent:read', 'talent:write', 'company:write', 'job:write', 'application:write', 'project:write'];
const DATA_ADMIN: Permission[] = [
  ...USER,
  'talent:read:contact',
  'talent:delete',
  'company:delete',
  'job:delete',
  'project:delete',
  'skill:write',
  'user:read',
  'platform:sync',
];
const ADMIN: Permission[] = [...DATA_ADMIN, 'user:read:email', 'user:manage', 'events:replay', 'audit:read'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  super_admin: ADMIN,
  admin: ADMIN,
  data_admin: DATA_ADMIN,
  user: USER,
  guest: GUEST,
};

/** Roles from least to most; a role outranks another when it may do all the other may and more. */
const RANK: readonly Role[] = ['guest', 'user', 'data_admin', 'admin', 'super_admin'];
export const outranksOrEquals = (role: Role, other: Role) => RANK.indexOf(role) >= RANK.indexOf(other);

/** A caller without a credential may read what a guest may. */
export const ANONYMOUS_PERMISSIONS: readonly Permission[] = GUEST;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isPermission(value: unknown): value is Permission {
  // Own keys only: `in` would also accept "constructor", "toString" and the rest of Object.prototype.
  return typeof value === 'string' && Object.hasOwn(PERMISSIONS, value);
}
