import { toConnection, toPage, type PageArgs } from '../../../platform/pagination.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import type { Stores } from '../index.ts';
import type { CompanyFilter, CompanyOrder } from '../store.ts';
import { loadCompany } from './company.ts';

type Context = SubgraphContext<Stores>;

export const Query = {
  company: (_: unknown, args: { id: string }, ctx: Context) => loadCompany(ctx, args.id),

  async companies(_: unknown, args: PageArgs & { filter?: CompanyFilter | null; orderBy?: CompanyOrder | null }, ctx: Context) {
    const page = toPage(args);
    const order: CompanyOrder = { field: args.orderBy?.field ?? 'NAME', direction: args.orderBy?.direction ?? 'ASC' };
    const { rows, totalCount } = await ctx.stores.companies.list(args.filter ?? {}, order, page);
    return toConnection(rows, totalCount, page);
  },
};
