/**
 * Derives the labelled matching set (test/matching/judgments.json) from the demo dataset: for
 * each of the first open jobs, the talents a recruiter would want to call, graded.
 *
 * The grades are an explicit predicate over the dataset, written from the recruiter's side and
 * never from any engine's output (nothing here calls the matching or search code):
 * - the talent's line of work: the role in their headline or any of their stints belongs to the
 *   job's family of roles (the demo's career tracks: Backend Engineer, API Engineer and Software
 *   Engineer are one family);
 * - the job's required skills the talent holds, and those held at the level asked or above.
 * Grade 3: the right line of work, at least 3/4 of the skills, and half of them at level. Grade 2:
 * the right line of work and half of the skills, or (whatever the line) 3/4 of the skills with
 * half at level. Grade 1: the right line of work, or half of the skills.
 *
 *   npx tsx test/matching/judge.ts      regenerates judgments.json (deterministically)
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TRACKS, generateDemoDataset } from '../../demo/dataset.ts';
import type { DemoDataset, DemoSkillLevel } from '../../demo/types.ts';
import type { Judgment } from '../relevance/metrics.ts';

export const MATCHING_JUDGMENTS_FILE = fileURLToPath(new URL('./judgments.json', import.meta.url));
/** Jobs in the set. */
export const JOBS = 36;

const LEVELS: readonly DemoSkillLevel[] = ['BEGINNER', 'INTERMEDIATE', 'ADVANCED', 'EXPERT'];
const SENIORITY = /^(Senior|Lead|Staff|Junior|Principal|Mid-level)\s+/;

/** The family (career track) of a role title, seniority aside; -1 for none. */
const familyOf = (title: string) => TRACKS.findIndex((track) => track.titles.includes(title.replace(SENIORITY, '').split(' · ')[0]!.trim()));

export function deriveMatchingJudgments(dataset: DemoDataset = generateDemoDataset()): Judgment[] {
  const talents = dataset.talents.map((talent) => {
    const documents = dataset.resumes.filter((resume) => resume.talentId === talent.id).map((resume) => resume.versions.at(-1)!);
    const levels = new Map<string, number>();
    for (const skill of documents.flatMap((document) => document.skills)) levels.set(skill.skillId, Math.max(levels.get(skill.skillId) ?? -1, LEVELS.indexOf(skill.level)));
    const families = new Set([talent.headline, ...documents.flatMap((document) => document.experience.map((stint) => stint.title))].map(familyOf));
    return { id: talent.id, levels, families };
  });
  const openJobs = dataset.jobs.filter((job) => job.statusPath.at(-1) === 'OPEN' && job.requiredSkills.length >= 3).slice(0, JOBS);
  return openJobs.map((job) => {
    const family = familyOf(job.title);
    const relevant = talents.flatMap((talent) => {
      const held = job.requiredSkills.filter((skill) => talent.levels.has(skill.skillId)).length / job.requiredSkills.length;
      const met = job.requiredSkills.filter((skill) => (talent.levels.get(skill.skillId) ?? -1) >= LEVELS.indexOf(skill.level)).length / job.requiredSkills.length;
      const line = family >= 0 && talent.families.has(family);
      const grade = line && held >= 0.75 && met >= 0.5 ? 3 : (line && held >= 0.5) || (held >= 0.75 && met >= 0.5) ? 2 : line || held >= 0.5 ? 1 : 0;
      return grade ? [{ type: 'TALENT', id: talent.id, grade }] : [];
    });
    relevant.sort((a, b) => b.grade - a.grade);
    return { query: job.id, intent: `Talents to call for "${job.title}"`, relevant };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const judgments = deriveMatchingJudgments();
  writeFileSync(MATCHING_JUDGMENTS_FILE, `${JSON.stringify(judgments, null, 2)}\n`);
  const grades = judgments.flatMap((judgment) => judgment.relevant.map((item) => item.grade));
  console.log(`${judgments.length} jobs, ${grades.filter((g) => g === 3).length}/${grades.filter((g) => g === 2).length}/${grades.filter((g) => g === 1).length} talents of grade 3/2/1`);
}
