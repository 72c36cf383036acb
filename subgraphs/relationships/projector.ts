import type { Queryable } from '../../platform/db/db.ts';
import { deletedAmong, isDeletion, type DomainEvent } from '../../platform/events/index.ts';
import type { EventConsumer } from '../../platform/events/projection.ts';
import { isId } from '../../platform/validate.ts';
import type { Stores } from './index.ts';
import { talentEdges, type ResumeSource } from './sources.ts';
import type { EdgeTarget, GraphStore, NodeKind } from './store.ts';

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
  if (aggregate === 'Job') {
    const requires = list(payload.requiredSkills)
      .filter((skill) => isId(skill.skillId))
      .map((skill) => ({ toId: (skill.skillId as string).toLowerCase(), properties: { level: text(skill.level) } }));
    await graph.replaceEdgesFrom('Job', id, 'REQUIRES', await living(tx, 'Skill', requires));
  }
  if (aggregate === 'Project') await recordTeam(graph, tx, id, list(payload.members));
}

async function recordResume(graph: GraphStore, tx: Queryable, resumeId: string, payload: Record<string, unknown>): Promise<void> {
  const talentId = text(payload.talentId)?.toLowerCase();
  if (!talentId || !isId(talentId) || (await buried(tx, 'Talent', [talentId])).size) return;
  // A resume never moves to another talent, but if a stale row says otherwise, redraw both.
  const [previous] = await tx.query<{ talent_id: string }>('select talent_id from resume_sources where resume_id = $1', [resumeId]);
  await tx.query(
    `insert into resume_sources (resume_id, talent_id, experience, skills) values ($1, $2, $3::jsonb, $4::jsonb)
     on conflict (resume_id) do update set talent_id = excluded.talent_id, experience = excluded.experience, skills = excluded.skills`,
    [resumeId, talentId, JSON.stringify(list(payload.experience)), JSON.stringify(list(payload.skills))],
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

/** The edges whose target was not deleted: a resume or job naming a deleted entity draws nothing to it. */
async function living(tx: Queryable, kind: NodeKind, edges: EdgeTarget[]): Promise<EdgeTarget[]> {
  const dead = await buried(tx, kind, edges.map((edge) => edge.toId));
  return edges.filter((edge) => !dead.has(edge.toId));
}

/** Makes the project's MEMBER_OF edges its team as announced, removing those who left. */
async function recordTeam(graph: GraphStore, tx: Queryable, projectId: string, members: Record<string, unknown>[]): Promise<void> {
  const team = new Map<string, string | null>();
  for (const member of members) if (isId(member.talentId)) team.set((member.talentId as string).toLowerCase(), text(member.role));
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
  for (const link of links) {
    await graph.upsertEdge({ kind: 'KNOWS', fromId: link.talent_id, toId: link.other_id, properties: { strength: link.strength } });
  }
}

export const graphConsumer: EventConsumer<Stores> = {
  name: CONSUMER,
  owners: ['skills', 'companies', 'resumes', 'jobs', 'projects'],
  apply: (stores, event, tx) => applyEvent(stores.graph.within(tx), tx, event),
  reset: (stores, tx) => reset(stores.graph.within(tx), tx),
};
