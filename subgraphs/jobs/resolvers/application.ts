import { alignByKey } from '../../../platform/loaders.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import { isId } from '../../../platform/validate.ts';
import type { Stores } from '../index.ts';
import type { Application as ApplicationRecord } from '../store.ts';
import { loadJob } from './job.ts';

type Context = SubgraphContext<Stores>;

/** Batches every application lookup in one request into one query; a malformed (or non-string) id is simply not found. */
export function loadApplication(ctx: Context, id: unknown): Promise<ApplicationRecord | null> {
  if (typeof id !== 'string' || !isId(id)) return Promise.resolve(null);
  return ctx.loaders
    .get<string, ApplicationRecord | null>('applicationById', async (ids) =>
      alignByKey(ids, await ctx.stores.applications.getMany(ids), (application) => application.id),
    )
    .load(id.toLowerCase());
}

export const Application = {
  __resolveReference: (reference: { id?: unknown }, ctx: Context) => loadApplication(ctx, reference.id),
  talent: (application: ApplicationRecord) => ({ id: application.talentId }),
  job: (application: ApplicationRecord, _: unknown, ctx: Context) => loadJob(ctx, application.jobId),
  history: (application: ApplicationRecord) =>
    application.history.map(({ byUserId, ...change }) => ({ ...change, by: byUserId ? { id: byUserId } : null })),
};
