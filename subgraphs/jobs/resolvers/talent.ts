import type { SubgraphContext } from '../../../platform/subgraph.ts';
import type { Stores } from '../index.ts';
import { applicationListArguments, type ApplicationListArgs } from './arguments.ts';
import { loadConnection } from './connections.ts';

type Context = SubgraphContext<Stores>;

/**
 * Talent is owned by resumes; this subgraph contributes `Talent.applications`, so the reference is
 * all it needs. A representation whose id is not even a string (it could not be serialised back) is no talent.
 */
export const Talent = {
  __resolveReference: (reference: { id?: unknown }) => (typeof reference.id === 'string' ? reference : null),
  applications(talent: { id: string }, args: ApplicationListArgs, ctx: Context) {
    const { filter, order, page } = applicationListArguments(args);
    return loadConnection(ctx, 'applicationsByTalent', talent.id, { filter, order, page }, (talentIds) =>
      ctx.stores.applications.listByTalent(talentIds, filter, order, page),
    );
  },
};
