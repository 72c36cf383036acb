import type { Queryable } from '../../platform/db/db.ts';
import { seniorityOf } from '../../platform/text-analysis.ts';
import { isId } from '../../platform/validate.ts';
import { SKILL_LEVELS, yearsOfExperience, type HeldSkill, type JobFacts, type Place, type RequiredSkill, type SkillLevel, type TalentFacts } from './matching/score.ts';
import type { Skills } from './taxonomy.ts';

/**
 * Talents and jobs as matching sees them, read from the tables the consumer keeps
 * (migrations/001_sources.sql): the facts the score weighs, and the text that gets embedded.
 * A talent is read with their latest resume.
 */

type Payload = Record<string, unknown>;

export interface TalentProfile extends TalentFacts {
  id: string;
  text: string;
}

export interface JobProfile extends JobFacts {
  id: string;
  status: string | null;
  text: string;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const list = (value: unknown): Payload[] => (Array.isArray(value) ? value.filter((item): item is Payload => typeof item === 'object' && item !== null) : []);
const level = (value: unknown): SkillLevel => (SKILL_LEVELS.includes(value as SkillLevel) ? (value as SkillLevel) : 'BEGINNER');
const place = (value: unknown): Place | null => (value && typeof value === 'object' ? (value as Place) : null);

export async function talentProfiles(q: Queryable, ids: readonly string[], skills: Skills): Promise<TalentProfile[]> {
  const valid = ids.filter(isId);
  if (!valid.length) return [];
  const rows = await q.query<{ id: string; headline: string | null; location: unknown; document: Payload | null }>(
    `select t.id::text, t.headline, t.location, r.document from talents t
       left join lateral (select document from resumes where talent_id = t.id order by updated_at desc nulls last, id limit 1) r on true
      where t.id = any($1::uuid[])`,
    [valid],
  );
  return rows.map((row) => talentProfile(row.id, row.headline, row.location, row.document ?? {}, skills));
}

function talentProfile(id: string, headline: string | null, location: unknown, resume: Payload, skills: Skills): TalentProfile {
  const held: HeldSkill[] = list(resume.skills)
    .filter((skill) => typeof skill.skillId === 'string')
    .map((skill) => ({ skillId: String(skill.skillId).toLowerCase(), level: level(skill.level), years: Number(skill.years) || 0 }));
  const experience = list(resume.experience);
  const lines = [
    headline ?? '',
    text(resume.title),
    text(resume.summary),
    ...experience.map((stint) => `${text(stint.title)} ${text(stint.description)}`),
    held.map((skill) => skills.names.get(skill.skillId) ?? '').join(', '),
  ];
  return { id, skills: held, yearsOfExperience: yearsOfExperience(experience), location: place(location), text: lines.filter(Boolean).join('\n') };
}

export async function jobProfiles(q: Queryable, ids: readonly string[], skills: Skills): Promise<JobProfile[]> {
  const valid = ids.filter(isId);
  if (!valid.length) return [];
  const rows = await q.query<{ id: string; title: string; description: string | null; status: string | null; location: unknown; required_skills: unknown }>(
    'select id::text, title, description, status, location, required_skills from jobs where id = any($1::uuid[])',
    [valid],
  );
  return rows.map((row) => {
    const required: RequiredSkill[] = list(row.required_skills)
      .filter((skill) => typeof skill.skillId === 'string')
      .map((skill) => ({ skillId: String(skill.skillId).toLowerCase(), level: level(skill.level) }));
    const lines = [row.title, row.description ?? '', required.map((skill) => skills.names.get(skill.skillId) ?? '').join(', ')];
    return { id: row.id, status: row.status, requiredSkills: required, seniority: seniorityOf(row.title), location: place(row.location), text: lines.filter(Boolean).join('\n') };
  });
}
