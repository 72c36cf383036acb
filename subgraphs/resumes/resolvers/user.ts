import type { SubgraphContext } from '../../../platform/subgraph.ts';
import type { Stores } from '../index.ts';
import { loadTalentByUser } from './talent.ts';

type Context = SubgraphContext<Stores>;

/** The users subgraph owns User; this subgraph only adds `talentProfile`, so a reference is all it needs. */
export const User = {
  __resolveReference: (reference: { id: string }) => reference,
  talentProfile: (user: { id: string }, _: unknown, ctx: Context) => loadTalentByUser(ctx, user.id),
};
