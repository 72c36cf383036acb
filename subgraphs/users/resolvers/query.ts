import { requireViewer } from '../../../platform/auth.ts';
import { toConnection, toPage, type PageArgs } from '../../../platform/pagination.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import { isId } from '../../../platform/validate.ts';
import type { Stores } from '../index.ts';
import type { UserFilter, UserOrder } from '../store.ts';
import { loadUser } from './user.ts';

type Context = SubgraphContext<Stores>;

export const Query = {
  me: (_: unknown, __: unknown, ctx: Context) => (ctx.viewer && isId(ctx.viewer.userId) ? loadUser(ctx, ctx.viewer.userId) : null),

  user: (_: unknown, args: { id: string }, ctx: Context) => (isId(args.id) ? loadUser(ctx, args.id) : null),

  async users(_: unknown, args: PageArgs & { filter?: UserFilter | null; orderBy?: UserOrder | null }, ctx: Context) {
    requireViewer(ctx.viewer);
    const page = toPage(args);
    const order: UserOrder = { field: args.orderBy?.field ?? 'NAME', direction: args.orderBy?.direction ?? 'ASC' };
    const { rows, totalCount } = await ctx.stores.users.list(args.filter ?? {}, order, page);
    return toConnection(rows, totalCount, page);
  },
};
