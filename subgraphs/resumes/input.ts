import { badInput } from '../../platform/errors.ts';
import { email, id, intInRange, location, optionalText, optionalUrl, requiredText, tags } from '../../platform/validate.ts';
import type {
  Certification,
  Education,
  Experience,
  Location,
  ResumeDocument,
  ResumeProject,
  ResumeSkill,
  SalaryExpectation,
  SalaryPeriod,
  SkillLevel,
  TalentContact,
  TalentFields,
} from './store.ts';

/** Mutation inputs as GraphQL delivers them, checked and normalised here into store records. */

export interface TalentContactInput {
  email?: string | null;
  phone?: string | null;
  linkedin?: string | null;
  website?: string | null;
}

export interface SalaryExpectationInput {
  min: number;
  max: number;
  currency: string;
  period: SalaryPeriod;
}

export interface TalentInput {
  name?: string | null;
  headline?: string | null;
  contact?: TalentContactInput | null;
  salaryExpectation?: SalaryExpectationInput | null;
  location?: Location | null;
  tags?: string[] | null;
  ownerId?: string | null;
  userId?: string | null;
}

export interface ResumeInput {
  title: string;
  summary?: string | null;
  education?: Partial<Education>[] | null;
  experience?: Partial<Experience>[] | null;
  skills?: { skillId: string; level: SkillLevel; years?: number | null }[] | null;
  projects?: Partial<ResumeProject>[] | null;
  certifications?: Partial<Certification>[] | null;
}

const MAX_ENTRIES = 100;
/** GraphQL's Int is 32-bit, so a larger amount could not be read back. */
const MAX_SALARY = 2_147_483_647;
const CURRENCY = /^[A-Z]{3}$/;

function contact(value: TalentContactInput | null | undefined): TalentContact {
  return {
    email: value?.email?.trim() ? email(value.email, 'contact.email') : null,
    phone: optionalText(value?.phone, 'contact.phone', 50),
    linkedin: optionalUrl(value?.linkedin, 'contact.linkedin'),
    website: optionalUrl(value?.website, 'contact.website'),
  };
}

/** The same rules as a job's salary range in the jobs subgraph. */
function salaryExpectation(value: SalaryExpectationInput | null | undefined): SalaryExpectation | null {
  if (value == null) return null;
  const min = intInRange(value.min, 'salaryExpectation.min', 0, MAX_SALARY)!;
  const max = intInRange(value.max, 'salaryExpectation.max', 0, MAX_SALARY)!;
  if (max < min) throw badInput('salaryExpectation.max must not be below salaryExpectation.min', 'salaryExpectation.max');
  const currency = value.currency.trim().toUpperCase();
  if (!CURRENCY.test(currency)) {
    throw badInput('salaryExpectation.currency must be a three-letter ISO-4217 code, e.g. EUR', 'salaryExpectation.currency');
  }
  return { min, max, currency, period: value.period };
}

/**
 * Validates only the fields present, so an update changes exactly what the client sent.
 * `ownerId` and `userId` are checked for shape only; who may set them is the mutation's business.
 */
export function talentFields(input: TalentInput): Partial<TalentFields> {
  const fields: Partial<TalentFields> = {};
  if ('name' in input) fields.name = requiredText(input.name, 'name');
  if ('headline' in input) fields.headline = optionalText(input.headline, 'headline', 300);
  if ('contact' in input) fields.contact = contact(input.contact);
  if ('salaryExpectation' in input) fields.salaryExpectation = salaryExpectation(input.salaryExpectation);
  if ('location' in input) fields.location = location(input.location);
  if ('tags' in input) fields.tags = tags(input.tags);
  if ('ownerId' in input) {
    if (input.ownerId == null) throw badInput('ownerId cannot be cleared; a talent always has an owner', 'ownerId');
    fields.ownerId = id(input.ownerId, 'ownerId');
  }
  if ('userId' in input) fields.userId = input.userId == null ? null : id(input.userId, 'userId');
  return fields;
}

const PARTIAL_DATE = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/;

/** A calendar month `YYYY-MM` or day `YYYY-MM-DD` that exists. */
export function isPartialDate(value: string): boolean {
  const match = PARTIAL_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), match[3] === undefined ? 1 : Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function optionalDate(value: string | null | undefined, field: string): string | null {
  const text = value?.trim();
  if (!text) return null;
  if (!isPartialDate(text)) throw badInput(`${field} must be a date as YYYY-MM or YYYY-MM-DD`, field);
  return text;
}

function requiredDate(value: string | null | undefined, field: string): string {
  const date = optionalDate(value, field);
  if (date == null) throw badInput(`${field} is required`, field);
  return date;
}

/** `end` may not come before `start`; a month and a day in it compare as equal. */
function inOrder(start: string | null, end: string | null, field: string): void {
  if (start == null || end == null) return;
  const precision = Math.min(start.length, end.length);
  if (end.slice(0, precision) < start.slice(0, precision)) throw badInput(`${field} must not be before the start date`, field);
}

function entries<In, Out>(values: In[] | null | undefined, field: string, check: (value: In, path: string) => Out): Out[] {
  const list = values ?? [];
  if (list.length > MAX_ENTRIES) throw badInput(`${field} may hold at most ${MAX_ENTRIES} entries`, field);
  return list.map((value, index) => check(value, `${field}[${index}]`));
}

function education(value: Partial<Education>, path: string): Education {
  const entry: Education = {
    institution: requiredText(value.institution, `${path}.institution`),
    degree: optionalText(value.degree, `${path}.degree`, 200),
    field: optionalText(value.field, `${path}.field`, 200),
    from: optionalDate(value.from, `${path}.from`),
    to: optionalDate(value.to, `${path}.to`),
  };
  inOrder(entry.from, entry.to, `${path}.to`);
  return entry;
}

function experience(value: Partial<Experience>, path: string): Experience {
  const entry: Experience = {
    companyId: value.companyId == null ? null : id(value.companyId, `${path}.companyId`),
    companyName: requiredText(value.companyName, `${path}.companyName`),
    title: requiredText(value.title, `${path}.title`),
    from: requiredDate(value.from, `${path}.from`),
    to: optionalDate(value.to, `${path}.to`),
    description: optionalText(value.description, `${path}.description`),
  };
  inOrder(entry.from, entry.to, `${path}.to`);
  return entry;
}

function skills(values: ResumeInput['skills']): ResumeSkill[] {
  const seen = new Set<string>();
  return entries(values, 'skills', (value, path) => {
    const skillId = id(value.skillId, `${path}.skillId`);
    if (seen.has(skillId)) throw badInput(`${path}.skillId lists a skill twice`, `${path}.skillId`);
    seen.add(skillId);
    return { skillId, level: value.level, years: intInRange(value.years, `${path}.years`, 0, 60) };
  });
}

function project(value: Partial<ResumeProject>, path: string): ResumeProject {
  return {
    name: requiredText(value.name, `${path}.name`),
    description: optionalText(value.description, `${path}.description`),
    url: optionalUrl(value.url, `${path}.url`),
  };
}

function certification(value: Partial<Certification>, path: string): Certification {
  const entry: Certification = {
    name: requiredText(value.name, `${path}.name`),
    issuer: optionalText(value.issuer, `${path}.issuer`, 200),
    issuedOn: optionalDate(value.issuedOn, `${path}.issuedOn`),
    expiresOn: optionalDate(value.expiresOn, `${path}.expiresOn`),
  };
  inOrder(entry.issuedOn, entry.expiresOn, `${path}.expiresOn`);
  return entry;
}

/** A whole resume document; every update saves one of these as a new version. */
export function resumeDocument(input: ResumeInput): ResumeDocument {
  return {
    title: requiredText(input.title, 'title'),
    summary: optionalText(input.summary, 'summary', 10_000),
    education: entries(input.education, 'education', education),
    experience: entries(input.experience, 'experience', experience),
    skills: skills(input.skills),
    projects: entries(input.projects, 'projects', project),
    certifications: entries(input.certifications, 'certifications', certification),
  };
}
