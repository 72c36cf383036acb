import { toConnection } from '../../../platform/pagination.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import type { Stores } from '../index.ts';
import { loadApplication } from './application.ts';
import { applicationListArguments, jobListArguments, type ApplicationListArgs, type JobListArgs } from './arguments.ts';
import { loadJob } from './job.ts';

type Context = SubgraphContext<Stores>;

export const Query = {
  job: (_: unknown, args: { id: string }, ctx: Context) => loadJob(ctx, args.id),

  async jobs(_: unknown, args: JobListArgs, ctx: Context) {
    const { filter, order, page } = jobListArguments(args);
    const { rows, totalCount } = await ctx.stores.jobs.list(filter, order, page);
    return toConnection(rows, totalCount, page);
  },

  application: (_: unknown, args: { id: string }, ctx: Context) => loadApplication(ctx, args.id),

  async applications(_: unknown, args: ApplicationListArgs, ctx: Context) {
    const { filter, order, page } = applicationListArguments(args);
    const { rows, totalCount } = await ctx.stores.applications.list(filter, order, page);
    return toConnection(rows, totalCount, page);
  },
};
