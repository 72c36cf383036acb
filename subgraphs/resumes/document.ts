import type { ResumeDocument } from './store.ts';

/**
 * A stored resume document in the canonical field order, whatever order the store gave its
 * keys (jsonb reorders them), which also keeps the diff's output in document order.
 */
export function toDocument(raw: unknown): ResumeDocument {
  const document = raw as Partial<ResumeDocument>;
  return {
    title: document.title ?? '',
    summary: document.summary ?? null,
    education: (document.education ?? []).map((entry) => ({
      institution: entry.institution,
      degree: entry.degree ?? null,
      field: entry.field ?? null,
      from: entry.from ?? null,
      to: entry.to ?? null,
    })),
    experience: (document.experience ?? []).map((entry) => ({
      companyId: entry.companyId ?? null,
      companyName: entry.companyName,
      title: entry.title,
      from: entry.from,
      to: entry.to ?? null,
      description: entry.description ?? null,
    })),
    skills: (document.skills ?? []).map((entry) => ({ skillId: entry.skillId, level: entry.level, years: entry.years ?? null })),
    projects: (document.projects ?? []).map((entry) => ({
      name: entry.name,
      description: entry.description ?? null,
      url: entry.url ?? null,
    })),
    certifications: (document.certifications ?? []).map((entry) => ({
      name: entry.name,
      issuer: entry.issuer ?? null,
      issuedOn: entry.issuedOn ?? null,
      expiresOn: entry.expiresOn ?? null,
    })),
  };
}
