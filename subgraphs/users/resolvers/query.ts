import { can, requirePermission, requireViewer } from '../../../platform/auth/index.ts';
import { forbidden } from '../../../platform/errors.ts';
import { toConnection, toPage, type PageArgs } from '../../../platform/pagination.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import { id, isId } from '../../../platform/validate.ts';
import type { Stores } from '../index.ts';
import { auditEvents } from '../audit/resolvers.ts';
import type { UserFilter, UserOrder } from '../store.ts';
import { loadUser } from './user.ts';

type Context = SubgraphContext<Stores>;

export const Query = {
  me: (_: unknown, __: unknown, ctx: Context) => (ctx.viewer && isId(ctx.viewer.userId) ? loadUser(ctx, ctx.viewer.userId) : null),

  user: (_: unknown, args: { id: string }, ctx: Context) => (isId(args.id) ? loadUser(ctx, args.id) : null),

  async listApiKeys(_: unknown, args: { ownerId?: string | null }, ctx: Context) {
    const viewer = requireViewer(ctx.viewer);
    const ownerId = args.ownerId ? id(args.ownerId, 'ownerId') : viewer.userId;
    if (ownerId !== viewer.userId) {
      requirePermission(viewer, 'user:manage');
      await ctx.stores.apiKeys.assertMayManageKeysOf(viewer, ownerId);
    }
    // An account signed in outside Looma (a Zervigo token's `zervigo:<id>`) owns no keys here.
    if (!isId(ownerId)) return [];
    return ctx.stores.apiKeys.list(ownerId);
  },

  async users(_: unknown, args: PageArgs & { filter?: UserFilter | null; orderBy?: UserOrder | null }, ctx: Context) {
    const page = toPage(args);
    const order: UserOrder = { field: args.orderBy?.field ?? 'NAME', direction: args.orderBy?.direction ?? 'ASC' };
    // Searching or sorting by email would reveal addresses to a caller who may not read them.
    const readsEmails = can(ctx.viewer, 'user:read:email');
    if (order.field === 'EMAIL' && !readsEmails) throw forbidden('Ordering by email needs the permission user:read:email');
    const filter = { ...args.filter, searchEmail: readsEmails };
    const { rows, totalCount } = await ctx.stores.users.list(filter, order, page);
    return toConnection(rows, totalCount, page);
  },

  auditEvents,
};
