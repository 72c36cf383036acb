import { intInRange } from '../../../platform/validate.ts';
import type { SyncJob as Job } from '../sync/store.ts';
import type { Context } from './context.ts';

export const SyncJob = {
  pending: (job: Job) => job.total - job.done - job.failed,
  async failures(job: Job, args: { first?: number | null }, ctx: Context) {
    const first = intInRange(args.first ?? 20, 'first', 1, 100)!;
    const rows = await ctx.stores.store.failures(job.id, first);
    return rows.map((row) => ({ talent: { __typename: 'Talent', id: row.talentId }, error: row.error, at: row.at }));
  },
};
