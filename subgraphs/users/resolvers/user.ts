import { alignByKey } from '../../../platform/loaders.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import { isId } from '../../../platform/validate.ts';
import type { Stores } from '../index.ts';
import type { User as UserRecord } from '../store.ts';

type Context = SubgraphContext<Stores>;

/**
 * Batches every user lookup in one request into one query. Ids are compared lower-case, as
 * PostgreSQL returns them; anything but a UUID (a malformed id, or a non-string in an
 * `_entities` representation) is simply not found.
 */
export function loadUser(ctx: Context, id: unknown): Promise<UserRecord | null> {
  if (typeof id !== 'string' || !isId(id)) return Promise.resolve(null);
  return ctx.loaders
    .get<string, UserRecord | null>('userById', async (ids) => alignByKey(ids, await ctx.stores.users.getMany(ids), (u) => u.id))
    .load(id.toLowerCase());
}

export const User = {
  __resolveReference: (reference: { id?: unknown }, ctx: Context) => loadUser(ctx, reference.id),
};
