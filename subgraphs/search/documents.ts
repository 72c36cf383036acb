import { seniorityOf } from '../../platform/text-analysis.ts';
import type { EntityRef, SearchDocument } from './store.ts';

/**
 * How each entity becomes a search document, from the owners' payloads (their latest events).
 * Only what a reader of the entity may see goes in: a talent's contact details and salary
 * never do, so no hit or highlight can show them.
 */

export type Payload = Record<string, unknown>;

/** The payloads a set of documents is drawn from, by id. */
export interface Sources {
  talents: Map<string, Payload>;
  /** A talent's resumes, newest version first. */
  resumesByTalent: Map<string, Payload[]>;
  companies: Map<string, Payload>;
  skills: Map<string, Payload>;
  jobs: Map<string, Payload>;
  projects: Map<string, Payload>;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value : null);
const list = (value: unknown): Payload[] => (Array.isArray(value) ? value.filter((item): item is Payload => typeof item === 'object' && item !== null) : []);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
const join = (...parts: (string | null | undefined)[]) => parts.filter((part): part is string => !!part).join('\n');
const unique = (values: (string | null)[]) => [...new Set(values.filter((value): value is string => !!value))];

/** The facet value of a location: its city, else its country, else "Remote" for a remote one. */
function place(location: unknown): string | null {
  if (typeof location !== 'object' || location === null) return null;
  const { city, country, remote } = location as Payload;
  return text(city) ?? text(country) ?? (remote === true ? 'Remote' : null);
}

const skillName = (sources: Sources, id: unknown) => (typeof id === 'string' ? text(sources.skills.get(id)?.name) : null);
const companyName = (sources: Sources, id: unknown) => (typeof id === 'string' ? text(sources.companies.get(id)?.name) : null);

function talentDocument(id: string, talent: Payload, sources: Sources): SearchDocument {
  const resumes = sources.resumesByTalent.get(id) ?? [];
  const experience = resumes.flatMap((resume) => list(resume.experience));
  const current = experience.find((job) => job.to == null);
  return {
    type: 'Talent',
    id,
    title: text(talent.name) ?? '',
    body: join(
      text(talent.headline),
      strings(talent.tags).join(' '),
      ...resumes.flatMap((resume) => [text(resume.title), text(resume.summary)]),
      ...experience.map((job) => join(text(job.title), companyName(sources, job.companyId) ?? text(job.companyName), text(job.description))),
    ),
    skills: unique(resumes.flatMap((resume) => list(resume.skills).map((skill) => skillName(sources, skill.skillId)))),
    location: place(talent.location),
    company: current ? (companyName(sources, current.companyId) ?? text(current.companyName)) : null,
    employmentType: null,
    seniority: seniorityOf(text(talent.headline)),
    visibility: 'talent',
  };
}

function jobDocument(id: string, job: Payload, sources: Sources): SearchDocument {
  const company = companyName(sources, job.companyId);
  return {
    type: 'Job',
    id,
    title: text(job.title) ?? '',
    body: join(text(job.description), company),
    skills: unique(list(job.requiredSkills).map((skill) => skillName(sources, skill.skillId))),
    location: place(job.location),
    company,
    employmentType: text(job.employmentType),
    seniority: seniorityOf(text(job.title)),
    visibility: 'public',
  };
}

function companyDocument(id: string, company: Payload): SearchDocument {
  return {
    type: 'Company',
    id,
    title: text(company.name) ?? '',
    body: join(text(company.industry), text(company.description)),
    skills: [],
    location: place(company.location),
    company: text(company.name),
    employmentType: null,
    seniority: null,
    visibility: 'public',
  };
}

function projectDocument(id: string, project: Payload, sources: Sources): SearchDocument {
  return {
    type: 'Project',
    id,
    title: text(project.name) ?? '',
    body: text(project.description) ?? '',
    skills: unique(strings(project.skillIds).map((skillId) => skillName(sources, skillId))),
    location: null,
    company: companyName(sources, project.companyId),
    employmentType: null,
    seniority: null,
    visibility: 'public',
  };
}

function skillDocument(id: string, skill: Payload): SearchDocument {
  return {
    type: 'Skill',
    id,
    title: text(skill.name) ?? '',
    body: join(strings(skill.aliases).join(' '), text(skill.category), text(skill.description)),
    skills: unique([text(skill.name)]),
    location: null,
    company: null,
    employmentType: null,
    seniority: null,
    visibility: 'public',
  };
}

/** The document for an entity, or null when its owner has not told us about it (or deleted it). */
export function renderDocument(ref: EntityRef, sources: Sources): SearchDocument | null {
  switch (ref.type) {
    case 'Talent': {
      const talent = sources.talents.get(ref.id);
      return talent ? talentDocument(ref.id, talent, sources) : null;
    }
    case 'Job': {
      const job = sources.jobs.get(ref.id);
      return job ? jobDocument(ref.id, job, sources) : null;
    }
    case 'Company': {
      const company = sources.companies.get(ref.id);
      return company ? companyDocument(ref.id, company) : null;
    }
    case 'Project': {
      const project = sources.projects.get(ref.id);
      return project ? projectDocument(ref.id, project, sources) : null;
    }
    case 'Skill': {
      const skill = sources.skills.get(ref.id);
      return skill ? skillDocument(ref.id, skill) : null;
    }
  }
}
