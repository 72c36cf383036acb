import { badInput } from '../../../platform/errors.ts';
import { toConnection, toPage, type PageArgs } from '../../../platform/pagination.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import type { Stores } from '../index.ts';
import type { SkillFilter, SkillOrder } from '../store.ts';
import { lookupKey } from '../validation.ts';
import { loadSkill, loadSkillByKey } from './skill.ts';

type Context = SubgraphContext<Stores>;

const MAX_NAMES = 500;

export const Query = {
  skill: (_: unknown, args: { id: string }, ctx: Context) => loadSkill(ctx, args.id),

  async skills(_: unknown, args: PageArgs & { filter?: SkillFilter | null; orderBy?: SkillOrder | null }, ctx: Context) {
    const page = toPage(args);
    const order: SkillOrder = { field: args.orderBy?.field ?? 'NAME', direction: args.orderBy?.direction ?? 'ASC' };
    const { rows, totalCount } = await ctx.stores.skills.list(args.filter ?? {}, order, page);
    return toConnection(rows, totalCount, page);
  },

  normalizeSkill: (_: unknown, args: { name: string }, ctx: Context) => loadSkillByKey(ctx, lookupKey(args.name, 'name')),

  /** Every name goes through the same loader, so the whole list is one query. */
  normalizeSkills(_: unknown, args: { names: string[] }, ctx: Context) {
    if (args.names.length > MAX_NAMES) throw badInput(`names may hold at most ${MAX_NAMES} entries`, 'names');
    const keys = args.names.map((name, index) => lookupKey(name, `names[${index}]`));
    return Promise.all(keys.map((key) => loadSkillByKey(ctx, key)));
  },
};
