import type { Db, Queryable } from '../../platform/db/db.ts';
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
  type SkillLevel,
} from './store.ts';
import {
  checkEdge,
  checkEdgeKind,
  checkId,
  checkInteger,
  checkLimit,
  checkNodeKind,
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

const LEVEL_RANK = `case properties->>'level' when 'EXPERT' then 4 when 'ADVANCED' then 3 when 'INTERMEDIATE' then 2 when 'BEGINNER' then 1 else 0 end`;

const key = (node: NodeRef) => `${node.kind}:${node.id}`;

/** GraphStore on PostgreSQL (PGlite by default), traversing with recursive CTEs. */
export class PostgresGraphStore implements GraphStore {
  /** `now` decides where a current (`to` null) stint ends; tests pin it. */
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async upsertNode(node: GraphNode): Promise<void> {
    await this.db.query(
      `insert into nodes (kind, id, label) values ($1, $2, $3)
       on conflict (kind, id) do update set label = excluded.label`,
      [checkNodeKind(node.kind), checkId(node.id), node.label],
    );
  }

  async removeNode(node: NodeRef): Promise<boolean> {
    // Edges go with it through the cascading foreign keys.
    const rows = await this.db.query(`delete from nodes where kind = $1 and id = $2 returning id`, [
      checkNodeKind(node.kind),
      checkId(node.id),
    ]);
    return rows.length > 0;
  }

  async upsertEdge(edge: EdgeInput): Promise<void> {
    const checked = checkEdge(edge);
    await this.db.transaction((tx) => writeEdges(tx, [checked]));
  }

  async removeEdge(kind: EdgeKind, fromId: string, toId: string): Promise<boolean> {
    const edge = checkEdge({ kind, fromId, toId });
    const rows = await this.db.query(
      `delete from edges where kind = $1 and from_kind = $2 and from_id = $3 and to_kind = $4 and to_id = $5 returning kind`,
      [edge.kind, edge.fromKind, edge.fromId, edge.toKind, edge.toId],
    );
    return rows.length > 0;
  }

  async replaceEdgesFrom(fromKind: NodeKind, fromId: string, edgeKind: EdgeKind, edges: readonly EdgeTarget[]): Promise<void> {
    const kind = checkEdgeKind(edgeKind);
    const id = checkId(fromId, 'fromId');
    if (checkNodeKind(fromKind) !== EDGE_ENDPOINTS[kind].from) throw new RangeError(`${kind} edges do not start at a ${fromKind}`);
    // Last one wins for a repeated target: one statement cannot upsert the same row twice.
    const byTarget = new Map<string, CheckedEdge>();
    for (const target of edges) {
      const checked = checkEdge({ kind, fromId: id, toId: target.toId, properties: target.properties });
      byTarget.set(`${checked.fromId}:${checked.toId}`, checked);
    }
    await this.db.transaction(async (tx) => {
      await tx.query(
        `delete from edges where kind = $1 and ((from_kind = $2 and from_id = $3) or ($1 = 'KNOWS' and to_kind = $2 and to_id = $3))`,
        [kind, fromKind, id],
      );
      await writeEdges(tx, [...byTarget.values()]);
    });
  }

  async connections(talentId: string, page: Page): Promise<{ rows: Connection[]; totalCount: number }> {
    const id = checkId(talentId, 'talentId');
    checkLimit(page.limit);
    const rows = await this.db.query<{ id: string; label: string | null; strength: number | null; total: number }>(
      `select n.id, n.label, (e.properties->>'strength')::float8 as strength, count(*) over ()::int as total
         from edges e
         join nodes n on n.kind = 'Talent' and n.id = case when e.from_id = $1 then e.to_id else e.from_id end
        where e.kind = 'KNOWS' and (e.from_id = $1 or e.to_id = $1)
        order by strength desc nulls last, n.id
        limit $2 offset $3`,
      [id, page.limit, page.offset],
    );
    return {
      rows: rows.map((row) => ({ talent: talent(row.id, row.label), strength: row.strength })),
      totalCount: rows[0]?.total ?? (page.offset > 0 ? await this.countConnections(id) : 0),
    };
  }

  private async countConnections(id: string): Promise<number> {
    const [row] = await this.db.query<{ total: number }>(
      `select count(*)::int as total from edges where kind = 'KNOWS' and (from_id = $1 or to_id = $1)`,
      [id],
    );
    return row!.total;
  }

  async colleagues(talentId: string, limit = 100): Promise<Colleague[]> {
    const id = checkId(talentId, 'talentId');
    checkLimit(limit);
    // Stints are whole calendar months, both ends included; a current stint runs to this month.
    const rows = await this.db.query<{
      talent_id: string;
      talent_label: string | null;
      company_id: string;
      company_label: string | null;
      overlap_months: number;
    }>(
      `with stints as (
         select from_id as talent_id, to_id as company_id,
                ${monthOf(`properties->>'from'`)} as start_month,
                coalesce(${monthOf(`properties->>'to'`)}, $2::int) as end_month
           from edges where kind = 'WORKED_AT'
       ),
       shared as (
         select other.talent_id, other.company_id,
                least(mine.end_month, other.end_month) - greatest(mine.start_month, other.start_month) + 1 as overlap_months
           from stints mine
           join stints other on other.company_id = mine.company_id and other.talent_id <> mine.talent_id
          where mine.talent_id = $1
       )
       select o.talent_id, t.label as talent_label, o.company_id, c.label as company_label, o.overlap_months::int as overlap_months
         from shared o
         join nodes t on t.kind = 'Talent' and t.id = o.talent_id
         join nodes c on c.kind = 'Company' and c.id = o.company_id
        where o.overlap_months > 0
        order by o.overlap_months desc, o.talent_id, o.company_id
        limit $3`,
      [id, currentMonthIndex(this.now()), limit],
    );
    return rows.map((row) => ({
      talent: talent(row.talent_id, row.talent_label),
      company: { kind: 'Company', id: row.company_id, label: row.company_label },
      overlapMonths: row.overlap_months,
    }));
  }

  async shortestPath(fromTalentId: string, toTalentId: string, maxDepth: number): Promise<GraphPath | null> {
    const fromId = checkId(fromTalentId, 'fromTalentId');
    const toId = checkId(toTalentId, 'toTalentId');
    checkInteger(maxDepth, 1, MAX_PATH_DEPTH, 'maxDepth');
    const ends = await this.db.query<{ id: string; label: string | null }>(
      `select id, label from nodes where kind = 'Talent' and id = any($1::uuid[])`,
      [[fromId, toId]],
    );
    if (ends.length < new Set([fromId, toId]).size) return null;
    if (fromId === toId) return { nodes: [talent(ends[0]!.id, ends[0]!.label)], edges: [] };
    // Breadth first: PostgreSQL produces a recursive CTE's rows level by level and stops pulling
    // at the LIMIT, so the first path reaching the target is a shortest one and deeper levels
    // are never built. `visited` keeps each path simple (cycle-safe); `depth` bounds it.
    const [found] = await this.db.query<{ visited: string[]; steps: EdgeRow[] }>(
      `with recursive walk (node_kind, node_id, depth, visited, steps) as (
         select 'Talent'::text, $1::uuid, 0, array['Talent:' || $1::text], '[]'::jsonb
         union all
         select e.far_kind, e.far_id, w.depth + 1,
                w.visited || (e.far_kind || ':' || e.far_id::text),
                w.steps || jsonb_build_array(jsonb_build_object(
                  'kind', e.kind, 'from_kind', e.from_kind, 'from_id', e.from_id,
                  'to_kind', e.to_kind, 'to_id', e.to_id, 'properties', e.properties))
           from walk w
           join edge_ends e on e.near_kind = w.node_kind and e.near_id = w.node_id
          where w.depth < $3
            and not (w.node_kind = 'Talent' and w.node_id = $2::uuid)
            and not (e.far_kind || ':' || e.far_id::text) = any(w.visited)
       )
       select visited, steps from walk where node_kind = 'Talent' and node_id = $2::uuid limit 1`,
      [fromId, toId, maxDepth],
    );
    if (!found) return null;
    const labels = await this.labels(found.visited);
    return {
      nodes: found.visited.map((nodeKey) => labels.get(nodeKey)!),
      edges: found.steps.map(toEdge),
    };
  }

  private async labels(nodeKeys: string[]): Promise<Map<string, GraphNode>> {
    const rows = await this.db.query<GraphNode>(
      `select kind, id, label from nodes where (kind || ':' || id::text) = any($1::text[])`,
      [nodeKeys],
    );
    return new Map(rows.map((row) => [key(row), row]));
  }

  async alumni(companyId: string, page: Page): Promise<{ rows: Alumnus[]; totalCount: number }> {
    const id = checkId(companyId, 'companyId');
    checkLimit(page.limit);
    const rows = await this.db.query<{ id: string; label: string | null; properties: EdgeProperties; total: number }>(
      `select n.id, n.label, e.properties, count(*) over ()::int as total
         from edges e join nodes n on n.kind = 'Talent' and n.id = e.from_id
        where e.kind = 'WORKED_AT' and e.to_id = $1
        order by (e.properties->>'to') is null desc, e.properties->>'to' desc, e.properties->>'from' desc, n.id
        limit $2 offset $3`,
      [id, page.limit, page.offset],
    );
    let totalCount = rows[0]?.total ?? 0;
    if (rows.length === 0 && page.offset > 0) {
      const [count] = await this.db.query<{ total: number }>(
        `select count(*)::int as total from edges where kind = 'WORKED_AT' and to_id = $1`,
        [id],
      );
      totalCount = count!.total;
    }
    return {
      rows: rows.map((row) => ({
        talent: talent(row.id, row.label),
        title: typeof row.properties.title === 'string' ? row.properties.title : null,
        from: String(row.properties.from),
        to: typeof row.properties.to === 'string' ? row.properties.to : null,
        current: row.properties.to == null,
      })),
      totalCount,
    };
  }

  async experts(skillId: string, first: number): Promise<Expert[]> {
    const id = checkId(skillId, 'skillId');
    checkLimit(first, 'first');
    const rows = await this.db.query<{ id: string; label: string | null; level: SkillLevel | null; years: number | null }>(
      `select n.id, n.label, e.properties->>'level' as level, (e.properties->>'years')::float8 as years
         from edges e join nodes n on n.kind = 'Talent' and n.id = e.from_id
        where e.kind = 'HAS_SKILL' and e.to_id = $1
        order by ${LEVEL_RANK} desc, years desc nulls last, n.id
        limit $2`,
      [id, first],
    );
    return rows.map((row) => ({ talent: talent(row.id, row.label), level: row.level, years: row.years }));
  }

  async neighbourhood(centerKind: NodeKind, centerId: string, depth: number, limit: number): Promise<Neighbourhood | null> {
    const kind = checkNodeKind(centerKind);
    const id = checkId(centerId, 'centerId');
    checkInteger(depth, 0, MAX_NEIGHBOURHOOD_DEPTH, 'depth');
    checkLimit(limit, 'limit', 1);
    // UNION (not UNION ALL) keeps one row per node and depth, so cycles cost nothing and the
    // walk is bounded by nodes × (depth + 1) rows instead of the number of paths.
    const nodes = await this.db.query<GraphNode & { depth: number; total: number }>(
      `with recursive reach (kind, id, depth) as (
         select $1::text, $2::uuid, 0 where exists (select 1 from nodes where kind = $1 and id = $2::uuid)
         union
         select e.far_kind, e.far_id, r.depth + 1
           from reach r join edge_ends e on e.near_kind = r.kind and e.near_id = r.id
          where r.depth < $3
       ),
       closest as (select kind, id, min(depth) as depth from reach group by kind, id)
       select c.kind, c.id, n.label, c.depth::int as depth, count(*) over ()::int as total
         from closest c join nodes n on n.kind = c.kind and n.id = c.id
        order by c.depth, c.kind, c.id
        limit $4`,
      [kind, id, depth, limit],
    );
    if (nodes.length === 0) return null;
    const edges = await this.db.query<EdgeRow>(
      `select kind, from_kind, from_id, to_kind, to_id, properties from edges
        where (from_kind || ':' || from_id::text) = any($1::text[]) and (to_kind || ':' || to_id::text) = any($1::text[])
        order by kind, from_kind, from_id, to_kind, to_id
        limit $2`,
      [nodes.map(key), MAX_NEIGHBOURHOOD_EDGES + 1],
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
