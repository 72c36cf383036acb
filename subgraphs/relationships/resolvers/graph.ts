import { badInput, rangeErrorsAsBadInput } from '../../../platform/errors.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import { MAX_LIMIT, type GraphEdge, type GraphNode, type GraphPath, type NodeKind } from '../store.ts';

/** How the graph's nodes and edges look in the API (GraphNode, GraphEdge, GraphPath). */

const KIND_NAMES: Record<NodeKind, string> = { Talent: 'TALENT', Company: 'COMPANY', Skill: 'SKILL', Project: 'PROJECT', Job: 'JOB' };
const KINDS_BY_NAME = new Map(Object.entries(KIND_NAMES).map(([kind, name]) => [name, kind as NodeKind]));

export const nodeKindOf = (name: string): NodeKind => {
  const kind = KINDS_BY_NAME.get(name);
  if (!kind) throw badInput(`Unknown node kind ${name}`, 'centerKind');
  return kind;
};

const nodeId = (kind: NodeKind, id: string) => `${KIND_NAMES[kind]}:${id}`;

export function toApiNode(node: GraphNode & { depth?: number }) {
  return {
    id: nodeId(node.kind, node.id),
    kind: KIND_NAMES[node.kind],
    entityId: node.id,
    label: node.label,
    depth: node.depth ?? null,
    // A stub the owning subgraph resolves (GraphEntity.__resolveType reads the typename).
    entity: { __typename: node.kind, id: node.id },
  };
}

const string = (value: unknown) => (typeof value === 'string' ? value : null);
const number = (value: unknown) => (typeof value === 'number' ? value : null);

export function toApiEdge(edge: GraphEdge) {
  const { properties } = edge;
  return {
    kind: edge.kind,
    source: nodeId(edge.from.kind, edge.from.id),
    target: nodeId(edge.to.kind, edge.to.id),
    title: string(properties.title),
    startDate: string(properties.from),
    endDate: string(properties.to),
    level: string(properties.level),
    years: number(properties.years),
    endorsements: number(properties.endorsements),
    strength: number(properties.strength),
    role: string(properties.role),
  };
}

export const toApiPath = (path: GraphPath) => ({ length: path.edges.length, nodes: path.nodes.map(toApiNode), edges: path.edges.map(toApiEdge) });

export const talentRef = (node: { id: string }) => ({ __typename: 'Talent', id: node.id });


/** An integer argument between `min` and `max`, or BAD_USER_INPUT naming it. */
export function bounded(value: number, min: number, max: number, field: string): number {
  if (!Number.isInteger(value) || value < min || value > max) throw badInput(`${field} must be an integer from ${min} to ${max}`, field);
  return value;
}

/**
 * One parent's share of a store read made once for every parent in the request. `name` must
 * hold the arguments: a loader is per request and per argument set, and parents asking with
 * other arguments need a batch of their own. The store takes at most MAX_LIMIT ids per call.
 */
export function loadFor<T>(ctx: SubgraphContext<unknown>, name: string, parentId: string, read: (ids: string[]) => Promise<T[]>): Promise<T> {
  const loader = ctx.loaders.get<string, T>(name, async (ids) => {
    const answers: T[] = [];
    for (let start = 0; start < ids.length; start += MAX_LIMIT) {
      answers.push(...(await rangeErrorsAsBadInput(() => read(ids.slice(start, start + MAX_LIMIT)))));
    }
    return answers;
  });
  // Lower-cased as the store answers, so one id in two spellings is one key.
  return loader.load(parentId.toLowerCase());
}
