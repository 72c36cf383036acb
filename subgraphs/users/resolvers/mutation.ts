import { can, requireViewer, viewerWithRole, type Role, type Viewer } from '../../../platform/auth/index.ts';
import { badInput, conflict, forbidden, notFound, unauthenticated } from '../../../platform/errors.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import { email, id, isId, requiredText } from '../../../platform/validate.ts';
import type { Stores } from '../index.ts';
import { hashPassword, needsRehash, passwordProblem, verifyAgainstDummy, verifyPassword } from '../password.ts';
import { EmailTakenError, type User, type UserFields, type UserStatus } from '../store.ts';
import type { IssuedTokens } from '../sessions/tokens.ts';
import { loadUser } from './user.ts';

type Context = SubgraphContext<Stores>;

/** Roles only a super admin may grant, revoke, suspend or delete. */
const PRIVILEGED: readonly Role[] = ['super_admin', 'admin'];

/** One message for an unknown email and a wrong password, so sign-in does not reveal who has an account. */
const WRONG_CREDENTIALS = 'The email or password is wrong';

function newPassword(value: string, field: string): string {
  const problem = passwordProblem(value);
  if (problem) throw badInput(`${field} ${problem}`, field);
  return value;
}

function validFields(input: { name?: string | null; email?: string | null }): Partial<UserFields> {
  const fields: Partial<UserFields> = {};
  if ('name' in input) fields.name = requiredText(input.name, 'name');
  if ('email' in input) fields.email = email(input.email);
  return fields;
}

/** Turns the store's duplicate-email error into CONFLICT; anything else passes through. */
function asConflict(error: unknown): unknown {
  return error instanceof EmailTakenError ? conflict(error.message) : error;
}

/**
 * The caller has just proven who they are, so the rest of this request (the payload's User
 * fields, guarded by @signedIn and @personalData, and any later mutation in the same
 * document) runs as them, not as the anonymous caller they were when it arrived. Without the
 * session, though: what needs the person's own token (changePassword, createApiKey) still
 * needs it, so an identity taken mid-request (e.g. with a stolen refresh token) cannot try
 * passwords where the gateway's limiter, which counts per caller, does not see it.
 */
function signedIn(ctx: Context, user: User, tokens: IssuedTokens) {
  ctx.viewer = viewerWithRole(user.id, user.role);
  return { ...tokens, user };
}

const signIn = async (ctx: Context, user: User) => signedIn(ctx, user, await ctx.stores.tokens.start(user));

/**
 * The caller of a field the schema already guards with @signedIn or @hasPermission, for the
 * rules that depend on who they are; the directive has refused anonymous callers already.
 */
const caller = (ctx: Context): Viewer => requireViewer(ctx.viewer);

const isSelf = (viewer: Viewer, userId: string) => viewer.userId.toLowerCase() === userId;

/** The target of an admin action, which must exist and, unless the viewer is a super admin, must not be privileged. */
async function manageableUser(ctx: Context, viewer: Viewer, userId: string, action: string): Promise<User> {
  const target = await loadUser(ctx, userId);
  if (!target) throw notFound('User', userId);
  if (viewer.role !== 'super_admin' && PRIVILEGED.includes(target.role)) {
    throw forbidden(`Only a super admin can ${action} an admin or a super admin`);
  }
  return target;
}

export const Mutation = {
  async refreshToken(_: unknown, args: { refreshToken: string }, ctx: Context) {
    const { tokens, user } = await ctx.stores.tokens.refresh(args.refreshToken, (userId) => loadUser(ctx, userId));
    return signedIn(ctx, user, tokens);
  },

  async logout(_: unknown, __: unknown, ctx: Context) {
    const sessionId = caller(ctx).sessionId;
    if (!sessionId) return false;
    await ctx.stores.tokens.end([sessionId], 'logout');
    return true;
  },

  async logoutEverywhere(_: unknown, __: unknown, ctx: Context) {
    const viewer = caller(ctx);
    // An account signed in elsewhere (a Zervigo token's `zervigo:<id>`) has no sessions here to end.
    if (!isId(viewer.userId)) throw forbidden('This account signed in outside Looma (e.g. with a Zervigo token): sign out where it signed in');
    await ctx.stores.tokens.endAllOf(viewer.userId, 'logout everywhere');
    return true;
  },

  createApiKey(_: unknown, args: { input: { name: string; role?: Role | null; permissions?: string[] | null; expiresAt?: Date | null } }, ctx: Context) {
    return ctx.stores.apiKeys.create(caller(ctx), args.input);
  },

  revokeApiKey(_: unknown, args: { id: string }, ctx: Context) {
    const viewer = caller(ctx);
    return ctx.stores.apiKeys.revoke(viewer, id(args.id), can(viewer, 'user:manage'));
  },

  async rotateSigningKey(_: unknown, __: unknown, ctx: Context) {
    return ctx.stores.keyRing.rotate();
  },

  async register(_: unknown, args: { input: { email: string; password: string; name: string } }, ctx: Context) {
    const fields: UserFields = {
      email: email(args.input.email),
      name: requiredText(args.input.name, 'name'),
      role: 'user',
      status: 'active',
    };
    const passwordHash = await hashPassword(newPassword(args.input.password, 'password'));
    const user = await ctx.stores.users.create({ ...fields, passwordHash }).catch((error: unknown) => {
      throw asConflict(error);
    });
    return signIn(ctx, user);
  },

  async login(_: unknown, args: { email: string; password: string }, ctx: Context) {
    const credentials = await ctx.stores.users.findCredentials(args.email.trim().toLowerCase());
    // Unknown emails still pay for one hash, so timing does not reveal them either.
    const matches = credentials
      ? await verifyPassword(args.password, credentials.passwordHash)
      : await verifyAgainstDummy(args.password);
    if (!credentials || !matches) throw unauthenticated(WRONG_CREDENTIALS);
    // Checked only after the password, so the status of an account is told to its owner alone.
    if (credentials.user.status !== 'active') throw unauthenticated('This account is not active; ask an administrator to reactivate it');
    const { users } = ctx.stores;
    if (needsRehash(credentials.passwordHash)) await users.setPasswordHash(credentials.user.id, await hashPassword(args.password));
    const user = await users.recordLogin(credentials.user.id);
    if (!user) throw unauthenticated(WRONG_CREDENTIALS);
    return signIn(ctx, user);
  },

  async updateUser(_: unknown, args: { id: string; input: { name?: string | null; email?: string | null } }, ctx: Context) {
    const viewer = caller(ctx);
    const userId = id(args.id);
    if (!isSelf(viewer, userId)) {
      if (!can(viewer, 'user:manage')) throw forbidden('You can only update your own account');
      await manageableUser(ctx, viewer, userId, 'update');
    }
    const user = await ctx.stores.users.update(userId, validFields(args.input)).catch((error: unknown) => {
      throw asConflict(error);
    });
    if (!user) throw notFound('User', args.id);
    return user;
  },

  async changePassword(_: unknown, args: { currentPassword: string; newPassword: string }, ctx: Context) {
    const viewer = caller(ctx);
    // A password is the person's own: an API key (maybe leaked from a script, maybe read-only)
    // must not change it, nor serve as an oracle to guess it and take over the whole account.
    if (!viewer.sessionId) throw forbidden('Change your password signed in with your own token, not with an API key');
    const next = newPassword(args.newPassword, 'newPassword');
    const stored = isId(viewer.userId) ? await ctx.stores.users.getPasswordHash(viewer.userId) : null;
    if (!stored) throw unauthenticated('Your account no longer exists');
    if (!(await verifyPassword(args.currentPassword, stored))) throw badInput('The current password is wrong', 'currentPassword');
    await ctx.stores.users.setPasswordHash(viewer.userId, await hashPassword(next));
    // Whoever else held a session (perhaps why the password is being changed) is signed out.
    await ctx.stores.tokens.endAllOf(viewer.userId, 'password changed', viewer.sessionId);
    return true;
  },

  async setUserRole(_: unknown, args: { id: string; role: Role }, ctx: Context) {
    const viewer = caller(ctx);
    const userId = id(args.id);
    if (isSelf(viewer, userId)) throw forbidden('Nobody can change their own role');
    if (viewer.role !== 'super_admin' && PRIVILEGED.includes(args.role)) {
      throw forbidden('Only a super admin can grant the admin or super admin role');
    }
    await manageableUser(ctx, viewer, userId, 'change the role of');
    const user = await ctx.stores.users.update(userId, { role: args.role });
    if (!user) throw notFound('User', args.id);
    // Their tokens name the old role: end their sessions so the new one applies at once.
    await ctx.stores.tokens.endAllOf(userId, 'role changed');
    return user;
  },

  async setUserStatus(_: unknown, args: { id: string; status: UserStatus }, ctx: Context) {
    const viewer = caller(ctx);
    const userId = id(args.id);
    if (isSelf(viewer, userId)) throw forbidden('Nobody can change their own status');
    await manageableUser(ctx, viewer, userId, 'change the status of');
    const user = await ctx.stores.users.update(userId, { status: args.status });
    if (!user) throw notFound('User', args.id);
    // A suspended (or otherwise inactive) user loses access now, not when their token expires.
    if (user.status !== 'active') await ctx.stores.tokens.endAllOf(userId, `status ${user.status}`);
    return user;
  },

  async deleteUser(_: unknown, args: { id: string }, ctx: Context) {
    const viewer = caller(ctx);
    const userId = id(args.id);
    if (isSelf(viewer, userId)) throw forbidden('You cannot delete your own account');
    await manageableUser(ctx, viewer, userId, 'delete');
    await ctx.stores.tokens.endAllOf(userId, 'account deleted');
    if (!(await ctx.stores.users.delete(userId))) throw notFound('User', args.id);
    return args.id;
  },
};
