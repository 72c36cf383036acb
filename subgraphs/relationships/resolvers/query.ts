import { can } from '../../../platform/auth/index.ts';
import { badInput, rangeErrorsAsBadInput } from '../../../platform/errors.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import { isId } from '../../../platform/validate.ts';
import type { Stores } from '../index.ts';
import { MAX_LIMIT, MAX_NEIGHBOURHOOD_DEPTH, type EdgeKind } from '../store.ts';
import { bounded, nodeKindOf, toApiEdge, toApiNode } from './graph.ts';

type Context = SubgraphContext<Stores>;

/** What a caller without talent:read may walk: links between public entities only. */
const PUBLIC_EDGES: readonly EdgeKind[] = ['REQUIRES'];

export const Query = {
  async talentGraph(_: unknown, args: { centerId: string; centerKind: string; depth: number; limit: number }, ctx: Context) {
    const kind = nodeKindOf(args.centerKind);
    if (!isId(args.centerId)) throw badInput('centerId must be an entity id', 'centerId');
    bounded(args.depth, 0, MAX_NEIGHBOURHOOD_DEPTH, 'depth');
    bounded(args.limit, 1, MAX_LIMIT, 'limit');
    const mayReadTalents = can(ctx.viewer, 'talent:read');
    // A guest may not learn that a talent exists, let alone walk from one.
    if (kind === 'Talent' && !mayReadTalents) return null;
    const graph = await rangeErrorsAsBadInput(() =>
      ctx.stores.graph.neighbourhood(kind, args.centerId, args.depth, args.limit, mayReadTalents ? undefined : PUBLIC_EDGES),
    );
    if (!graph) return null;
    const nodes = graph.nodes.map(toApiNode);
    return { center: nodes[0], nodes, edges: graph.edges.map(toApiEdge), truncated: graph.truncated };
  },
};
