import type { ResumeSkill as ResumeSkillRecord } from '../store.ts';

export const ResumeSkill = {
  /** A reference the skills subgraph resolves. */
  skill: (entry: ResumeSkillRecord) => ({ id: entry.skillId }),
};
