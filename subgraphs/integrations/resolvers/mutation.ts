import { GraphQLError } from 'graphql';
import { badInput, conflict } from '../../../platform/errors.ts';
import { id as validId, tags as validTags } from '../../../platform/validate.ts';
import type { SyncStatus } from '../sync/store.ts';
import { failureError } from '../sync/talent-sync.ts';
import { requireConfigured, type Context } from './context.ts';
import { platformSync } from './platform-sync.ts';

const STATUSES: readonly SyncStatus[] = ['NOT_SYNCED', 'SYNCED', 'OUT_OF_DATE', 'FAILED'];

export const Mutation = {
  async syncTalentToPlatform(_: unknown, args: { talentId: string }, ctx: Context) {
    requireConfigured(ctx);
    const talentId = validId(args.talentId, 'talentId');
    try {
      return platformSync(await ctx.stores.sync.sync(talentId));
    } catch (error) {
      if (error instanceof GraphQLError) throw error;
      throw failureError(error);
    }
  },

  async syncAllTalents(_: unknown, args: { filter?: { tags?: string[] | null; statuses?: SyncStatus[] | null } | null }, ctx: Context) {
    requireConfigured(ctx);
    const statuses = args.filter?.statuses ?? null;
    if (statuses?.some((status) => !STATUSES.includes(status))) throw badInput(`filter.statuses may hold ${STATUSES.join(', ')}`, 'filter.statuses');
    const filter = { tags: args.filter?.tags ? validTags(args.filter.tags, 'filter.tags') : null, statuses };
    const job = await ctx.stores.store.createJob(filter, ctx.viewer?.userId ?? null);
    if (!job) {
      const running = await ctx.stores.store.runningJob();
      throw conflict(`A sync job is already running${running ? ` (${running.id}: ${running.done + running.failed} of ${running.total} tried)` : ''}; follow it with syncJob, and start another once it completes`);
    }
    ctx.stores.runner.poke();
    return job;
  },
};
