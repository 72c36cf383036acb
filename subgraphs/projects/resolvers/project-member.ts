import type { ProjectMember as ProjectMemberRecord } from '../store.ts';

export const ProjectMember = {
  /** A reference the gateway resolves in the resumes subgraph. */
  talent: (member: ProjectMemberRecord) => ({ id: member.talentId }),
};
