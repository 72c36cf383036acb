import { alignByKey } from '../../../platform/loaders.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import { isId } from '../../../platform/validate.ts';
import type { Stores } from '../index.ts';
import type { Job as JobRecord } from '../store.ts';
import { applicationListArguments, type ApplicationListArgs } from './arguments.ts';
import { loadConnection } from './connections.ts';

type Context = SubgraphContext<Stores>;

/** Batches every job lookup in one request into one query; a malformed (or non-string) id is simply not found. */
export function loadJob(ctx: Context, id: unknown): Promise<JobRecord | null> {
  if (typeof id !== 'string' || !isId(id)) return Promise.resolve(null);
  return ctx.loaders
    .get<string, JobRecord | null>('jobById', async (ids) => alignByKey(ids, await ctx.stores.jobs.getMany(ids), (job) => job.id))
    .load(id.toLowerCase());
}

export const Job = {
  __resolveReference: (reference: { id?: unknown }, ctx: Context) => loadJob(ctx, reference.id),
  company: (job: JobRecord) => ({ id: job.companyId }),
  requiredSkills: (job: JobRecord) => job.requiredSkills.map(({ skillId, level }) => ({ skill: { id: skillId }, level })),
  statusHistory: (job: JobRecord) =>
    job.statusHistory.map(({ byUserId, ...change }) => ({ ...change, by: byUserId ? { id: byUserId } : null })),
  applications(job: JobRecord, args: ApplicationListArgs, ctx: Context) {
    const { filter, order, page } = applicationListArguments(args);
    return loadConnection(ctx, 'applicationsByJob', job.id, { filter, order, page }, (jobIds) =>
      ctx.stores.applications.listByJob(jobIds, filter, order, page),
    );
  },
};
