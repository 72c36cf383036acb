import type { Queryable } from '../../platform/db/db.ts';
import type { Page } from '../../platform/pagination.ts';

/**
 * The talent graph, independent of the database behind it: the embedded backend
 * (store.postgres.ts, recursive SQL) and a Neo4j backend satisfy the same contract
 * (test/store.contract.ts). Arguments beyond the limits below throw a RangeError, which the
 * resolvers map to BAD_USER_INPUT, so a traversal never turns into a slow query.
 */

export type NodeKind = 'Talent' | 'Company' | 'Skill' | 'Project' | 'Job';
export type EdgeKind = 'WORKED_AT' | 'HAS_SKILL' | 'KNOWS' | 'MEMBER_OF' | 'REQUIRES';
export type SkillLevel = 'BEGINNER' | 'INTERMEDIATE' | 'ADVANCED' | 'EXPERT';

export const NODE_KINDS: readonly NodeKind[] = ['Talent', 'Company', 'Skill', 'Project', 'Job'];

/** Each edge kind joins one kind of node to one other: the kinds follow from the edge kind. */
export const EDGE_ENDPOINTS: Readonly<Record<EdgeKind, { from: NodeKind; to: NodeKind }>> = {
  WORKED_AT: { from: 'Talent', to: 'Company' },
  HAS_SKILL: { from: 'Talent', to: 'Skill' },
  KNOWS: { from: 'Talent', to: 'Talent' },
  MEMBER_OF: { from: 'Talent', to: 'Project' },
  REQUIRES: { from: 'Job', to: 'Skill' },
};

export const MAX_PATH_DEPTH = 6;
/**
 * The most `Talent.pathTo` searches one GraphQL request runs (aliases and list items count
 * alike); beyond it the field answers BAD_USER_INPUT. Each search is a traversal up to
 * MAX_PATH_DEPTH, so a request asking for hundreds must not get them all.
 */
export const MAX_PATH_SEARCHES_PER_REQUEST = 10;
export const MAX_NEIGHBOURHOOD_DEPTH = 3;
/** The most rows (nodes, people, page entries) any one read returns, and the most ids one read takes. */
export const MAX_LIMIT = 500;
/** Rows per statement of a bulk write (upsertNodes, upsertEdges): many thousands go in a few statements, none huge. */
export const BULK_ROWS = 1000;

/** `items` in slices of at most `size`, in order. */
export function* chunked<T>(items: readonly T[], size = BULK_ROWS): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

export interface NodeRef {
  kind: NodeKind;
  id: string;
}

/** `label` is null for a placeholder node created by an edge that arrived before its owner's event. */
export interface GraphNode extends NodeRef {
  label: string | null;
}

/** Flat scalar properties only, so an edge maps onto a Neo4j relationship as it is. */
export type EdgeProperties = Record<string, string | number | boolean | null>;

/**
 * Conventional properties per kind (validated by the store where it relies on them):
 * - WORKED_AT: `from` ('YYYY-MM' or 'YYYY-MM-DD', required), `to` (same, null = current), `title`
 * - HAS_SKILL: `level` (SkillLevel), `years` (number), `endorsements` (integer ≥ 0, absent = 0)
 * - KNOWS: `strength` (number, 0..1)
 * - MEMBER_OF: `role`; REQUIRES: `level`
 */
export interface GraphEdge {
  kind: EdgeKind;
  from: NodeRef;
  to: NodeRef;
  properties: EdgeProperties;
}

/** An edge to write; the endpoint kinds follow from `kind` (EDGE_ENDPOINTS). */
export interface EdgeInput {
  kind: EdgeKind;
  fromId: string;
  toId: string;
  properties?: EdgeProperties;
}

export interface EdgeTarget {
  toId: string;
  properties?: EdgeProperties;
}

export interface Connection {
  talent: GraphNode;
  strength: number | null;
}

export interface Colleague {
  talent: GraphNode;
  company: GraphNode;
  /** Calendar months both worked there, counting both the first and the last shared month. */
  overlapMonths: number;
}

export interface Alumnus {
  talent: GraphNode;
  title: string | null;
  from: string;
  to: string | null;
  current: boolean;
}

export interface Expert {
  talent: GraphNode;
  level: SkillLevel | null;
  years: number | null;
  /** The HAS_SKILL edge's `endorsements`, 0 when absent. */
  endorsements: number;
}

/** One parent's page of a list and the size of the whole list. */
export interface PageOf<T> {
  rows: T[];
  totalCount: number;
}

export interface GraphPath {
  /** From the start talent to the target, in order; `edges[i]` joins `nodes[i]` and `nodes[i + 1]`. */
  nodes: GraphNode[];
  /** Each edge as stored (its own direction), whichever way the path crossed it. */
  edges: GraphEdge[];
}

export interface Neighbourhood {
  /** The center first, then by distance; `depth` is the hop count from the center. */
  nodes: (GraphNode & { depth: number })[];
  /** Every edge between two of the returned nodes. */
  edges: GraphEdge[];
  /** True when `limit` cut nodes (or the edge cap cut edges) off. */
  truncated: boolean;
}

export interface GraphStore {
  /**
   * The store to write through inside an event consumer's transaction: the PostgreSQL store
   * runs its statements in `tx`, so the graph change and the inbox mark commit together; other
   * backends return themselves (their writes are idempotent upserts/replacements, so an event
   * replayed after a crash repairs them).
   */
  within(tx: Queryable): GraphStore;
  /** Removes every node and edge (a rebuild starts from an empty graph). */
  clear(): Promise<void>;
  /** Creates the node or updates its label. */
  upsertNode(node: GraphNode): Promise<void>;
  /** upsertNode for many nodes in a few statements (a rebuild); of a node given twice, the last label stands. */
  upsertNodes(nodes: readonly GraphNode[]): Promise<void>;
  /** Removes the node and every edge touching it; false when it did not exist. */
  removeNode(node: NodeRef): Promise<boolean>;
  /** Creates the edge (and placeholder endpoints) or replaces its properties. KNOWS is symmetric. */
  upsertEdge(edge: EdgeInput): Promise<void>;
  /**
   * upsertEdge for many edges in a few statements (a rebuild); of an edge given twice, the last
   * properties stand. Every edge is checked before any is written. Atomic on PostgreSQL; on Neo4j
   * each statement commits on its own (as its other writes, a retry repairs a partial one).
   */
  upsertEdges(edges: readonly EdgeInput[]): Promise<void>;
  removeEdge(kind: EdgeKind, fromId: string, toId: string): Promise<boolean>;
  /**
   * Makes `edges` the complete set of `edgeKind` edges leaving the node (for KNOWS: touching
   * the talent), atomically. Idempotent: replaying it changes nothing.
   */
  replaceEdgesFrom(fromKind: NodeKind, fromId: string, edgeKind: EdgeKind, edges: readonly EdgeTarget[]): Promise<void>;

  /*
   * The lists hanging off an entity take many ids and answer one result per id, in input order
   * (an id may repeat; an unknown one gets an empty result), in one statement or query per call:
   * a page of parents costs what one parent does. At most MAX_LIMIT ids per call.
   */
  /** KNOWS neighbours of each talent, strongest first. */
  connections(talentIds: readonly string[], page: Page): Promise<PageOf<Connection>[]>;
  /** Talents whose WORKED_AT stints at a same company overlapped each talent's, longest overlap first. */
  colleagues(talentIds: readonly string[], limit?: number): Promise<Colleague[][]>;
  /**
   * How many distinct talents `colleagues` would list for each talent, however many companies
   * they shared (an unknown id, or nobody overlapping: 0).
   */
  colleagueCounts(talentIds: readonly string[]): Promise<number[]>;
  /** Everyone who worked at each company (current staff included, flagged), current and latest first. */
  alumni(companyIds: readonly string[], page: Page): Promise<PageOf<Alumnus>[]>;
  /** Talents with each skill, by level (EXPERT first), then endorsements, then years. */
  experts(skillIds: readonly string[], first: number): Promise<Expert[][]>;

  /** Shortest path over all edges taken as undirected, at most `maxDepth` (1..6) edges; null if none. */
  shortestPath(fromTalentId: string, toTalentId: string, maxDepth: number): Promise<GraphPath | null>;
  /**
   * The nodes within `depth` (0..3) hops of the center, closest first, at most `limit` (1..500);
   * null if no such node. `edgeKinds` (undefined = all) restricts both the walk and the returned
   * edges, so a node reachable only over other kinds is not revealed.
   */
  neighbourhood(
    centerKind: NodeKind,
    centerId: string,
    depth: number,
    limit: number,
    edgeKinds?: readonly EdgeKind[],
  ): Promise<Neighbourhood | null>;
}
