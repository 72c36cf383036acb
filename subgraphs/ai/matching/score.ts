/**
 * How well a talent fits a job: a score from 0 to 1, the weighted sum of four parts, each from
 * 0 to 1, every one of them reported with the match (README, "AI"):
 *
 * | part       | weight | what it measures |
 * |------------|--------|------------------|
 * | skills     | 0.45   | the job's required skills the talent holds, each counting fully at the level asked or above, 0.6 one level below, 0.3 two below, 0.1 three below, 0 when missing; their mean (1 when the job asks none) |
 * | similarity | 0.35   | cosine similarity of the talent's and the job's embeddings (profile text against job text), mapped from the embedder's range (what it gives unrelated texts → closely related ones) onto 0–1; 0 without one (a text with no words) |
 * | experience | 0.10   | years of experience against the minimum the job title's seniority implies (Junior 0, Mid 2, unstated 2, Senior 5, Lead 7, Staff 8, Principal and Head 10): 1 at or above it, falling linearly to 0 at none; 0.8 for a Junior or Intern role taken by someone with over 8 years |
 * | location   | 0.10   | 1 when the job is remote or in the talent's city, 0.8 same region, 0.6 same country, 0.3 when the talent works remotely, else 0; 0.5 when either location is unknown (neither city nor country) |
 */

export const WEIGHTS = { skills: 0.45, similarity: 0.35, experience: 0.1, location: 0.1 } as const;
export type ScorePart = keyof typeof WEIGHTS;

export const SKILL_LEVELS = ['BEGINNER', 'INTERMEDIATE', 'ADVANCED', 'EXPERT'] as const;
export type SkillLevel = (typeof SKILL_LEVELS)[number];
/** What a skill held this many levels below the one asked for still counts. */
const BELOW_LEVEL = [1, 0.6, 0.3, 0.1];

export interface Place {
  city?: string | null;
  region?: string | null;
  country?: string | null;
  remote?: boolean | null;
}

export interface RequiredSkill {
  skillId: string;
  level: SkillLevel;
}

export interface HeldSkill {
  skillId: string;
  level: SkillLevel;
  years: number;
}

export interface MatchedSkill extends HeldSkill {
  requiredLevel: SkillLevel;
  /** What it counts towards the skills part, 0 to 1. */
  fit: number;
}

export interface SkillCoverage {
  score: number;
  matched: MatchedSkill[];
  missing: RequiredSkill[];
}

export interface TalentFacts {
  skills: readonly HeldSkill[];
  yearsOfExperience: number;
  location: Place | null;
}

export interface JobFacts {
  requiredSkills: readonly RequiredSkill[];
  /** The seniority its title states (text-analysis seniorityOf), or null. */
  seniority: string | null;
  location: Place | null;
}

export interface Match {
  score: number;
  parts: Record<ScorePart, number>;
  matchedSkills: MatchedSkill[];
  missingSkills: RequiredSkill[];
}

const levelIndex = (level: string) => Math.max(0, SKILL_LEVELS.indexOf(level as SkillLevel));

export function skillCoverage(required: readonly RequiredSkill[], held: readonly HeldSkill[]): SkillCoverage {
  const byId = new Map(held.map((skill) => [skill.skillId, skill]));
  const matched: MatchedSkill[] = [];
  const missing: RequiredSkill[] = [];
  let total = 0;
  for (const requirement of required) {
    const skill = byId.get(requirement.skillId);
    if (!skill) {
      missing.push(requirement);
      continue;
    }
    const shortfall = Math.max(0, levelIndex(requirement.level) - levelIndex(skill.level));
    const fit = BELOW_LEVEL[shortfall] ?? 0;
    matched.push({ ...skill, requiredLevel: requirement.level, fit });
    total += fit;
  }
  return { score: required.length ? total / required.length : 1, matched, missing };
}

const MINIMUM_YEARS: Record<string, number> = { Intern: 0, Junior: 0, Mid: 2, Senior: 5, Lead: 7, Staff: 8, Principal: 10, Head: 10 };
const UNSTATED_MINIMUM = 2;

export function experienceFit(years: number, seniority: string | null): number {
  const minimum = seniority ? (MINIMUM_YEARS[seniority] ?? UNSTATED_MINIMUM) : UNSTATED_MINIMUM;
  if ((seniority === 'Junior' || seniority === 'Intern') && years > 8) return 0.8;
  if (years >= minimum) return 1;
  return Math.max(0, years / minimum);
}

const same = (a: string | null | undefined, b: string | null | undefined) => !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();

/** A place is known by its city or its country; one with neither (`{ remote: false }`, all nulls) is not. */
const known = (place: Place | null): place is Place => !!place && (filled(place.city) || filled(place.country));
const filled = (value: unknown) => typeof value === 'string' && value.trim() !== '';

export function locationFit(talent: Place | null, job: Place | null): number {
  if (job?.remote) return 1;
  if (!known(talent) || !known(job)) return 0.5;
  if (same(talent.city, job.city) && (same(talent.country, job.country) || !talent.country || !job.country)) return 1;
  if (same(talent.region, job.region) && same(talent.country, job.country)) return 0.8;
  if (same(talent.country, job.country)) return 0.6;
  return talent.remote ? 0.3 : 0;
}

/** Cosine similarity as a part of the score: `range` (unrelated → closely related, per embedder) onto 0–1. */
export function similarityFit(cosine: number, range: readonly [number, number]): number {
  const [unrelated, alike] = range;
  return unit((cosine - unrelated) / (alike - unrelated));
}

/** Clamped to 0–1, and 0 for what is not a number (NaN would fail GraphQL's Float!). */
const unit = (value: number) => (Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0);

export function scoreMatch(talent: TalentFacts, job: JobFacts, similarity: number, range: readonly [number, number]): Match {
  const coverage = skillCoverage(job.requiredSkills, talent.skills);
  const parts: Record<ScorePart, number> = {
    skills: unit(coverage.score),
    similarity: similarityFit(similarity, range),
    experience: unit(experienceFit(talent.yearsOfExperience, job.seniority)),
    location: unit(locationFit(talent.location, job.location)),
  };
  const score = unit((Object.keys(WEIGHTS) as ScorePart[]).reduce((sum, part) => sum + WEIGHTS[part] * parts[part], 0));
  return { score, parts, matchedSkills: coverage.matched, missingSkills: coverage.missing };
}

/** Whole years of experience from dated stints ('YYYY-MM', open-ended ones until `now`), overlaps counted once. */
export function yearsOfExperience(stints: readonly { from?: unknown; to?: unknown }[], now = new Date()): number {
  const current = now.getUTCFullYear() * 12 + now.getUTCMonth();
  const spans = stints
    .map((stint) => [month(stint.from), stint.to == null ? current : month(stint.to)] as const)
    .filter((span): span is readonly [number, number] => span[0] !== null && span[1] !== null && span[1] >= span[0])
    .sort((a, b) => a[0] - b[0]);
  // Merge overlapping or adjoining stints (months inclusive), then count the months covered.
  let months = 0;
  let open: [number, number] | null = null;
  for (const [from, to] of spans) {
    if (open && from <= open[1] + 1) open[1] = Math.max(open[1], to);
    else {
      if (open) months += open[1] - open[0] + 1;
      open = [from, to];
    }
  }
  if (open) months += open[1] - open[0] + 1;
  return Math.floor(months / 12);
}

function month(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{4})-(\d{2})/.exec(value);
  if (!match) return null;
  const m = Number(match[2]);
  return m >= 1 && m <= 12 ? Number(match[1]) * 12 + m - 1 : null;
}
