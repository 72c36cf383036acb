import { mayReadPersonalData, type Viewer } from '../../../platform/auth/index.ts';
import type { Queryable } from '../../../platform/db/db.ts';
import { yearsOfExperience } from '../matching/score.ts';
import type { Skills } from '../taxonomy.ts';

/**
 * A talent's record as questions are answered from it: one fact per field, each named by its
 * path (what an answer cites) and filed under a topic. Built for one caller: personal data
 * (contact, salary expectation) is left out unless they may read it, so no answerer can reveal it.
 */

export type Topic =
  | 'name'
  | 'headline'
  | 'summary'
  | 'location'
  | 'tags'
  | 'skills'
  | 'experience'
  | 'years'
  | 'education'
  | 'certifications'
  | 'projects'
  | 'contact'
  | 'salary';

/** Topics that are personal data: readable by the owners and holders of talent:read:contact. */
export const PERSONAL_TOPICS: readonly Topic[] = ['contact', 'salary'];

export interface Fact {
  /** The field's path, e.g. `resume.experience[0]`: what an answer cites. */
  field: string;
  topic: Topic;
  text: string;
  /** For skill facts: the skill's canonical name, lower-cased. */
  skill?: string;
}

export interface TalentRecord {
  talentId: string;
  name: string;
  facts: Fact[];
  /** Whether personal data was left out because the caller may not read it. */
  personalDataWithheld: boolean;
}

type Payload = Record<string, unknown>;
const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
const list = (value: unknown): Payload[] => (Array.isArray(value) ? value.filter((item): item is Payload => typeof item === 'object' && item !== null) : []);
const joined = (...parts: unknown[]) => parts.map(text).filter(Boolean).join(', ');

export async function talentRecord(q: Queryable, talentId: string, viewer: Viewer | null, skills: Skills): Promise<TalentRecord | null> {
  const [row] = await q.query<{
    name: string;
    headline: string | null;
    location: Payload | null;
    tags: string[];
    contact: Payload | null;
    salary_expectation: Payload | null;
    owner_id: string | null;
    user_id: string | null;
    resume: Payload | null;
  }>(
    `select t.name, t.headline, t.location, t.tags, t.contact, t.salary_expectation, t.owner_id, t.user_id, r.document as resume
       from talents t
       left join lateral (select document from resumes where talent_id = t.id order by updated_at desc nulls last, id limit 1) r on true
      where t.id = $1`,
    [talentId],
  );
  if (!row) return null;
  const facts: Fact[] = [];
  const add = (field: string, topic: Topic, value: string, skill?: string) => {
    if (value) facts.push({ field, topic, text: value, ...(skill ? { skill } : {}) });
  };
  add('talent.name', 'name', row.name);
  add('talent.headline', 'headline', row.headline ?? '');
  if (row.location) {
    const place = joined(row.location.city, row.location.region, row.location.country);
    add('talent.location', 'location', row.location.remote ? `${place}${place ? ', ' : ''}works remotely` : place);
  }
  if (row.tags.length) add('talent.tags', 'tags', row.tags.join(', '));

  const personal = mayReadPersonalData(viewer, 'talent:read:contact', [row.owner_id, row.user_id]);
  if (personal) {
    for (const key of ['email', 'phone', 'linkedin', 'website']) add(`talent.contact.${key}`, 'contact', text(row.contact?.[key]));
    const salary = row.salary_expectation;
    if (salary) add('talent.salaryExpectation', 'salary', `${String(salary.min)}–${String(salary.max)} ${text(salary.currency)} per ${text(salary.period).toLowerCase()}`);
  }

  const resume = row.resume ?? {};
  add('resume.title', 'headline', text(resume.title));
  add('resume.summary', 'summary', text(resume.summary));
  const experience = list(resume.experience);
  experience.forEach((stint, index) => {
    const when = `${text(stint.from)} – ${text(stint.to) || 'now'}`;
    add(`resume.experience[${index}]`, 'experience', `${text(stint.title)} at ${text(stint.companyName) || 'a company'} (${when})${text(stint.description) ? `: ${text(stint.description)}` : ''}`);
  });
  if (experience.length) add('resume.experience', 'years', `${yearsOfExperience(experience)} years of experience in the stints listed`);
  list(resume.skills).forEach((skill, index) => {
    const name = skills.names.get(text(skill.skillId).toLowerCase());
    if (!name) return;
    const years = Number(skill.years) || 0;
    add(`resume.skills[${index}]`, 'skills', `${name} (${text(skill.level).toLowerCase()}${years ? `, ${years} years` : ''})`, name.toLowerCase());
  });
  list(resume.education).forEach((entry, index) => {
    const degree = [text(entry.degree), text(entry.field)].filter(Boolean).join(' in ');
    add(`resume.education[${index}]`, 'education', `${joined(degree, entry.institution)}${entry.from || entry.to ? ` (${text(entry.from)} – ${text(entry.to)})` : ''}`);
  });
  list(resume.certifications).forEach((entry, index) => add(`resume.certifications[${index}]`, 'certifications', joined(entry.name, entry.issuer, entry.issuedOn)));
  list(resume.projects).forEach((entry, index) => add(`resume.projects[${index}]`, 'projects', `${text(entry.name)}${text(entry.description) ? `: ${text(entry.description)}` : ''}`));

  return { talentId, name: row.name, facts, personalDataWithheld: !personal };
}
