import type { Db, Queryable } from '../../platform/db/db.ts';
import { groupByKey } from '../../platform/loaders.ts';
import type { Page } from '../../platform/pagination.ts';
import {
  EDGE_ENDPOINTS,
  MAX_NEIGHBOURHOOD_DEPTH,
  MAX_PATH_DEPTH,
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

/** Edges drawn for a neighbourhood, at most: a dense KNOWS cluster must not flood the client. */
const MAX_NEIGHBOURHOOD_EDGES = 2000;

interface EdgeRow {
  kind: EdgeKind;
  from_kind: NodeKind;
  from_id: string;
  to_kind: NodeKind;
  to_id: string;
  properties: EdgeProperties;
}

const toEdge = (row: EdgeRow): GraphEdge => ({
  kind: row.kind,
  from: { kind: row.from_kind, id: row.from_id },
  to: { kind: row.to_kind, id: row.to_id },
  properties: row.properties,
});

const talent = (id: string, label: string | null): GraphNode => ({ kind: 'Talent', id, label });

/** SQL for months since year 0 of a 'YYYY-MM[-DD]' text (null stays null); validation.monthIndex in SQL. */
const monthOf = (text: string) => `(split_part(${text}, '-', 1)::int * 12 + split_part(${text}, '-', 2)::int - 1)`;

/**
 * The CTEs `stints` (every WORKED_AT edge in whole months; $2 = this month, where a current stint
 * ends) and `shared` (each pair of stints at one company of a talent in $1 and another talent, and
 * the calendar months they overlap, both ends counted; 0 or less = none): colleagues and
 * colleagueCounts share the rule.
 */
const SHARED_STINTS = `stints as (
         select from_id as talent_id, to_id as company_id,
                ${monthOf(`properties->>'from'`)} as start_month,
                coalesce(${monthOf(`properties->>'to'`)}, $2::int) as end_month
           from edges where kind = 'WORKED_AT'
       ),
       shared as (
         select mine.talent_id as parent, other.talent_id, other.company_id,
                least(mine.end_month, other.end_month) - greatest(mine.start_month, other.start_month) + 1 as overlap_months
           from stints mine
           join stints other on other.company_id = mine.company_id and other.talent_id <> mine.talent_id
          where mine.talent_id = any($1::uuid[])
       )`;

const LEVEL_RANK = `case properties->>'level' when 'EXPERT' then 4 when 'ADVANCED' then 3 when 'INTERMEDIATE' then 2 when 'BEGINNER' then 1 else 0 end`;

/** A row of a per-parent ranking: its parent, its place in the parent's list, the list's length. */
interface RankedRow {
  parent: string;
  position: number;
  total: number;
}

/**
 * Each parent's page out of the CTE `ranked` ($2 = limit, $3 = offset), plus its first row even
 * off the page: that row carries the total, so a page past the end still has one, in the same statement.
 */
const PAGES_OF_RANKED = `select * from ranked
  where (position > $3::int and position <= $3::int + $2::int) or position = 1
  order by parent, position`;

/** One page per id (input order, repeats included) from rows selected by PAGES_OF_RANKED. */
function pagesOf<Row extends RankedRow, T>(ids: readonly string[], rows: readonly Row[], page: Page, toRow: (row: Row) => T): PageOf<T>[] {
  const onPage = (row: Row) => row.position > page.offset && row.position <= page.offset + page.limit;
  return groupByKey(ids, rows, (row) => row.parent).map((group) => ({
    rows: group.filter(onPage).map(toRow),
    totalCount: group[0]?.total ?? 0,
  }));
}

const key = (node: NodeRef) => `${node.kind}:${node.id}`;

/** A node key back into its kind and id. */
const unkey = (nodeKey: string): [string, string] => {
  const colon = nodeKey.indexOf(':');
  return [nodeKey.slice(0, colon), nodeKey.slice(colon + 1)];
};

/** An edge's primary key: at most one edge joins two nodes (one edge kind per pair of node kinds). */
type EdgeKey = Omit<EdgeRow, 'properties'>;

/** An edge crossed from a frontier node (near) to a node next to it (far). */
type LevelRow = EdgeKey & { near_kind: NodeKind; near_id: string; far_kind: NodeKind; far_id: string };

/** One side of the bidirectional search: how it reached a node. */
interface Visit {
  depth: number;
  /** The node it was reached from and the edge crossed; null at the side's start. */
  prev: string | null;
  edge: EdgeKey | null;
}

/** GraphStore on PostgreSQL (PGlite by default), traversing with recursive CTEs and level-wise search. */
export class PostgresGraphStore implements GraphStore {
  /** Set on a store made by within(): every statement runs in that transaction. */
  private bound: Queryable | undefined;

  /** `now` decides where a current (`to` null) stint ends; tests pin it. */
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  within(tx: Queryable): GraphStore {
    const store = new PostgresGraphStore(this.db, this.now);
    store.bound = tx;
    return store;
  }

  private get q(): Queryable {
    return this.bound ?? this.db;
  }

  /**
   * Runs `work` atomically. A bound store is already inside a transaction and runs it there:
   * opening another would nest, and PGlite's exclusive transaction would wait on itself.
   */
  private atomically<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.bound ? work(this.bound) : this.db.transaction(work);
  }

  async clear(): Promise<void> {
    await this.atomically(async (tx) => {
      await tx.query('delete from edges');
      await tx.query('delete from nodes');
    });
  }

  upsertNode(node: GraphNode): Promise<void> {
    return this.upsertNodes([node]);
  }

  async upsertNodes(nodes: readonly GraphNode[]): Promise<void> {
    const checked = checkNodesOnce(nodes);
    if (checked.length === 0) return;
    await this.atomically(async (tx) => {
      for (const chunk of chunked(checked)) {
        await tx.query(
          `insert into nodes (kind, id, label)
           select kind, id, label from jsonb_to_recordset($1::jsonb) as n(kind text, id uuid, label text)
           on conflict (kind, id) do update set label = excluded.label`,
          [JSON.stringify(chunk)],
        );
      }
    });
  }

  async removeNode(node: NodeRef): Promise<boolean> {
    // Edges go with it through the cascading foreign keys.
    const rows = await this.q.query(`delete from nodes where kind = $1 and id = $2 returning id`, [
      checkNodeKind(node.kind),
      checkId(node.id),
    ]);
    return rows.length > 0;
  }

  upsertEdge(edge: EdgeInput): Promise<void> {
    return this.upsertEdges([edge]);
  }

  async upsertEdges(edges: readonly EdgeInput[]): Promise<void> {
    const checked = checkEdgesOnce(edges);
    if (checked.length === 0) return;
    await this.atomically(async (tx) => {
      for (const chunk of chunked(checked)) await writeEdges(tx, chunk);
    });
  }

  async removeEdge(kind: EdgeKind, fromId: string, toId: string): Promise<boolean> {
    const edge = checkEdgeEnds(kind, fromId, toId);
    const rows = await this.q.query(
      `delete from edges where kind = $1 and from_kind = $2 and from_id = $3 and to_kind = $4 and to_id = $5 returning kind`,
      [edge.kind, edge.fromKind, edge.fromId, edge.toKind, edge.toId],
    );
    return rows.length > 0;
  }

  async replaceEdgesFrom(fromKind: NodeKind, fromId: string, edgeKind: EdgeKind, edges: readonly EdgeTarget[]): Promise<void> {
    const kind = checkEdgeKind(edgeKind);
    const id = checkId(fromId, 'fromId');
    if (checkNodeKind(fromKind) !== EDGE_ENDPOINTS[kind].from) throw new RangeError(`${kind} edges do not start at a ${fromKind}`);
    const checked = checkEdgesOnce(edges.map((target) => ({ kind, fromId: id, toId: target.toId, properties: target.properties })));
    await this.atomically(async (tx) => {
      await tx.query(
        `delete from edges where kind = $1 and ((from_kind = $2 and from_id = $3) or ($1 = 'KNOWS' and to_kind = $2 and to_id = $3))`,
        [kind, fromKind, id],
      );
      await writeEdges(tx, checked);
    });
  }

  async connections(talentIds: readonly string[], page: Page): Promise<PageOf<Connection>[]> {
    const ids = checkIds(talentIds, 'talentIds');
    checkLimit(page.limit);
    if (ids.length === 0) return [];
    // KNOWS is stored once per pair: a talent's links are the edges from it and those to it.
    const rows = await this.q.query<RankedRow & { id: string; label: string | null; strength: number | null }>(
      `with linked as (
         select from_id as parent, to_id as other, properties from edges
          where kind = 'KNOWS' and from_kind = 'Talent' and from_id = any($1::uuid[])
         union all
         select to_id, from_id, properties from edges
          where kind = 'KNOWS' and to_kind = 'Talent' and to_id = any($1::uuid[])
       ),
       ranked as (
         select l.parent, n.id, n.label, (l.properties->>'strength')::float8 as strength,
                row_number() over (partition by l.parent order by (l.properties->>'strength')::float8 desc nulls last, n.id)::int as position,
                count(*) over (partition by l.parent)::int as total
           from linked l join nodes n on n.kind = 'Talent' and n.id = l.other
       )
       ${PAGES_OF_RANKED}`,
      [ids, page.limit, page.offset],
    );
    return pagesOf(ids, rows, page, (row) => ({ talent: talent(row.id, row.label), strength: row.strength }));
  }

  async colleagues(talentIds: readonly string[], limit = 100): Promise<Colleague[][]> {
    const ids = checkIds(talentIds, 'talentIds');
    checkLimit(limit);
    if (ids.length === 0) return [];
    // Stints are whole calendar months, both ends included; a current stint runs to this month.
    const rows = await this.q.query<{
      parent: string;
      talent_id: string;
      talent_label: string | null;
      company_id: string;
      company_label: string | null;
      overlap_months: number;
    }>(
      `with ${SHARED_STINTS},
       ranked as (
         select o.parent, o.talent_id, t.label as talent_label, o.company_id, c.label as company_label, o.overlap_months::int as overlap_months,
                row_number() over (partition by o.parent order by o.overlap_months desc, o.talent_id, o.company_id) as position
           from shared o
           join nodes t on t.kind = 'Talent' and t.id = o.talent_id
           join nodes c on c.kind = 'Company' and c.id = o.company_id
          where o.overlap_months > 0
       )
       select parent, talent_id, talent_label, company_id, company_label, overlap_months
         from ranked where position <= $3
        order by parent, position`,
      [ids, currentMonthIndex(this.now()), limit],
    );
    return groupByKey(ids, rows, (row) => row.parent).map((group) =>
      group.map((row) => ({
        talent: talent(row.talent_id, row.talent_label),
        company: { kind: 'Company', id: row.company_id, label: row.company_label },
        overlapMonths: row.overlap_months,
      })),
    );
  }

  async colleagueCounts(talentIds: readonly string[]): Promise<number[]> {
    const ids = checkIds(talentIds, 'talentIds');
    if (ids.length === 0) return [];
    // The same pairs as colleagues (joined to both nodes as it is), each other talent once.
    const rows = await this.q.query<{ parent: string; count: number }>(
      `with ${SHARED_STINTS}
       select o.parent, count(distinct o.talent_id)::int as count
         from shared o
         join nodes t on t.kind = 'Talent' and t.id = o.talent_id
         join nodes c on c.kind = 'Company' and c.id = o.company_id
        where o.overlap_months > 0
        group by o.parent`,
      [ids, currentMonthIndex(this.now())],
    );
    const counts = new Map(rows.map((row) => [row.parent, row.count]));
    return ids.map((id) => counts.get(id) ?? 0);
  }

  async shortestPath(fromTalentId: string, toTalentId: string, maxDepth: number): Promise<GraphPath | null> {
    const fromId = checkId(fromTalentId, 'fromTalentId');
    const toId = checkId(toTalentId, 'toTalentId');
    checkInteger(maxDepth, 1, MAX_PATH_DEPTH, 'maxDepth');
    const ends = await this.q.query<{ id: string; label: string | null }>(
      `select id, label from nodes where kind = 'Talent' and id = any($1::uuid[])`,
      [[fromId, toId]],
    );
    if (ends.length < new Set([fromId, toId]).size) return null;
    if (fromId === toId) return { nodes: [talent(ends[0]!.id, ends[0]!.label)], edges: [] };
    // Bidirectional breadth-first search, one statement per level, always growing the smaller
    // frontier: the work is bounded by the nodes within reach, not by the number of paths (a
    // recursive CTE enumerating simple paths explodes on a dense graph when there is no path).
    const sides = [fromId, toId].map((id) => {
      const origin = key({ kind: 'Talent', id });
      return { visited: new Map<string, Visit>([[origin, { depth: 0, prev: null, edge: null }]]), frontier: [origin], depth: 0 };
    });
    const [forward, backward] = sides as [(typeof sides)[number], (typeof sides)[number]];
    while (forward.depth + backward.depth < maxDepth) {
      const [near, far] = forward.frontier.length <= backward.frontier.length ? [forward, backward] : [backward, forward];
      if (near.frontier.length === 0) return null; // that side's component is exhausted
      const frontier = near.frontier.map(unkey);
      // First only the frontier's edges into nodes the other side reached: on the level where the
      // sides meet, those are all the search needs (the same rows, in the same order, as below),
      // and the frontier's whole neighbourhood is never read into memory. That neighbourhood is
      // what grows with the data: a skill is held by a share of all talents (issue 11, growth).
      const meetingRows = await this.levelRows(frontier, [...far.visited.keys()].map(unkey));
      const rows = meetingRows.some((row) => !near.visited.has(key({ kind: row.far_kind, id: row.far_id }))) ? meetingRows : await this.levelRows(frontier);
      near.depth++;
      const next: string[] = [];
      let meeting: { node: string; total: number } | undefined;
      for (const row of rows) {
        const reached = key({ kind: row.far_kind, id: row.far_id });
        if (near.visited.has(reached)) continue;
        const { kind, from_kind, from_id, to_kind, to_id } = row;
        near.visited.set(reached, {
          depth: near.depth,
          prev: key({ kind: row.near_kind, id: row.near_id }),
          edge: { kind, from_kind, from_id, to_kind, to_id },
        });
        next.push(reached);
        // The sides meet: the least total wins, the first in row order among equals.
        const other = far.visited.get(reached);
        if (other && (!meeting || near.depth + other.depth < meeting.total)) {
          meeting = { node: reached, total: near.depth + other.depth };
        }
      }
      if (meeting) return this.pathThrough(forward.visited, backward.visited, meeting.node);
      near.frontier = next;
    }
    return null;
  }

  /**
   * One row per node next to the frontier (only those among `within`, when given), its parent
   * the least frontier node: deterministic.
   */
  private levelRows(frontier: [string, string][], within?: [string, string][]): Promise<LevelRow[]> {
    const ends = (refs: [string, string][]) => [refs.map(([kind]) => kind), refs.map(([, id]) => id)];
    return this.q.query<LevelRow>(
      `select distinct on (e.far_kind, e.far_id)
              e.kind, e.from_kind, e.from_id, e.to_kind, e.to_id, e.near_kind, e.near_id, e.far_kind, e.far_id
         from unnest($1::text[], $2::uuid[]) as f(kind, id)
         join edge_ends e on e.near_kind = f.kind and e.near_id = f.id
        ${within ? 'where (e.far_kind, e.far_id) in (select kind, id from unnest($3::text[], $4::uuid[]) as w(kind, id))' : ''}
        order by e.far_kind, e.far_id, e.near_kind, e.near_id`,
      [...ends(frontier), ...(within ? ends(within) : [])],
    );
  }

  /** The path start → `middle` → target along both sides' parent pointers, with labels and edges as stored. */
  private async pathThrough(
    forward: Map<string, Visit>,
    backward: Map<string, Visit>,
    middle: string,
  ): Promise<GraphPath | null> {
    const nodeKeys = [middle];
    const steps: EdgeKey[] = [];
    for (let visit = forward.get(middle)!; visit.prev !== null; visit = forward.get(visit.prev)!) {
      nodeKeys.unshift(visit.prev);
      steps.unshift(visit.edge!);
    }
    for (let visit = backward.get(middle)!; visit.prev !== null; visit = backward.get(visit.prev)!) {
      nodeKeys.push(visit.prev);
      steps.push(visit.edge!);
    }
    const refs = nodeKeys.map(unkey);
    const nodes = await this.q.query<GraphNode>(
      `select n.kind, n.id, n.label from unnest($1::text[], $2::uuid[]) as p(kind, id) join nodes n on n.kind = p.kind and n.id = p.id`,
      [refs.map(([kind]) => kind), refs.map(([, id]) => id)],
    );
    const columns = ['kind', 'from_kind', 'from_id', 'to_kind', 'to_id'] as const;
    const edges = await this.q.query<EdgeRow>(
      `select e.kind, e.from_kind, e.from_id, e.to_kind, e.to_id, e.properties
         from unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::uuid[])
              with ordinality as p(kind, from_kind, from_id, to_kind, to_id, step)
         join edges e using (kind, from_kind, from_id, to_kind, to_id)
        order by p.step`,
      columns.map((column) => steps.map((step) => step[column])),
    );
    // Outside a transaction a concurrent write may have removed part of the path meanwhile.
    if (nodes.length !== nodeKeys.length || edges.length !== steps.length) return null;
    const byKey = new Map(nodes.map((node) => [key(node), node]));
    return { nodes: nodeKeys.map((nodeKey) => byKey.get(nodeKey)!), edges: edges.map(toEdge) };
  }

  async alumni(companyIds: readonly string[], page: Page): Promise<PageOf<Alumnus>[]> {
    const ids = checkIds(companyIds, 'companyIds');
    checkLimit(page.limit);
    if (ids.length === 0) return [];
    const rows = await this.q.query<RankedRow & { id: string; label: string | null; properties: EdgeProperties }>(
      `with ranked as (
         select e.to_id as parent, n.id, n.label, e.properties,
                row_number() over (
                  partition by e.to_id
                  order by (e.properties->>'to') is null desc, e.properties->>'to' desc, e.properties->>'from' desc, n.id
                )::int as position,
                count(*) over (partition by e.to_id)::int as total
           from edges e join nodes n on n.kind = 'Talent' and n.id = e.from_id
          where e.kind = 'WORKED_AT' and e.to_kind = 'Company' and e.to_id = any($1::uuid[])
       )
       ${PAGES_OF_RANKED}`,
      [ids, page.limit, page.offset],
    );
    return pagesOf(ids, rows, page, (row) => ({
      talent: talent(row.id, row.label),
      title: typeof row.properties.title === 'string' ? row.properties.title : null,
      from: String(row.properties.from),
      to: typeof row.properties.to === 'string' ? row.properties.to : null,
      current: row.properties.to == null,
    }));
  }

  async experts(skillIds: readonly string[], first: number): Promise<Expert[][]> {
    const ids = checkIds(skillIds, 'skillIds');
    checkLimit(first, 'first');
    if (ids.length === 0) return [];
    type Row = { parent: string; id: string; label: string | null; level: SkillLevel | null; years: number | null; endorsements: number };
    const rows = await this.q.query<Row>(
      `with found as (
         select e.to_id as parent, n.id, n.label, e.properties->>'level' as level, (e.properties->>'years')::float8 as years,
                coalesce((e.properties->>'endorsements')::float8, 0) as endorsements, ${LEVEL_RANK} as level_rank
           from edges e join nodes n on n.kind = 'Talent' and n.id = e.from_id
          where e.kind = 'HAS_SKILL' and e.to_kind = 'Skill' and e.to_id = any($1::uuid[])
       ),
       ranked as (
         select *, row_number() over (partition by parent order by level_rank desc, endorsements desc, years desc nulls last, id) as position
           from found
       )
       select parent, id, label, level, years, endorsements
         from ranked where position <= $2
        order by parent, position`,
      [ids, first],
    );
    return groupByKey(ids, rows, (row) => row.parent).map((group) =>
      group.map((row) => ({ talent: talent(row.id, row.label), level: row.level, years: row.years, endorsements: row.endorsements })),
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
    checkInteger(depth, 0, MAX_NEIGHBOURHOOD_DEPTH, 'depth');
    checkLimit(limit, 'limit', 1);
    const kinds = checkEdgeKinds(edgeKinds) ?? null; // null = every kind
    // UNION (not UNION ALL) keeps one row per node and depth, so cycles cost nothing and the
    // walk is bounded by nodes × (depth + 1) rows instead of the number of paths.
    const nodes = await this.q.query<GraphNode & { depth: number; total: number }>(
      `with recursive reach (kind, id, depth) as (
         select $1::text, $2::uuid, 0 where exists (select 1 from nodes where kind = $1 and id = $2::uuid)
         union
         select e.far_kind, e.far_id, r.depth + 1
           from reach r join edge_ends e on e.near_kind = r.kind and e.near_id = r.id
          where r.depth < $3 and ($5::text[] is null or e.kind = any($5::text[]))
       ),
       closest as (select kind, id, min(depth) as depth from reach group by kind, id)
       select c.kind, c.id, n.label, c.depth::int as depth, count(*) over ()::int as total
         from closest c join nodes n on n.kind = c.kind and n.id = c.id
        order by c.depth, c.kind, c.id
        limit $4`,
      [kind, id, depth, limit, kinds],
    );
    if (nodes.length === 0) return null;
    const edges = await this.q.query<EdgeRow>(
      `with picked as (select * from unnest($1::text[], $2::uuid[]) as p(kind, id))
       select e.kind, e.from_kind, e.from_id, e.to_kind, e.to_id, e.properties
         from edges e
         join picked a on a.kind = e.from_kind and a.id = e.from_id
         join picked b on b.kind = e.to_kind and b.id = e.to_id
        where $3::text[] is null or e.kind = any($3::text[])
        order by e.kind, e.from_kind, e.from_id, e.to_kind, e.to_id
        limit $4`,
      [nodes.map((node) => node.kind), nodes.map((node) => node.id), kinds, MAX_NEIGHBOURHOOD_EDGES + 1],
    );
    return {
      nodes: nodes.map((node) => ({ kind: node.kind, id: node.id, label: node.label, depth: node.depth })),
      edges: edges.slice(0, MAX_NEIGHBOURHOOD_EDGES).map(toEdge),
      truncated: nodes[0]!.total > nodes.length || edges.length > MAX_NEIGHBOURHOOD_EDGES,
    };
  }
}

/** Upserts checked edges in one statement, first creating any endpoint not seen yet as a placeholder. */
async function writeEdges(tx: Queryable, edges: CheckedEdge[]): Promise<void> {
  if (edges.length === 0) return;
  const rows = JSON.stringify(
    edges.map((edge) => ({
      kind: edge.kind,
      from_kind: edge.fromKind,
      from_id: edge.fromId,
      to_kind: edge.toKind,
      to_id: edge.toId,
      properties: edge.properties,
    })),
  );
  const columns = `e(kind text, from_kind text, from_id uuid, to_kind text, to_id uuid, properties jsonb)`;
  await tx.query(
    `insert into nodes (kind, id)
     select from_kind, from_id from jsonb_to_recordset($1::jsonb) as ${columns}
     union select to_kind, to_id from jsonb_to_recordset($1::jsonb) as ${columns}
     on conflict (kind, id) do nothing`,
    [rows],
  );
  await tx.query(
    `insert into edges (kind, from_kind, from_id, to_kind, to_id, properties)
     select kind, from_kind, from_id, to_kind, to_id, properties from jsonb_to_recordset($1::jsonb) as ${columns}
     on conflict (kind, from_kind, from_id, to_kind, to_id) do update set properties = excluded.properties`,
    [rows],
  );
}
