import neo4j, { type AuthToken, type Driver, type ManagedTransaction } from 'neo4j-driver';
import type { Queryable } from '../../platform/db/db.ts';
import type { Page } from '../../platform/pagination.ts';
import {
  EDGE_ENDPOINTS,
  MAX_NEIGHBOURHOOD_DEPTH,
  MAX_PATH_DEPTH,
  NODE_KINDS,
  type Alumnus,
  type Colleague,
  type Connection,
  type EdgeInput,
  type EdgeKind,
  type EdgeProperties,
  type EdgeTarget,
  type Expert,
  type GraphEdge,
  type GraphNode,
  type GraphPath,
  type GraphStore,
  type Neighbourhood,
  type NodeKind,
  type NodeRef,
  type PageOf,
  type SkillLevel,
  chunked,
} from './store.ts';
import {
  checkEdgeEnds,
  checkEdgeKind,
  checkEdgeKinds,
  checkEdgesOnce,
  checkId,
  checkIds,
  checkInteger,
  checkLimit,
  checkNodeKind,
  checkNodesOnce,
  currentMonthIndex,
  type CheckedEdge,
} from './validation.ts';

/**
 * GraphStore on Neo4j: node labels are the kinds, each node has a lower-case uuid `id` (unique
 * per label) and a `label`; relationship types are the edge kinds, carrying the edge properties.
 * Values always travel as parameters; the only text put into Cypher is a kind (checked against
 * NODE_KINDS / EDGE_ENDPOINTS first) or a checked integer bound.
 *
 * Neo4j cannot store a null property, yet edges carry nulls that matter (WORKED_AT `to: null` =
 * current). Their keys are kept in the list property NULLS and restored on read.
 */

/** Edges drawn for a neighbourhood, at most (as store.postgres.ts). */
const MAX_NEIGHBOURHOOD_EDGES = 2000;
const NULLS = '__nulls';

export interface Neo4jGraphStoreOptions {
  /** Omitted = no auth (scheme none, as the test server wants). */
  auth?: AuthToken;
  /** `now` decides where a current (`to` null) stint ends; tests pin it. */
  now?: () => Date;
  /** Milliseconds to wait for a connection (default 5000). */
  connectionTimeout?: number;
}

interface EdgeRecord {
  kind: EdgeKind;
  fromKind: NodeKind;
  fromId: string;
  toKind: NodeKind;
  toId: string;
  properties: Record<string, unknown>;
}

/** Cypher map projection of relationship `r` into an EdgeRecord. */
const EDGE_MAP = (r: string) =>
  `{kind: type(${r}), fromKind: labels(startNode(${r}))[0], fromId: startNode(${r}).id,
    toKind: labels(endNode(${r}))[0], toId: endNode(${r}).id, properties: properties(${r})}`;

const NODE_MAP = (n: string) => `{kind: labels(${n})[0], id: ${n}.id, label: ${n}.label}`;

const LEVEL_RANK = `CASE e.level WHEN 'EXPERT' THEN 4 WHEN 'ADVANCED' THEN 3 WHEN 'INTERMEDIATE' THEN 2 WHEN 'BEGINNER' THEN 1 ELSE 0 END`;

/** Cypher for months since year 0 of a 'YYYY-MM[-DD]' string (null stays null); validation.monthIndex in Cypher. */
const MONTH_OF = (text: string) => `(toInteger(split(${text}, '-')[0]) * 12 + toInteger(split(${text}, '-')[1]) - 1)`;

/**
 * Cypher from `$ids` (distinct talent ids) and `$current` (this month's index) to rows `id, t, c,
 * overlapMonths`: each other talent `t` whose stint at company `c` overlapped talent `id`'s, in
 * whole calendar months, both ends counted, a current stint (no `to`) running to this month. The
 * rule of the PostgreSQL store's SHARED_STINTS; colleagues and colleagueCounts share it.
 */
const SHARED_STINTS = `UNWIND $ids AS id
  MATCH (me:Talent {id: id})-[mine:WORKED_AT]->(c:Company)<-[other:WORKED_AT]-(t:Talent)
  WHERE t <> me
  WITH id, t, c,
       ${MONTH_OF('mine.from')} AS myStart, coalesce(${MONTH_OF('mine.to')}, $current) AS myEnd,
       ${MONTH_OF('other.from')} AS theirStart, coalesce(${MONTH_OF('other.to')}, $current) AS theirEnd
  WITH id, t, c,
       CASE WHEN myEnd < theirEnd THEN myEnd ELSE theirEnd END - CASE WHEN myStart > theirStart THEN myStart ELSE theirStart END + 1
         AS overlapMonths
  WHERE overlapMonths > 0`;

/**
 * Cypher from a bound center `c` to rows `n, depth`: every other node within `hops` (1..3) over
 * relationships matching `types`, at its closest distance. A breadth-first walk: level k is the
 * distinct neighbours of level k - 1 not seen at a closer level, so the work is bounded by nodes
 * × degree, where a variable-length pattern may enumerate every path (exponential when dense).
 */
function reachLevels(hops: number, types: string): string {
  const levels = Array.from({ length: hops }, (_, index) => `level${index + 1}`);
  const steps = levels.map((level, index) => {
    const closer = levels.slice(0, index);
    const seen = ['[c]', ...closer];
    const unseen = seen.map((nodes) => `NOT n IN ${nodes}`).join(' AND ');
    return `WITH ${['c', ...closer].join(', ')}, COLLECT {
      UNWIND ${seen.at(-1)} AS m MATCH (m)-[${types}]-(n) WHERE ${unseen} RETURN DISTINCT n
    } AS ${level}`;
  });
  return `${steps.join('\n')}
    WITH [${levels.join(', ')}] AS levels
    UNWIND range(1, size(levels)) AS depth
    UNWIND levels[depth - 1] AS n`;
}

/** Driver integers (when lossless integers are on) or plain numbers → number. */
function num(value: unknown): number {
  if (neo4j.isInt(value)) return value.toNumber();
  return Number(value);
}

const numOrNull = (value: unknown): number | null => (value == null ? null : num(value));

/** Edge properties as Neo4j stores them: nulls dropped, their keys listed under NULLS. */
function toStored(properties: EdgeProperties): Record<string, string | number | boolean | string[]> {
  const stored: Record<string, string | number | boolean | string[]> = {};
  const nulls: string[] = [];
  for (const [key, value] of Object.entries(properties)) {
    if (key === NULLS) throw new RangeError(`Edge property name ${NULLS} is reserved`);
    if (value === null) nulls.push(key);
    else stored[key] = value;
  }
  if (nulls.length > 0) stored[NULLS] = nulls;
  return stored;
}

function fromStored(stored: Record<string, unknown>): EdgeProperties {
  const properties: EdgeProperties = {};
  for (const [key, value] of Object.entries(stored)) {
    if (key === NULLS) continue;
    properties[key] = neo4j.isInt(value) ? value.toNumber() : (value as string | number | boolean);
  }
  const nulls = stored[NULLS];
  if (Array.isArray(nulls)) for (const key of nulls) properties[String(key)] = null;
  return properties;
}

const toEdge = (row: EdgeRecord): GraphEdge => ({
  kind: row.kind,
  from: { kind: row.fromKind, id: row.fromId },
  to: { kind: row.toKind, id: row.toId },
  properties: fromStored(row.properties),
});

const toNode = (row: { kind: NodeKind; id: string; label: string | null }): GraphNode => ({
  kind: row.kind,
  id: row.id,
  label: row.label ?? null,
});

const talent = (id: string, label: string | null): GraphNode => ({ kind: 'Talent', id, label: label ?? null });

const int = (value: number) => neo4j.int(value);

/** Once each: UNWIND of a repeated id would merge its rows twice into the one group. */
const distinct = (ids: readonly string[]) => [...new Set(ids)];

/**
 * One result per id, in input order (repeats included), from records carrying `id`; an id
 * without a record (no such node, or nothing linked to it) gets `empty`.
 */
function perId<T>(ids: readonly string[], records: Record<string, unknown>[], empty: () => T, toResult: (record: Record<string, unknown>) => T): T[] {
  const byId = new Map(records.map((record) => [record.id as string, record]));
  return ids.map((id) => {
    const record = byId.get(id);
    return record ? toResult(record) : empty();
  });
}

export class Neo4jGraphStore implements GraphStore {
  /** `now` decides where a current (`to` null) stint ends; tests pin it (as PostgresGraphStore). */
  constructor(
    readonly driver: Driver,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Opens a driver to `url`, creates the per-label uniqueness constraints on `id`, returns the store (which owns the driver). */
  static async create(url: string, options: Neo4jGraphStoreOptions = {}): Promise<Neo4jGraphStore> {
    const driver = neo4j.driver(url, options.auth, {
      connectionTimeout: options.connectionTimeout ?? 5000,
      disableLosslessIntegers: true,
    });
    try {
      for (const kind of NODE_KINDS) {
        await driver.executeQuery(`CREATE CONSTRAINT IF NOT EXISTS FOR (n:${kind}) REQUIRE n.id IS UNIQUE`);
      }
    } catch (error) {
      await driver.close();
      throw error;
    }
    return new Neo4jGraphStore(driver, options.now);
  }

  close(): Promise<void> {
    return this.driver.close();
  }

  /** Neo4j cannot join a PostgreSQL transaction; its writes are idempotent, so a replayed event repairs them. */
  within(_tx: Queryable): GraphStore {
    return this;
  }

  /** Deletes the graph's nodes (the five kinds) and their relationships; anything else in the database stays. */
  async clear(): Promise<void> {
    await this.write((tx) => tx.run(`MATCH (n) WHERE ${NODE_KINDS.map((kind) => `n:${kind}`).join(' OR ')} DETACH DELETE n`));
  }

  private async write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.driver.session();
    try {
      return await session.executeWrite(work);
    } finally {
      await session.close();
    }
  }

  private async read(query: string, params: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    const session = this.driver.session({ defaultAccessMode: neo4j.session.READ });
    try {
      const result = await session.executeRead((tx) => tx.run(query, params));
      return result.records.map((record) => record.toObject() as Record<string, unknown>);
    } finally {
      await session.close();
    }
  }

  async upsertNode(node: GraphNode): Promise<void> {
    const kind = checkNodeKind(node.kind);
    const id = checkId(node.id);
    await this.write((tx) => tx.run(`MERGE (n:${kind} {id: $id}) SET n.label = $label`, { id, label: node.label ?? null }));
  }

  async upsertNodes(nodes: readonly GraphNode[]): Promise<void> {
    const checked = checkNodesOnce(nodes);
    // A label is a kind in Cypher, not a parameter: one statement per kind.
    for (const kind of NODE_KINDS) {
      const rows = checked.filter((node) => node.kind === kind).map(({ id, label }) => ({ id, label }));
      for (const chunk of chunked(rows)) {
        await this.write((tx) => tx.run(`UNWIND $rows AS row MERGE (n:${kind} {id: row.id}) SET n.label = row.label`, { rows: chunk }));
      }
    }
  }

  async removeNode(node: NodeRef): Promise<boolean> {
    const kind = checkNodeKind(node.kind);
    const id = checkId(node.id);
    const result = await this.write((tx) =>
      tx.run(`MATCH (n:${kind} {id: $id}) DETACH DELETE n RETURN count(*) AS removed`, { id }),
    );
    return num(result.records[0]?.get('removed') ?? 0) > 0;
  }

  upsertEdge(edge: EdgeInput): Promise<void> {
    return this.upsertEdges([edge]);
  }

  async upsertEdges(edges: readonly EdgeInput[]): Promise<void> {
    const checked = checkEdgesOnce(edges);
    // A relationship type and its end labels are Cypher, not parameters: one statement per kind.
    for (const kind of Object.keys(EDGE_ENDPOINTS) as EdgeKind[]) {
      for (const chunk of chunked(checked.filter((edge) => edge.kind === kind))) {
        await this.write((tx) => writeEdges(tx, chunk[0]!, toRows(chunk)));
      }
    }
  }

  async removeEdge(kind: EdgeKind, fromId: string, toId: string): Promise<boolean> {
    const edge = checkEdgeEnds(kind, fromId, toId);
    const result = await this.write((tx) =>
      tx.run(
        `MATCH (:${edge.fromKind} {id: $fromId})-[r:${edge.kind}]->(:${edge.toKind} {id: $toId}) DELETE r RETURN count(*) AS removed`,
        { fromId: edge.fromId, toId: edge.toId },
      ),
    );
    return num(result.records[0]?.get('removed') ?? 0) > 0;
  }

  async replaceEdgesFrom(fromKind: NodeKind, fromId: string, edgeKind: EdgeKind, edges: readonly EdgeTarget[]): Promise<void> {
    const kind = checkEdgeKind(edgeKind);
    const id = checkId(fromId, 'fromId');
    if (checkNodeKind(fromKind) !== EDGE_ENDPOINTS[kind].from) throw new RangeError(`${kind} edges do not start at a ${fromKind}`);
    const checkedEdges = checkEdgesOnce(edges.map((target) => ({ kind, fromId: id, toId: target.toId, properties: target.properties })));
    const rows = toRows(checkedEdges);
    await this.write(async (tx) => {
      // KNOWS is stored once per pair in either direction: drop the pairs touching the talent.
      const pattern = kind === 'KNOWS' ? `(:Talent {id: $id})-[r:KNOWS]-()` : `(:${fromKind} {id: $id})-[r:${kind}]->()`;
      await tx.run(`MATCH ${pattern} DELETE r`, { id });
      if (checkedEdges.length > 0) await writeEdges(tx, checkedEdges[0]!, rows);
    });
  }

  async connections(talentIds: readonly string[], page: Page): Promise<PageOf<Connection>[]> {
    const ids = checkIds(talentIds, 'talentIds');
    checkLimit(page.limit);
    if (ids.length === 0) return [];
    const found = await this.read(
      `UNWIND $ids AS id
       MATCH (:Talent {id: id})-[r:KNOWS]-(n:Talent)
       WITH id, n, r.strength AS strength
       ORDER BY strength IS NULL, strength DESC, n.id
       WITH id, collect({id: n.id, label: n.label, strength: strength}) AS found
       RETURN id, size(found) AS total, found[$offset..($offset + $limit)] AS rows`,
      { ids: distinct(ids), offset: int(page.offset), limit: int(page.limit) },
    );
    return perId(ids, found, () => ({ rows: [], totalCount: 0 }), (row) => ({
      rows: (row.rows as { id: string; label: string | null; strength: unknown }[]).map((r) => ({
        talent: talent(r.id, r.label),
        strength: numOrNull(r.strength),
      })),
      totalCount: num(row.total),
    }));
  }

  async colleagues(talentIds: readonly string[], limit = 100): Promise<Colleague[][]> {
    const ids = checkIds(talentIds, 'talentIds');
    checkLimit(limit);
    if (ids.length === 0) return [];
    // Ranked and cut per talent in Cypher, in the PostgreSQL store's order, so only the page travels.
    const found = await this.read(
      `${SHARED_STINTS}
       WITH id, t, c, overlapMonths
       ORDER BY overlapMonths DESC, t.id, c.id
       WITH id, collect({talentId: t.id, talentLabel: t.label, companyId: c.id, companyLabel: c.label, overlapMonths: overlapMonths}) AS found
       RETURN id, found[..$limit] AS rows`,
      { ids: distinct(ids), current: int(currentMonthIndex(this.now())), limit: int(limit) },
    );
    type Row = { talentId: string; talentLabel: string | null; companyId: string; companyLabel: string | null; overlapMonths: unknown };
    return perId(ids, found, () => [], (record) =>
      (record.rows as Row[]).map((row) => ({
        talent: talent(row.talentId, row.talentLabel),
        company: { kind: 'Company', id: row.companyId, label: row.companyLabel ?? null },
        overlapMonths: num(row.overlapMonths),
      })),
    );
  }

  async colleagueCounts(talentIds: readonly string[]): Promise<number[]> {
    const ids = checkIds(talentIds, 'talentIds');
    if (ids.length === 0) return [];
    const found = await this.read(`${SHARED_STINTS} RETURN id, count(DISTINCT t) AS count`, {
      ids: distinct(ids),
      current: int(currentMonthIndex(this.now())),
    });
    return perId(ids, found, () => 0, (row) => num(row.count));
  }

  async shortestPath(fromTalentId: string, toTalentId: string, maxDepth: number): Promise<GraphPath | null> {
    const fromId = checkId(fromTalentId, 'fromTalentId');
    const toId = checkId(toTalentId, 'toTalentId');
    const depth = checkInteger(maxDepth, 1, MAX_PATH_DEPTH, 'maxDepth');
    const ends = await this.read(`MATCH (n:Talent) WHERE n.id IN $ids RETURN n.id AS id, n.label AS label`, {
      ids: [fromId, toId],
    });
    if (ends.length < new Set([fromId, toId]).size) return null;
    if (fromId === toId) return { nodes: [talent(ends[0]!.id as string, ends[0]!.label as string | null)], edges: [] };
    const [found] = await this.read(
      `MATCH (a:Talent {id: $fromId}), (b:Talent {id: $toId})
       MATCH p = shortestPath((a)-[*1..${depth}]-(b))
       RETURN [n IN nodes(p) | ${NODE_MAP('n')}] AS nodes, [r IN relationships(p) | ${EDGE_MAP('r')}] AS edges
       LIMIT 1`,
      { fromId, toId },
    );
    if (!found) return null;
    return {
      nodes: (found.nodes as Parameters<typeof toNode>[0][]).map(toNode),
      edges: (found.edges as EdgeRecord[]).map(toEdge),
    };
  }

  async alumni(companyIds: readonly string[], page: Page): Promise<PageOf<Alumnus>[]> {
    const ids = checkIds(companyIds, 'companyIds');
    checkLimit(page.limit);
    if (ids.length === 0) return [];
    const found = await this.read(
      `UNWIND $ids AS id
       MATCH (n:Talent)-[e:WORKED_AT]->(:Company {id: id})
       WITH id, n, e ORDER BY e.to IS NULL DESC, e.to DESC, e.from DESC, n.id
       WITH id, collect({id: n.id, label: n.label, title: e.title, from: e.from, to: e.to}) AS found
       RETURN id, size(found) AS total, found[$offset..($offset + $limit)] AS rows`,
      { ids: distinct(ids), offset: int(page.offset), limit: int(page.limit) },
    );
    return perId(ids, found, () => ({ rows: [], totalCount: 0 }), (row) => ({
      rows: (row.rows as { id: string; label: string | null; title: unknown; from: unknown; to: unknown }[]).map((r) => ({
        talent: talent(r.id, r.label),
        title: typeof r.title === 'string' ? r.title : null,
        from: String(r.from),
        to: typeof r.to === 'string' ? r.to : null,
        current: r.to == null,
      })),
      totalCount: num(row.total),
    }));
  }

  async experts(skillIds: readonly string[], first: number): Promise<Expert[][]> {
    const ids = checkIds(skillIds, 'skillIds');
    checkLimit(first, 'first');
    if (ids.length === 0) return [];
    const found = await this.read(
      `UNWIND $ids AS id
       MATCH (n:Talent)-[e:HAS_SKILL]->(:Skill {id: id})
       WITH id, n, e, coalesce(e.endorsements, 0) AS endorsements
       ORDER BY ${LEVEL_RANK} DESC, endorsements DESC, e.years IS NULL, e.years DESC, n.id
       WITH id, collect({id: n.id, label: n.label, level: e.level, years: e.years, endorsements: endorsements}) AS found
       RETURN id, found[..$limit] AS rows`,
      { ids: distinct(ids), limit: int(first) },
    );
    return perId(ids, found, () => [], (row) =>
      (row.rows as { id: string; label: string | null; level: unknown; years: unknown; endorsements: unknown }[]).map((r) => ({
        talent: talent(r.id, r.label),
        level: (r.level as SkillLevel | null) ?? null,
        years: numOrNull(r.years),
        endorsements: num(r.endorsements),
      })),
    );
  }

  async neighbourhood(
    centerKind: NodeKind,
    centerId: string,
    depth: number,
    limit: number,
    edgeKinds?: readonly EdgeKind[],
  ): Promise<Neighbourhood | null> {
    const kind = checkNodeKind(centerKind);
    const id = checkId(centerId, 'centerId');
    const hops = checkInteger(depth, 0, MAX_NEIGHBOURHOOD_DEPTH, 'depth');
    checkLimit(limit, 'limit', 1);
    const kinds = checkEdgeKinds(edgeKinds);
    // Checked kinds, so they may go into the pattern: the walk itself never crosses another kind.
    const types = kinds === undefined ? '' : `:${kinds.join('|')}`;
    const [center] = await this.read(`MATCH (c:${kind} {id: $id}) RETURN elementId(c) AS ref, ${NODE_MAP('c')} AS node`, { id });
    if (!center) return null;
    // Every other node within `hops`, at its closest distance; one row more than fits tells
    // whether the limit cut nodes off.
    const others =
      hops === 0 || kinds?.length === 0
        ? []
        : await this.read(
            `MATCH (c:${kind} {id: $id})
             ${reachLevels(hops, types)}
             RETURN elementId(n) AS ref, ${NODE_MAP('n')} AS node, depth
             ORDER BY depth, node.kind, node.id
             LIMIT $limit`,
            { id, limit: int(limit) },
          );
    const kept = others.slice(0, limit - 1);
    const nodes = [
      { ...toNode(center.node as Parameters<typeof toNode>[0]), depth: 0 },
      ...kept.map((row) => ({ ...toNode(row.node as Parameters<typeof toNode>[0]), depth: num(row.depth) })),
    ];
    const refs = [center.ref, ...kept.map((row) => row.ref)];
    const edges = await this.read(
      `MATCH (a)-[r]->(b)
       WHERE elementId(a) IN $refs AND elementId(b) IN $refs AND ($kinds IS NULL OR type(r) IN $kinds)
       WITH ${EDGE_MAP('r')} AS edge
       RETURN edge ORDER BY edge.kind, edge.fromKind, edge.fromId, edge.toKind, edge.toId
       LIMIT $limit`,
      { refs, kinds: kinds ?? null, limit: int(MAX_NEIGHBOURHOOD_EDGES + 1) },
    );
    return {
      nodes,
      edges: edges.slice(0, MAX_NEIGHBOURHOOD_EDGES).map((row) => toEdge(row.edge as EdgeRecord)),
      truncated: others.length > kept.length || edges.length > MAX_NEIGHBOURHOOD_EDGES,
    };
  }
}

interface EdgeRow {
  fromId: string;
  toId: string;
  properties: ReturnType<typeof toStored>;
}

const toRows = (edges: CheckedEdge[]): EdgeRow[] =>
  edges.map((edge) => ({ fromId: edge.fromId, toId: edge.toId, properties: toStored(edge.properties) }));

/**
 * Upserts edges of one kind (`shape` gives the kind and endpoint kinds), creating missing
 * endpoints as placeholders (no label) and replacing the properties of existing edges.
 */
async function writeEdges(tx: ManagedTransaction, shape: CheckedEdge, rows: EdgeRow[]): Promise<void> {
  await tx.run(
    `UNWIND $rows AS row
     MERGE (a:${shape.fromKind} {id: row.fromId})
     MERGE (b:${shape.toKind} {id: row.toId})
     MERGE (a)-[r:${shape.kind}]->(b)
     SET r = row.properties`,
    { rows },
  );
}
