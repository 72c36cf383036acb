import type { SubgraphContext } from '../../../platform/subgraph.ts';
import { isId } from '../../../platform/validate.ts';
import type { ApiKey as ApiKeyRecord } from '../api-keys/store.ts';
import type { Stores } from '../index.ts';
import { loadUser } from './user.ts';

type Context = SubgraphContext<Stores>;

/** Another subgraph may refer to a key; only its owner sees it through `_entities`. */
export const ApiKey = {
  async __resolveReference(reference: { id: unknown }, ctx: Context) {
    // Only a Looma user owns keys: a viewer from elsewhere (`zervigo:<id>`) sees none.
    if (!isId(reference.id) || !ctx.viewer || !isId(ctx.viewer.userId)) return null;
    const owned = await ctx.loaders
      .get<string, ApiKeyRecord[]>('apiKeysOf', async (owners) => Promise.all(owners.map((owner) => ctx.stores.apiKeys.list(owner))))
      .load(ctx.viewer.userId);
    return owned.find((key) => key.id === reference.id) ?? null;
  },
  owner: (key: ApiKeyRecord, _: unknown, ctx: Context) => loadUser(ctx, key.ownerId),
};
