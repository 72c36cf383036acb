import type { Queryable } from '../../../platform/db/db.ts';
import type { Stores } from '../index.ts';
import { jobProfiles, talentProfiles, type JobProfile, type TalentProfile } from '../profiles.ts';
import { scoreMatch, type Match } from './score.ts';

/**
 * Finds the best matches for a job or a talent. The score (score.ts) needs every candidate's
 * facts, so candidates are gathered first: the nearest by embedding, plus everyone holding (or
 * every open job asking for) one of the skills at stake, whom a text-poor profile would
 * otherwise hide. Then all are scored, and the best `first` kept.
 */

/** Candidates taken from each source, at most. */
const NEAREST = 200;
const BY_SKILL = 500;

export interface Ranked<T> extends Match {
  candidate: T;
}

export async function matchingTalents(stores: Stores, job: JobProfile, first: number): Promise<Ranked<TalentProfile>[]> {
  const vector = await vectorOf(stores, 'Job', job);
  const nearest = await stores.vectors.nearest('Talent', vector, NEAREST);
  const bySkill = await talentsHolding(stores.db, job.requiredSkills.map((skill) => skill.skillId));
  const similarity = await similarities(stores, 'Talent', vector, nearest, bySkill);
  const talents = await talentProfiles(stores.db, [...similarity.keys()], await stores.taxonomy.load(stores.db));
  return best(
    talents.map((talent) => ({ candidate: talent, ...scoreMatch(talent, job, similarity.get(talent.id) ?? 0, stores.embedder.similarityRange) })),
    first,
  );
}

export async function matchingJobs(stores: Stores, talent: TalentProfile, first: number): Promise<Ranked<JobProfile>[]> {
  const vector = await vectorOf(stores, 'Talent', talent);
  const nearest = await stores.vectors.nearest('Job', vector, NEAREST);
  const bySkill = await openJobsAsking(stores.db, talent.skills.map((skill) => skill.skillId));
  const similarity = await similarities(stores, 'Job', vector, nearest, bySkill);
  const jobs = (await jobProfiles(stores.db, [...similarity.keys()], await stores.taxonomy.load(stores.db))).filter((job) => job.status === 'OPEN');
  return best(
    jobs.map((job) => ({ candidate: job, ...scoreMatch(talent, job, similarity.get(job.id) ?? 0, stores.embedder.similarityRange) })),
    first,
  );
}

/** The stored embedding, or one made now (an entity whose event is still on its way). */
async function vectorOf(stores: Stores, kind: 'Talent' | 'Job', profile: { id: string; text: string }): Promise<number[]> {
  return (await stores.vectors.vectorOf(kind, profile.id)) ?? (await stores.embedder.embed([profile.text]))[0]!;
}

async function similarities(
  stores: Stores,
  kind: 'Talent' | 'Job',
  vector: number[],
  nearest: readonly { id: string; similarity: number }[],
  bySkill: readonly string[],
): Promise<Map<string, number>> {
  const similarity = new Map(nearest.map((neighbour) => [neighbour.id, neighbour.similarity]));
  const rest = bySkill.filter((id) => !similarity.has(id));
  for (const [id, value] of await stores.vectors.similarities(kind, vector, rest)) similarity.set(id, value);
  for (const id of rest) if (!similarity.has(id)) similarity.set(id, 0);
  return similarity;
}

function best<T extends { id: string }>(ranked: Ranked<T>[], first: number): Ranked<T>[] {
  return ranked.sort((a, b) => b.score - a.score || (a.candidate.id < b.candidate.id ? -1 : 1)).slice(0, first);
}

/** Talents whose latest resume lists one of these skills. */
async function talentsHolding(q: Queryable, skillIds: readonly string[]): Promise<string[]> {
  if (!skillIds.length) return [];
  const rows = await q.query<{ id: string }>(
    `select t.id::text from talents t
       cross join lateral (select document from resumes where talent_id = t.id order by updated_at desc nulls last, id limit 1) r
      where exists (select 1 from jsonb_array_elements(r.document->'skills') s where s->>'skillId' = any($1::text[]))
      order by t.id limit ${BY_SKILL}`,
    [skillIds],
  );
  return rows.map((row) => row.id);
}

/**
 * Open jobs that ask for one of these skills ($1): the expression is the index's (migrations/004),
 * and the order is the uuid column's, not its text, so the planner may also walk the primary key
 * and stop at the limit.
 */
export const OPEN_JOBS_ASKING = `select id::text from jobs
  where status = 'OPEN' and jsonb_path_query_array(required_skills, '$[*].skillId') ?| $1::text[]
  order by jobs.id limit ${BY_SKILL}`;

export async function openJobsAsking(q: Queryable, skillIds: readonly string[]): Promise<string[]> {
  if (!skillIds.length) return [];
  const rows = await q.query<{ id: string }>(OPEN_JOBS_ASKING, [skillIds]);
  return rows.map((row) => row.id);
}
