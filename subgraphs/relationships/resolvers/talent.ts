import { toConnection, toPage, type PageArgs } from '../../../platform/pagination.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import { isId } from '../../../platform/validate.ts';
import { badInput, rangeErrorsAsBadInput } from '../../../platform/errors.ts';
import type { Stores } from '../index.ts';
import { MAX_PATH_DEPTH, MAX_PATH_SEARCHES_PER_REQUEST } from '../store.ts';
import { bounded, loadFor, talentRef, toApiPath } from './graph.ts';

type Context = SubgraphContext<Stores>;
type TalentRef = { id: string };

/** pathTo searches started per request, keyed by its context: one object per request, gone with it. */
const pathSearches = new WeakMap<Context, number>();

/** Counts one more pathTo search against the request's budget, or refuses it beyond the budget. */
function spendPathSearch(ctx: Context): void {
  const spent = pathSearches.get(ctx) ?? 0;
  if (spent >= MAX_PATH_SEARCHES_PER_REQUEST) {
    throw badInput(`pathTo is limited to ${MAX_PATH_SEARCHES_PER_REQUEST} searches per request`);
  }
  pathSearches.set(ctx, spent + 1);
}

/** Talent is owned by the resumes subgraph; any well-formed id may have a place in the graph. */
export const Talent = {
  __resolveReference: (reference: { id?: unknown }) => (isId(reference.id) ? { id: reference.id } : null),

  async connections(talent: TalentRef, args: PageArgs, ctx: Context) {
    const page = toPage(args);
    const { rows, totalCount } = await loadFor(ctx, `Talent.connections:${JSON.stringify(page)}`, talent.id, (ids) =>
      ctx.stores.graph.connections(ids, page),
    );
    const connection = toConnection(rows, totalCount, page);
    return { ...connection, edges: connection.edges.map(({ cursor, node }) => ({ cursor, node: talentRef(node.talent), strength: node.strength })) };
  },

  async colleagues(talent: TalentRef, args: { first: number }, ctx: Context) {
    const first = bounded(args.first, 1, 100, 'first');
    const rows = await loadFor(ctx, `Talent.colleagues:${first}`, talent.id, (ids) => ctx.stores.graph.colleagues(ids, first));
    return rows.map((row) => ({ talent: talentRef(row.talent), company: { id: row.company.id }, overlapMonths: row.overlapMonths }));
  },

  colleagueCount(talent: TalentRef, _args: unknown, ctx: Context): Promise<number> {
    return loadFor(ctx, 'Talent.colleagueCount', talent.id, (ids) => ctx.stores.graph.colleagueCounts(ids));
  },

  async pathTo(talent: TalentRef, args: { talentId: string; maxDepth: number }, ctx: Context) {
    if (!isId(args.talentId)) throw badInput('talentId must be a talent id', 'talentId');
    bounded(args.maxDepth, 1, MAX_PATH_DEPTH, 'maxDepth');
    // Before the first await: fields spend the budget in query order, so the first ones answer.
    spendPathSearch(ctx);
    const path = await rangeErrorsAsBadInput(() => ctx.stores.graph.shortestPath(talent.id, args.talentId, args.maxDepth));
    return path && toApiPath(path);
  },
};
