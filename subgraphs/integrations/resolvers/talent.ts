import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../../platform/errors.ts';
import { logger } from '../../../platform/logger.ts';
import { intInRange, isId } from '../../../platform/validate.ts';
import type { PlatformLink } from '../sync/store.ts';
import { failureError } from '../sync/talent-sync.ts';
import { requireConfigured, type Context } from './context.ts';
import { platformSync } from './platform-sync.ts';

/** Batches the links of every talent in one request into one query. */
function loadLink(ctx: Context, talentId: string): Promise<PlatformLink> {
  return ctx.loaders.get<string, PlatformLink>('platformLinks', (ids) => ctx.stores.store.links(ids)).load(talentId);
}

/** A job's details from Zervigo's job and company services; what they cannot say stays null. */
async function jobDetails(ctx: Context, jobId: string) {
  const { zervigo, policies } = ctx.stores;
  try {
    const job = await policies.execute('job', () => zervigo.job(jobId));
    const company = job.company_id ? await policies.execute('company', () => zervigo.company(job.company_id!)).catch(() => null) : null;
    return { title: job.title, location: job.location, url: job.url, companyName: company?.name ?? null };
  } catch (error) {
    logger.warn({ err: error, job: jobId }, 'Zervigo job details unavailable');
    return { title: null, location: null, url: null, companyName: null };
  }
}

/** Talent is owned by the resumes subgraph; this subgraph adds its state on Zervigo. */
export const Talent = {
  __resolveReference: (reference: { id?: unknown }) => (isId(reference.id) ? { id: reference.id.toLowerCase() } : null),

  async platformSync(talent: { id: string }, _: unknown, ctx: Context) {
    requireConfigured(ctx);
    return platformSync(await loadLink(ctx, talent.id));
  },

  async platformMatches(talent: { id: string }, args: { first?: number | null }, ctx: Context) {
    requireConfigured(ctx);
    const first = intInRange(args.first ?? 10, 'first', 1, 50)!;
    const link = await loadLink(ctx, talent.id);
    if (!link.externalId) {
      throw new GraphQLError(`Talent ${talent.id} is not on Zervigo yet: sync them first (syncTalentToPlatform)`, { extensions: { code: ErrorCode.NOT_FOUND, id: talent.id } });
    }
    let matches;
    try {
      ({ matches } = await ctx.stores.policies.execute('ai', () => ctx.stores.zervigo.jobMatches(link.externalId!, first)));
    } catch (error) {
      throw failureError(error, "get Zervigo's job matches");
    }
    const best = matches.slice(0, first);
    const details = await Promise.all(best.map((match) => jobDetails(ctx, match.job_id)));
    return best.map((match, index) => ({ externalJobId: match.job_id, score: match.score, reasons: match.reasons ?? [], ...details[index] }));
  },
};
