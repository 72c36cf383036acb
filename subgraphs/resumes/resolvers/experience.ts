import type { Experience as ExperienceRecord } from '../store.ts';

export const Experience = {
  /** A reference the companies subgraph resolves; the name on the resume stays in companyName. */
  company: (experience: ExperienceRecord) => (experience.companyId ? { id: experience.companyId } : null),
};
