import { toConnection, toPage, type PageArgs } from '../../../platform/pagination.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import { isId } from '../../../platform/validate.ts';
import type { Stores } from '../index.ts';
import { bounded, loadFor, talentRef } from './graph.ts';

type Context = SubgraphContext<Stores>;
type Ref = { id: string };

const reference = (ref: { id?: unknown }) => (isId(ref.id) ? { id: ref.id } : null);

/** Company is owned by the companies subgraph; this one adds who worked there. */
export const Company = {
  __resolveReference: reference,
  async alumni(company: Ref, args: PageArgs, ctx: Context) {
    const page = toPage(args);
    const { rows, totalCount } = await loadFor(ctx, `Company.alumni:${JSON.stringify(page)}`, company.id, (ids) => ctx.stores.graph.alumni(ids, page));
    const connection = toConnection(rows, totalCount, page);
    return {
      ...connection,
      edges: connection.edges.map(({ cursor, node }) => ({
        cursor,
        node: talentRef(node.talent),
        title: node.title,
        startDate: node.from,
        endDate: node.to,
        current: node.current,
      })),
    };
  },
};

/** Skill is owned by the skills subgraph; this one adds who has it. */
export const Skill = {
  __resolveReference: reference,
  async experts(skill: Ref, args: { first: number }, ctx: Context) {
    const first = bounded(args.first, 1, 100, 'first');
    const rows = await loadFor(ctx, `Skill.experts:${first}`, skill.id, (ids) => ctx.stores.graph.experts(ids, first));
    return rows.map((row) => ({ talent: talentRef(row.talent), level: row.level, years: row.years, endorsements: row.endorsements }));
  },
};

export const GraphEntity = {
  __resolveType: (entity: { __typename: string }) => entity.__typename,
};
