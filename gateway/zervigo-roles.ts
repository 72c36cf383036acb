import type { Role } from '../platform/auth/index.ts';

/**
 * Which Looma role a Zervigo account acts with, by its Zervigo role. Looma grants the mapped
 * role's permissions (ROLE_PERMISSIONS), never the permission strings Zervigo sends: what a
 * role may do in Looma is decided in one place (platform/auth/permissions.ts).
 *
 *   super_admin                                    → super_admin
 *   admin, system_admin                            → admin
 *   data_admin, hr_admin                           → data_admin
 *   recruiter, hr, company_admin, user, candidate  → user
 *   guest, and any role not listed here            → guest
 *
 * An unknown role gets the least access, so a role Zervigo adds later is safe until it is mapped.
 */
export const ZERVIGO_ROLES: Readonly<Record<string, Role>> = Object.freeze({
  super_admin: 'super_admin',
  admin: 'admin',
  system_admin: 'admin',
  data_admin: 'data_admin',
  hr_admin: 'data_admin',
  recruiter: 'user',
  hr: 'user',
  company_admin: 'user',
  user: 'user',
  candidate: 'user',
  guest: 'guest',
});

/** The Looma role of a Zervigo role; own keys only, so "constructor" and the like are unknown roles too. */
export function loomaRoleOf(zervigoRole: unknown): Role {
  return typeof zervigoRole === 'string' && Object.hasOwn(ZERVIGO_ROLES, zervigoRole) ? ZERVIGO_ROLES[zervigoRole]! : 'guest';
}
