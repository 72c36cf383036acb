import { isId } from '../../platform/validate.ts';
import type { EdgeTarget, SkillLevel } from './store.ts';
import { monthIndex } from './validation.ts';

/** A resume's part in the graph, as kept in resume_sources (the owner's payload fields). */
export interface ResumeSource {
  experience: Record<string, unknown>[];
  skills: Record<string, unknown>[];
}

const LEVELS: readonly SkillLevel[] = ['BEGINNER', 'INTERMEDIATE', 'ADVANCED', 'EXPERT'];

const isDate = (value: unknown): value is string => {
  if (typeof value !== 'string') return false;
  try {
    monthIndex(value);
    return true;
  } catch {
    return false;
  }
};

interface Stint {
  title: string | null;
  from: string;
  to: string | null;
}

/** Later start wins; at the same start, the one still running or ending later. */
const later = (a: Stint, b: Stint) => monthIndex(a.from) - monthIndex(b.from) || (a.to === null ? 1 : b.to === null ? -1 : monthIndex(a.to) - monthIndex(b.to));

/**
 * A talent's WORKED_AT and HAS_SKILL edges from all of their resumes. A pair of nodes holds one
 * edge of a kind, so several stints at one company keep the latest, and a skill listed on
 * several resumes keeps its highest level and most years. Entries the graph cannot place (no
 * company id, a date that does not parse, a stint ending before it starts) are left out rather
 * than failing the event, which would then be delivered again forever.
 */
export function talentEdges(resumes: readonly ResumeSource[], endorsements: ReadonlyMap<string, number>): { workedAt: EdgeTarget[]; hasSkill: EdgeTarget[] } {
  const stints = new Map<string, Stint>();
  for (const experience of resumes.flatMap((resume) => resume.experience)) {
    const { companyId, title, from, to } = experience;
    if (typeof companyId !== 'string' || !isId(companyId) || !isDate(from)) continue;
    const end = to === null || to === undefined ? null : isDate(to) && monthIndex(to) >= monthIndex(from) ? to : undefined;
    if (end === undefined) continue;
    const stint = { title: typeof title === 'string' ? title : null, from, to: end };
    const known = stints.get(companyId.toLowerCase());
    if (!known || later(stint, known) > 0) stints.set(companyId.toLowerCase(), stint);
  }

  const skills = new Map<string, { level: SkillLevel | null; years: number | null }>();
  for (const skill of resumes.flatMap((resume) => resume.skills)) {
    if (typeof skill.skillId !== 'string' || !isId(skill.skillId)) continue;
    const id = skill.skillId.toLowerCase();
    const level = LEVELS.includes(skill.level as SkillLevel) ? (skill.level as SkillLevel) : null;
    const years = typeof skill.years === 'number' && Number.isFinite(skill.years) ? skill.years : null;
    const known = skills.get(id);
    const rank = (value: SkillLevel | null) => (value ? LEVELS.indexOf(value) : -1);
    skills.set(id, {
      level: known && rank(known.level) > rank(level) ? known.level : level,
      years: known?.years != null && (years == null || known.years > years) ? known.years : years,
    });
  }

  return {
    workedAt: [...stints].map(([toId, stint]) => ({ toId, properties: { ...stint } })),
    hasSkill: [...skills].map(([toId, skill]) => ({ toId, properties: { ...skill, endorsements: endorsements.get(toId) ?? 0 } })),
  };
}
