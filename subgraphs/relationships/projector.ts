import type { Queryable } from '../../platform/db/db.ts';
import { deletedAmong, isDeletion, type DomainEvent } from '../../platform/events/index.ts';
import type { EventConsumer } from '../../platform/events/projection.ts';
import { isId } from '../../platform/validate.ts';
import type { Stores } from './index.ts';
import { talentEdges, type ResumeSource } from './sources.ts';
import { chunked, type EdgeInput, type EdgeTarget, type GraphNode, type GraphStore, type NodeKind } from './store.ts';

/**
 * Builds the graph from the owners' domain events (live, or a rebuild's snapshots). Every event
 * carries its aggregate as it now is, so applying one sets state instead of changing it; the
 * runtime drops an event older than one already applied, or one about a deleted aggregate
 * (platform/events/consumer.ts), and what names a deleted entity draws no edge to it.
 */

/** The consumer's name: its inbox, its Redis consumer group, its aggregate versions. */
export const CONSUMER = 'relationships';

/** Aggregates that become nodes, and the payload field that labels them. */
const NODES: Partial<Record<string, { kind: NodeKind; label: string }>> = {
  Talent: { kind: 'Talent', label: 'name' },
  Company: { kind: 'Company', label: 'name' },
  Skill: { kind: 'Skill', label: 'name' },
  Job: { kind: 'Job', label: 'title' },
  Project: { kind: 'Project', label: 'name' },
};

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const list = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value) ? value.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null) : [];

export async function applyEvent(graph: GraphStore, tx: Queryable, event: DomainEvent): Promise<void> {
  const { type: aggregate, id } = event.aggregate;
  // Only UUIDs become nodes; anything else could not be addressed through the API anyway.
  if (!isId(id)) return;
  const deleted = isDeletion(event);
  const payload = event.payload;
  if (aggregate === 'Resume') return deleted ? forgetResume(graph, tx, id) : recordResume(graph, tx, id, payload);

  const node = NODES[aggregate];
  if (!node) return; // e.g. applications: not part of the graph
  if (deleted) return forgetNode(graph, tx, node.kind, id);
  await graph.upsertNode({ kind: node.kind, id, label: text(payload[node.label]) });
  if (aggregate === 'Job') await graph.replaceEdgesFrom('Job', id, 'REQUIRES', await living(tx, 'Skill', requiredSkills(payload)));
  if (aggregate === 'Project') await recordTeam(graph, tx, id, teamOf(payload));
}

/** A job's REQUIRES edges as its payload names them (deleted skills not yet left out). */
const requiredSkills = (payload: Record<string, unknown>): EdgeTarget[] =>
  list(payload.requiredSkills)
    .filter((skill) => isId(skill.skillId))
    .map((skill) => ({ toId: (skill.skillId as string).toLowerCase(), properties: { level: text(skill.level) } }));

/** A project's members and their roles as its payload names them (deleted talents not yet left out); a repeated member's last role stands. */
function teamOf(payload: Record<string, unknown>): Map<string, string | null> {
  const team = new Map<string, string | null>();
  for (const member of list(payload.members)) if (isId(member.talentId)) team.set((member.talentId as string).toLowerCase(), text(member.role));
  return team;
}

/** The resume's talent (lower-cased), or undefined when it names none. */
function resumeTalent(payload: Record<string, unknown>): string | undefined {
  const talentId = text(payload.talentId)?.toLowerCase();
  return talentId && isId(talentId) ? talentId : undefined;
}

const resumeSource = (payload: Record<string, unknown>): ResumeSource => ({ experience: list(payload.experience), skills: list(payload.skills) });

async function recordResume(graph: GraphStore, tx: Queryable, resumeId: string, payload: Record<string, unknown>): Promise<void> {
  const talentId = resumeTalent(payload);
  if (!talentId || (await buried(tx, 'Talent', [talentId])).size) return;
  // A resume never moves to another talent, but if a stale row says otherwise, redraw both.
  const [previous] = await tx.query<{ talent_id: string }>('select talent_id from resume_sources where resume_id = $1', [resumeId]);
  const { experience, skills } = resumeSource(payload);
  await tx.query(
    `insert into resume_sources (resume_id, talent_id, experience, skills) values ($1, $2, $3::jsonb, $4::jsonb)
     on conflict (resume_id) do update set talent_id = excluded.talent_id, experience = excluded.experience, skills = excluded.skills`,
    [resumeId, talentId, JSON.stringify(experience), JSON.stringify(skills)],
  );
  await redrawTalent(graph, tx, talentId);
  if (previous && previous.talent_id !== talentId) await redrawTalent(graph, tx, previous.talent_id);
}

async function forgetResume(graph: GraphStore, tx: Queryable, resumeId: string): Promise<void> {
  const [row] = await tx.query<{ talent_id: string }>('delete from resume_sources where resume_id = $1 returning talent_id', [resumeId]);
  if (row) await redrawTalent(graph, tx, row.talent_id);
}

/** Makes the talent's WORKED_AT and HAS_SKILL edges what their resumes and endorsements say. */
export async function redrawTalent(graph: GraphStore, tx: Queryable, talentId: string): Promise<void> {
  if ((await buried(tx, 'Talent', [talentId])).size) return; // no placeholder node for someone gone
  const resumes = await tx.query<ResumeSource>('select experience, skills from resume_sources where talent_id = $1 order by resume_id', [talentId]);
  const endorsements = await tx.query<{ skill_id: string; count: number }>(
    'select skill_id, count(*)::int as count from endorsements where talent_id = $1 group by skill_id',
    [talentId],
  );
  const edges = talentEdges(resumes, new Map(endorsements.map((row) => [row.skill_id, row.count])));
  await graph.replaceEdgesFrom('Talent', talentId, 'WORKED_AT', await living(tx, 'Company', edges.workedAt));
  await graph.replaceEdgesFrom('Talent', talentId, 'HAS_SKILL', await living(tx, 'Skill', edges.hasSkill));
}

/** Which of these ids their owner deleted. */
const buried = (tx: Queryable, kind: string, ids: readonly string[]): Promise<Set<string>> => deletedAmong(tx, CONSUMER, kind, ids);

/** Every id of this kind its owner deleted (a rebuild asks once, not per edge). */
async function allBuried(tx: Queryable, kind: NodeKind): Promise<Set<string>> {
  const rows = await tx.query<{ aggregate_id: string }>(
    'select aggregate_id from aggregate_versions where consumer = $1 and aggregate_type = $2 and deleted',
    [CONSUMER, kind],
  );
  return new Set(rows.map((row) => row.aggregate_id));
}

/** The edges whose target is not among `dead`: a resume or job naming a deleted entity draws nothing to it. */
const alive = (edges: EdgeTarget[], dead: ReadonlySet<string>): EdgeTarget[] => edges.filter((edge) => !dead.has(edge.toId));

async function living(tx: Queryable, kind: NodeKind, edges: EdgeTarget[]): Promise<EdgeTarget[]> {
  return alive(edges, await buried(tx, kind, edges.map((edge) => edge.toId)));
}

/** Makes the project's MEMBER_OF edges its team as announced, removing those who left. */
async function recordTeam(graph: GraphStore, tx: Queryable, projectId: string, team: Map<string, string | null>): Promise<void> {
  for (const dead of await buried(tx, 'Talent', [...team.keys()])) team.delete(dead);
  const before = await tx.query<{ talent_id: string }>('delete from project_members where project_id = $1 returning talent_id', [projectId]);
  for (const { talent_id } of before) if (!team.has(talent_id)) await graph.removeEdge('MEMBER_OF', talent_id, projectId);
  for (const [talentId, role] of team) {
    await tx.query('insert into project_members (project_id, talent_id, role) values ($1, $2, $3)', [projectId, talentId, role]);
    await graph.upsertEdge({ kind: 'MEMBER_OF', fromId: talentId, toId: projectId, properties: { role } });
  }
}

async function forgetNode(graph: GraphStore, tx: Queryable, kind: NodeKind, id: string): Promise<void> {
  await graph.removeNode({ kind, id });
  if (kind === 'Project') await tx.query('delete from project_members where project_id = $1', [id]);
  if (kind === 'Talent') {
    // What the graph kept about the person goes with them, including the links made here.
    await tx.query('delete from resume_sources where talent_id = $1', [id]);
    await tx.query('delete from project_members where talent_id = $1', [id]);
    await tx.query('delete from acquaintances where talent_id = $1 or other_id = $1', [id]);
    await tx.query('delete from endorsements where talent_id = $1', [id]);
  }
}

/**
 * The owners' part goes; what is owned here (KNOWS links, endorsements) stays and is drawn
 * again, since clearing the graph removed it too.
 */
async function reset(graph: GraphStore, tx: Queryable): Promise<void> {
  await graph.clear();
  await tx.query('delete from resume_sources');
  await tx.query('delete from project_members');
  // What names a deleted talent goes (their deletion removed it, unless the two crossed).
  await tx.query(
    `delete from acquaintances a using aggregate_versions v
      where v.consumer = $1 and v.aggregate_type = 'Talent' and v.deleted and v.aggregate_id in (a.talent_id::text, a.other_id::text)`,
    [CONSUMER],
  );
  await tx.query(
    `delete from endorsements e using aggregate_versions v
      where v.consumer = $1 and v.aggregate_type = 'Talent' and v.deleted and v.aggregate_id = e.talent_id::text`,
    [CONSUMER],
  );
  const links = await tx.query<{ talent_id: string; other_id: string; strength: number }>('select talent_id, other_id, strength from acquaintances');
  await graph.upsertEdges(links.map((link) => ({ kind: 'KNOWS', fromId: link.talent_id, toId: link.other_id, properties: { strength: link.strength } })));
}

/**
 * A rebuild's events after `reset`, in bulk: the graph that applying them one by one draws, in a
 * few statements per thousand rows instead of about a dozen per event (58k events at 10k
 * talents; issue 11). Of an aggregate's events the last stands, as it would after applying all;
 * the deleted ids are read once per kind. One difference: an edge a superseded event drew and the
 * later one drops leaves no edgeless placeholder node behind (a snapshot has one event per entity).
 */
async function restore(graph: GraphStore, tx: Queryable, events: readonly DomainEvent[]): Promise<void> {
  // A snapshot carries no deletions (admitSnapshot dropped deleted aggregates); should one come, the one-by-one path is the exact one.
  if (events.some(isDeletion)) {
    for (const event of events) await applyEvent(graph, tx, event);
    return;
  }
  const dead = { Talent: await allBuried(tx, 'Talent'), Company: await allBuried(tx, 'Company'), Skill: await allBuried(tx, 'Skill') };
  const nodes = new Map<string, GraphNode>();
  const requires = new Map<string, EdgeTarget[]>();
  const teams = new Map<string, Map<string, string | null>>();
  const resumes = new Map<string, ResumeSource & { talentId: string }>();
  for (const event of events) {
    const { type: aggregate } = event.aggregate;
    if (!isId(event.aggregate.id)) continue;
    const id = event.aggregate.id.toLowerCase();
    const payload = event.payload;
    if (aggregate === 'Resume') {
      // As recordResume: an event naming no talent, or a deleted one, changes nothing.
      const talentId = resumeTalent(payload);
      if (talentId && !dead.Talent.has(talentId)) resumes.set(id, { talentId, ...resumeSource(payload) });
      continue;
    }
    const node = NODES[aggregate];
    if (!node) continue;
    nodes.set(`${node.kind}:${id}`, { kind: node.kind, id, label: text(payload[node.label]) });
    if (aggregate === 'Job') requires.set(id, alive(requiredSkills(payload), dead.Skill));
    if (aggregate === 'Project') teams.set(id, teamOf(payload));
  }

  const edges: EdgeInput[] = [];
  for (const [jobId, targets] of requires) for (const target of targets) edges.push({ kind: 'REQUIRES', fromId: jobId, ...target });
  const members: { project_id: string; talent_id: string; role: string | null }[] = [];
  for (const [projectId, team] of teams) {
    for (const [talentId, role] of team) {
      if (dead.Talent.has(talentId)) continue;
      members.push({ project_id: projectId, talent_id: talentId, role });
      edges.push({ kind: 'MEMBER_OF', fromId: talentId, toId: projectId, properties: { role } });
    }
  }
  // Each talent's resumes in resume id order, as redrawTalent reads them (uuid order is the lower-case text order).
  const byTalent = new Map<string, ResumeSource[]>();
  for (const [, resume] of [...resumes].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!byTalent.has(resume.talentId)) byTalent.set(resume.talentId, []);
    byTalent.get(resume.talentId)!.push(resume);
  }
  // Every talent's endorsement counts per skill, read once (redrawTalent reads one talent's).
  const counts = await tx.query<{ talent_id: string; skill_id: string; count: number }>(
    'select talent_id, skill_id, count(*)::int as count from endorsements group by talent_id, skill_id',
  );
  const endorsements = new Map<string, Map<string, number>>();
  for (const row of counts) {
    if (!endorsements.has(row.talent_id)) endorsements.set(row.talent_id, new Map());
    endorsements.get(row.talent_id)!.set(row.skill_id, row.count);
  }
  for (const [talentId, sources] of byTalent) {
    const { workedAt, hasSkill } = talentEdges(sources, endorsements.get(talentId) ?? new Map<string, number>());
    for (const target of alive(workedAt, dead.Company)) edges.push({ kind: 'WORKED_AT', fromId: talentId, ...target });
    for (const target of alive(hasSkill, dead.Skill)) edges.push({ kind: 'HAS_SKILL', fromId: talentId, ...target });
  }

  await insertRows(tx, 'resume_sources', 'resume_id uuid, talent_id uuid, experience jsonb, skills jsonb', [...resumes].map(([resumeId, resume]) => ({
    resume_id: resumeId,
    talent_id: resume.talentId,
    experience: resume.experience,
    skills: resume.skills,
  })));
  await insertRows(tx, 'project_members', 'project_id uuid, talent_id uuid, role text', members);
  await graph.upsertNodes([...nodes.values()]);
  await graph.upsertEdges(edges);
}

/**
 * Inserts rows (objects keyed by column) in statements of BULK_ROWS; `columns` names and types
 * them, e.g. 'id uuid, role text'. The table and columns are this file's constants, never input.
 */
async function insertRows(tx: Queryable, table: string, columns: string, rows: readonly Record<string, unknown>[]): Promise<void> {
  const names = columns.split(',').map((column) => column.trim().split(' ')[0]).join(', ');
  for (const chunk of chunked(rows)) {
    await tx.query(`insert into ${table} (${names}) select ${names} from jsonb_to_recordset($1::jsonb) as r(${columns})`, [JSON.stringify(chunk)]);
  }
}

export const graphConsumer: EventConsumer<Stores> = {
  name: CONSUMER,
  owners: ['skills', 'companies', 'resumes', 'jobs', 'projects'],
  apply: (stores, event, tx) => applyEvent(stores.graph.within(tx), tx, event),
  reset: (stores, tx) => reset(stores.graph.within(tx), tx),
  restore: (stores, events, tx) => restore(stores.graph.within(tx), tx, events),
};
