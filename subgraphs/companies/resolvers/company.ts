import { alignByKey } from '../../../platform/loaders.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import type { Stores } from '../index.ts';
import type { Company as CompanyRecord } from '../store.ts';

type Context = SubgraphContext<Stores>;

/** Batches every company lookup in one request into one query. */
export function loadCompany(ctx: Context, id: string): Promise<CompanyRecord | null> {
  return ctx.loaders
    .get<string, CompanyRecord | null>('companyById', async (ids) => alignByKey(ids, await ctx.stores.companies.getMany(ids), (c) => c.id))
    .load(id);
}

export const Company = {
  __resolveReference: (reference: { id: string }, ctx: Context) => loadCompany(ctx, reference.id),
};
