import type { CandidateInput, ResumeInput } from '../../../platform/zervigo-client.ts';
import type { TalentForPush } from './store.ts';

/** How a Looma talent and resume become Zervigo's candidate and resume (platform/zervigo-client.ts). */

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value : null);
const list = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null) : []);

export function candidateOf(talent: TalentForPush): CandidateInput {
  const place = talent.location && [talent.location.city, talent.location.region, talent.location.country].filter((part): part is string => !!text(part)).join(', ');
  return {
    name: talent.name,
    headline: talent.headline,
    location: place || null,
    email: text(talent.contact?.email),
    phone: text(talent.contact?.phone),
    tags: talent.tags,
  };
}

export function resumeOf(talent: TalentForPush, candidateId: string): ResumeInput | null {
  if (!talent.resume) return null;
  const document = talent.resume.document;
  return {
    user_id: candidateId,
    title: text(document.title),
    summary: text(document.summary),
    skills: list(document.skills)
      .map((skill) => talent.skillNames.get(String(skill.skillId)))
      .filter((name): name is string => !!name),
    experience: list(document.experience).map((job) => ({
      title: text(job.title) ?? '',
      company: text(job.companyName),
      start: text(job.from),
      end: text(job.to),
      description: text(job.description),
    })),
    education: list(document.education).map((school) => ({
      institution: text(school.institution) ?? '',
      degree: text(school.degree),
      field: text(school.field),
    })),
  };
}
