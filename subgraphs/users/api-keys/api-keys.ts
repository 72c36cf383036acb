import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { ROLE_PERMISSIONS, isPermission, outranksOrEquals, type Permission, type Role, type Viewer } from '../../../platform/auth/index.ts';
import { badInput, forbidden, notFound } from '../../../platform/errors.ts';
import { requiredText } from '../../../platform/validate.ts';
import type { UserStore } from '../store.ts';
import type { ApiKey, ApiKeyStore } from './store.ts';

const PREFIX = 'looma';
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
const holdsAll = (held: readonly Permission[], wanted: readonly Permission[]) => wanted.every((p) => held.includes(p));

export interface NewApiKey {
  name: string;
  role?: Role | null;
  permissions?: string[] | null;
  expiresAt?: Date | null;
}

/**
 * API keys: `looma_<key id>_<secret>`, shown once; only a hash of the secret is kept. A key acts
 * for its owner with its own role or permissions, and never with more than the owner holds at
 * the time of use: demote or suspend the owner and their keys shrink or stop with them.
 */
export class ApiKeys {
  constructor(
    private readonly keys: ApiKeyStore,
    private readonly users: UserStore,
  ) {}

  async create(creator: Viewer, input: NewApiKey): Promise<{ apiKey: ApiKey; secret: string }> {
    // A key must come from a person who signed in, not from another key.
    if (!creator.sessionId) throw forbidden('API keys are created with a signed-in user’s token, not with an API key');
    const name = requiredText(input.name, 'name', 100);
    if ((input.role == null) === (input.permissions == null)) throw badInput('Give either a role or a list of permissions', 'role');
    const permissions = input.permissions?.map((permission, index) => {
      if (!isPermission(permission)) throw badInput(`Unknown permission ${JSON.stringify(permission)}`, `permissions[${index}]`);
      return permission;
    });
    if (permissions && !permissions.length) throw badInput('Give at least one permission', 'permissions');
    const wanted = input.role ? ROLE_PERMISSIONS[input.role] : permissions!;
    if (!holdsAll(creator.permissions, wanted) || (input.role && !outranksOrEquals(creator.role, input.role))) {
      throw forbidden('An API key cannot hold more than its creator holds');
    }
    if (input.expiresAt && input.expiresAt <= new Date()) throw badInput('expiresAt must be in the future', 'expiresAt');
    const id = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    const apiKey = await this.keys.create({
      id,
      ownerId: creator.userId,
      name,
      role: input.role ?? null,
      permissions: permissions ? [...new Set(permissions)] : null,
      expiresAt: input.expiresAt ?? null,
      secretHash: sha256(secret),
    });
    return { apiKey, secret: `${PREFIX}_${id.replaceAll('-', '')}_${secret}` };
  }

  list(ownerId: string): Promise<ApiKey[]> {
    return this.keys.listOf(ownerId);
  }

  async revoke(viewer: Viewer, id: string, mayManageOthers: boolean): Promise<ApiKey> {
    const key = await this.keys.get(id);
    if (!key || (key.ownerId !== viewer.userId && !mayManageOthers)) throw notFound('ApiKey', id);
    await this.assertMayManageKeysOf(viewer, key.ownerId);
    return (await this.keys.revoke(id))!;
  }

  /** Someone else's keys are theirs to manage too: only a super admin touches an admin's or a super admin's. */
  async assertMayManageKeysOf(viewer: Viewer, ownerId: string): Promise<void> {
    if (ownerId === viewer.userId || viewer.role === 'super_admin') return;
    const [owner] = await this.users.getMany([ownerId]);
    if (owner && outranksOrEquals(owner.role, 'admin')) throw forbidden('Only a super admin can manage the API keys of an admin or a super admin');
  }

  /** Who a presented key acts for, or null for anything that is not a live key of an active user. */
  async authenticate(presented: string): Promise<Viewer | null> {
    const match = /^looma_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/.exec(presented);
    if (!match) return null;
    const id = match[1]!.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
    const key = await this.keys.get(id);
    if (!key || key.revokedAt || (key.expiresAt && key.expiresAt <= new Date()) || !sameHash(sha256(match[2]!), key.secretHash)) return null;
    const [owner] = await this.users.getMany([key.ownerId]);
    if (!owner || owner.status !== 'active') return null;
    const ownerPermissions = ROLE_PERMISSIONS[owner.role];
    const permissions = (key.role ? ROLE_PERMISSIONS[key.role] : key.permissions!).filter((p) => ownerPermissions.includes(p));
    // A role key whose owner no longer holds that role acts as a permission key of what is left.
    const role: Role = key.role && outranksOrEquals(owner.role, key.role) ? key.role : 'guest';
    await this.keys.touch(id);
    return { userId: owner.id, role, permissions };
  }
}
