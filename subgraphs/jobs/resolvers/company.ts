import type { SubgraphContext } from '../../../platform/subgraph.ts';
import type { Stores } from '../index.ts';
import { jobListArguments, type JobListArgs } from './arguments.ts';
import { loadConnection } from './connections.ts';

type Context = SubgraphContext<Stores>;

/**
 * Company is owned by companies; this subgraph contributes `Company.jobs`, so the reference is all
 * it needs. A representation whose id is not even a string (it could not be serialised back) is no company.
 */
export const Company = {
  __resolveReference: (reference: { id?: unknown }) => (typeof reference.id === 'string' ? reference : null),
  jobs(company: { id: string }, args: JobListArgs, ctx: Context) {
    const { filter, order, page } = jobListArguments(args);
    return loadConnection(ctx, 'jobsByCompany', company.id, { filter, order, page }, (companyIds) =>
      ctx.stores.jobs.listByCompany(companyIds, filter, order, page),
    );
  },
};
