import type { SubgraphContext } from '../../../platform/subgraph.ts';
import type { Stores } from '../index.ts';
import { loadTalentByUser } from './talent.ts';

type Context = SubgraphContext<Stores>;

/**
 * The users subgraph owns User; this subgraph only adds `talentProfile`, so a reference is all it
 * needs. A representation whose id is not even a string (it could not be serialised back) is no user.
 */
export const User = {
  __resolveReference: (reference: { id?: unknown }) => (typeof reference.id === 'string' ? reference : null),
  talentProfile: (user: { id?: unknown }, _: unknown, ctx: Context) => loadTalentByUser(ctx, user.id),
};
