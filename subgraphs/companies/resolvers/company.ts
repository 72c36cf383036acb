import { withDates } from '../../../platform/entity-cache.ts';
import { alignByKey } from '../../../platform/loaders.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import { isId } from '../../../platform/validate.ts';
import type { Stores } from '../index.ts';
import type { Company as CompanyRecord } from '../store.ts';

type Context = SubgraphContext<Stores>;

const reviveCompany = withDates<CompanyRecord>('createdAt', 'updatedAt');

/**
 * Batches every company lookup in one request into one query, of the companies the shared
 * entity cache does not hold (when there is one). Anything but a UUID (a malformed
 * id, or a non-string in an `_entities` representation) is simply not found; ids are compared
 * lower-case, as PostgreSQL returns them.
 */
export function loadCompany(ctx: Context, id: unknown): Promise<CompanyRecord | null> {
  if (typeof id !== 'string' || !isId(id)) return Promise.resolve(null);
  return ctx.loaders
    .entities<CompanyRecord>('Company', async (ids) => alignByKey(ids, await ctx.stores.companies.getMany(ids), (c) => c.id), reviveCompany)
    .load(id.toLowerCase());
}

export const Company = {
  __resolveReference: (reference: { id?: unknown }, ctx: Context) => loadCompany(ctx, reference.id),
};
