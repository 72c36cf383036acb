import { readFileSync } from 'node:fs';
import type { Operation } from '../operations.ts';

/** The two talents a graph-path round asks about: fixed per dataset, so rounds compare. */
export interface PathEnds {
  from: string;
  to: string;
}

export const GRAPH_PATH = 'graph path';

const GRAPH_PATH_QUERY = readFileSync(new URL('./GraphPath.graphql', import.meta.url), 'utf8');

/** `Talent.pathTo` between two fixed talents: a bidirectional breadth-first search over the graph. */
export function graphPathOperation(ends: PathEnds): Operation {
  return {
    name: GRAPH_PATH,
    kind: 'query',
    senders: 'admin',
    variants: 1,
    description: "Talent.pathTo between two fixed talents (the shortest path over every kind of link, at most 6 long), with the path's nodes and edges",
    steps: [{ query: GRAPH_PATH_QUERY, variables: () => ({ from: ends.from, to: ends.to }) }],
  };
}
