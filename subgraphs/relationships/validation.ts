import { isId } from '../../platform/validate.ts';
import {
  EDGE_ENDPOINTS,
  MAX_LIMIT,
  NODE_KINDS,
  type EdgeInput,
  type EdgeKind,
  type EdgeProperties,
  type GraphNode,
  type NodeKind,
} from './store.ts';

/**
 * Argument checks shared by every GraphStore backend. They throw RangeError (mapped to
 * BAD_USER_INPUT by the resolvers) so a bad argument fails the same way on each backend.
 */

const DATE = /^(\d{4})-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?$/;

/** Lower-cased so ids compare the same in JS and in the database (KNOWS canonical order). */
export function checkId(id: string, field = 'id'): string {
  if (!isId(id)) throw new RangeError(`${field} must be a UUID`);
  return id.toLowerCase();
}

/** The ids of one batched read, each checked and lower-cased; at most MAX_LIMIT, so one call stays bounded. */
export function checkIds(ids: readonly string[], field: string): string[] {
  if (ids.length > MAX_LIMIT) throw new RangeError(`${field} takes at most ${MAX_LIMIT} ids`);
  return ids.map((id) => checkId(id, field));
}

export function checkNodeKind(kind: string): NodeKind {
  if (!NODE_KINDS.includes(kind as NodeKind)) throw new RangeError(`Unknown node kind: ${kind}`);
  return kind as NodeKind;
}

export function checkEdgeKind(kind: string): EdgeKind {
  if (!(kind in EDGE_ENDPOINTS)) throw new RangeError(`Unknown edge kind: ${kind}`);
  return kind as EdgeKind;
}

/** undefined (every kind) stays undefined; otherwise the distinct checked kinds, sorted. */
export function checkEdgeKinds(kinds: readonly string[] | undefined): EdgeKind[] | undefined {
  if (kinds === undefined) return undefined;
  return [...new Set(kinds.map(checkEdgeKind))].sort();
}

export function checkInteger(value: number, min: number, max: number, field: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${field} must be an integer from ${min} to ${max}`);
  }
  return value;
}

export const checkLimit = (value: number, field = 'limit', min = 0): number => checkInteger(value, min, MAX_LIMIT, field);

/** 'YYYY-MM' or 'YYYY-MM-DD' → months since year 0 (the day does not count). */
export function monthIndex(date: string): number {
  const match = DATE.exec(date);
  if (!match) throw new RangeError(`Dates must be 'YYYY-MM' or 'YYYY-MM-DD', got '${date}'`);
  return Number(match[1]) * 12 + Number(match[2]) - 1;
}

export function currentMonthIndex(now: Date): number {
  return now.getUTCFullYear() * 12 + now.getUTCMonth();
}

function checkProperties(kind: EdgeKind, properties: EdgeProperties): EdgeProperties {
  for (const [key, value] of Object.entries(properties)) {
    if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
      throw new RangeError(`Edge property ${key} must be a string, number, boolean or null`);
    }
  }
  if (kind === 'WORKED_AT') {
    const { from, to } = properties;
    if (typeof from !== 'string') throw new RangeError('WORKED_AT needs a `from` date');
    const start = monthIndex(from);
    if (to != null) {
      if (typeof to !== 'string' || monthIndex(to) < start) throw new RangeError('WORKED_AT `to` must be a date not before `from`');
    }
  }
  if (kind === 'HAS_SKILL') {
    // The experts ranking sorts on it as a number on every backend.
    const { endorsements } = properties;
    if (endorsements != null && (typeof endorsements !== 'number' || !Number.isInteger(endorsements) || endorsements < 0)) {
      throw new RangeError('HAS_SKILL `endorsements` must be an integer of 0 or more');
    }
  }
  return properties;
}

/** A checked edge with its endpoint kinds filled in and KNOWS put in canonical order (from < to). */
export interface CheckedEdge {
  kind: EdgeKind;
  fromKind: NodeKind;
  fromId: string;
  toKind: NodeKind;
  toId: string;
  properties: EdgeProperties;
}

export function checkEdge(edge: EdgeInput): CheckedEdge {
  return { ...checkEdgeEnds(edge.kind, edge.fromId, edge.toId), properties: checkProperties(edge.kind, edge.properties ?? {}) };
}

/** Checked edges, each edge once: the last of a repeated one stands, as if written one after another (one statement cannot write a row twice). */
export function checkEdgesOnce(edges: readonly EdgeInput[]): CheckedEdge[] {
  const byKey = new Map<string, CheckedEdge>();
  for (const edge of edges) {
    const checked = checkEdge(edge);
    byKey.set(`${checked.kind}:${checked.fromId}:${checked.toId}`, checked);
  }
  return [...byKey.values()];
}

/** Checked nodes, each node once: the last label of a repeated one stands. */
export function checkNodesOnce(nodes: readonly GraphNode[]): GraphNode[] {
  const byKey = new Map<string, GraphNode>();
  for (const node of nodes) {
    const checked = { kind: checkNodeKind(node.kind), id: checkId(node.id), label: node.label ?? null };
    byKey.set(`${checked.kind}:${checked.id}`, checked);
  }
  return [...byKey.values()];
}

/** Which edge an edge key names, without properties (removing one needs no dates). */
export function checkEdgeEnds(edgeKind: EdgeKind, fromId: string, toId: string): Omit<CheckedEdge, 'properties'> {
  const kind = checkEdgeKind(edgeKind);
  let from = checkId(fromId, 'fromId');
  let to = checkId(toId, 'toId');
  if (kind === 'KNOWS') {
    if (from === to) throw new RangeError('A talent cannot KNOW themself');
    if (from > to) [from, to] = [to, from];
  }
  const ends = EDGE_ENDPOINTS[kind];
  return { kind, fromKind: ends.from, fromId: from, toKind: ends.to, toId: to };
}
