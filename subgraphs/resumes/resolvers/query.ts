import { toConnection, toPage, type PageArgs } from '../../../platform/pagination.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import { id, optionalText, tags } from '../../../platform/validate.ts';
import type { Stores } from '../index.ts';
import type { TalentFilter, TalentOrder } from '../store.ts';
import { loadResume, loadVersion } from './resume.ts';
import { loadTalent, primeTalents } from './talent.ts';

type Context = SubgraphContext<Stores>;

/** Filters are checked like mutation input: a malformed id or text is the client's mistake. */
function talentFilter(filter: TalentFilter | null | undefined): TalentFilter {
  if (!filter) return {};
  return {
    search: optionalText(filter.search, 'filter.search', 200),
    tags: filter.tags ? tags(filter.tags, 'filter.tags') : null,
    ownerId: filter.ownerId == null ? null : id(filter.ownerId, 'filter.ownerId'),
    country: optionalText(filter.country, 'filter.country', 100),
    skillId: filter.skillId == null ? null : id(filter.skillId, 'filter.skillId'),
  };
}

export const Query = {
  talent: (_: unknown, args: { id: string }, ctx: Context) => loadTalent(ctx, args.id),

  async talents(_: unknown, args: PageArgs & { filter?: TalentFilter | null; orderBy?: TalentOrder | null }, ctx: Context) {
    const page = toPage(args);
    const order: TalentOrder = { field: args.orderBy?.field ?? 'NAME', direction: args.orderBy?.direction ?? 'ASC' };
    const { rows, totalCount } = await ctx.stores.talents.list(talentFilter(args.filter), order, page);
    primeTalents(ctx, rows);
    return toConnection(rows, totalCount, page);
  },

  resume: (_: unknown, args: { id: string }, ctx: Context) => loadResume(ctx, args.id),

  resumeVersion: (_: unknown, args: { resumeId: string; version: number }, ctx: Context) =>
    loadVersion(ctx, args.resumeId, args.version),
};
