import { alignByKey } from '../../../platform/loaders.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import type { Stores } from '../index.ts';
import type { User as UserRecord } from '../store.ts';

type Context = SubgraphContext<Stores>;

/** Batches every user lookup in one request into one query. Ids are compared lower-case, as PostgreSQL returns them. */
export function loadUser(ctx: Context, id: string): Promise<UserRecord | null> {
  return ctx.loaders
    .get<string, UserRecord | null>('userById', async (ids) => alignByKey(ids, await ctx.stores.users.getMany(ids), (u) => u.id))
    .load(id.toLowerCase());
}

export const User = {
  __resolveReference: (reference: { id: string }, ctx: Context) => loadUser(ctx, reference.id),
};
