import { alignByKey, groupByKey } from '../../../platform/loaders.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import { isId } from '../../../platform/validate.ts';
import type { Stores } from '../index.ts';
import type { Resume as ResumeRecord, Talent as TalentRecord } from '../store.ts';

type Context = SubgraphContext<Stores>;

const talentById = (ctx: Context) =>
  ctx.loaders.get<string, TalentRecord | null>('talentById', async (ids) => alignByKey(ids, await ctx.stores.talents.getMany(ids), (t) => t.id));

/** Batches every talent lookup in one request into one query. */
export async function loadTalent(ctx: Context, id: unknown): Promise<TalentRecord | null> {
  // A malformed id (or a non-string one) in a representation must not break the whole batch's uuid cast.
  if (typeof id !== 'string' || !isId(id)) return null;
  return talentById(ctx).load(id.toLowerCase());
}

/** Talents a list query already fetched, so `Resume.talent` below them costs no statement. */
export function primeTalents(ctx: Context, talents: readonly TalentRecord[]): void {
  const loader = talentById(ctx);
  for (const talent of talents) loader.prime(talent.id, talent);
}

/** The profile linked to an account, batched across users. */
export async function loadTalentByUser(ctx: Context, userId: unknown): Promise<TalentRecord | null> {
  if (typeof userId !== 'string' || !isId(userId)) return null;
  return ctx.loaders
    .get<string, TalentRecord | null>('talentByUser', async (userIds) =>
      alignByKey(userIds, await ctx.stores.talents.getManyByUser(userIds), (t) => t.userId),
    )
    .load(userId.toLowerCase());
}

function loadResumes(ctx: Context, talentId: string): Promise<ResumeRecord[]> {
  return ctx.loaders
    .get<string, ResumeRecord[]>('resumesByTalent', async (talentIds) =>
      groupByKey(talentIds, await ctx.stores.resumes.listByTalents(talentIds), (r) => r.talentId),
    )
    .load(talentId);
}

const userReference = (id: string | null) => (id ? { id } : null);

export const Talent = {
  __resolveReference: (reference: { id?: unknown }, ctx: Context) => loadTalent(ctx, reference.id),
  owner: (talent: TalentRecord) => userReference(talent.ownerId),
  user: (talent: TalentRecord) => userReference(talent.userId),
  resumes: (talent: TalentRecord, _: unknown, ctx: Context) => loadResumes(ctx, talent.id),
};
