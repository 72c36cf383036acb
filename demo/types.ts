/**
 * The demo dataset's shape: plain records with stable ids, so every subgraph can load its
 * own part (`subgraphs/<name>/demo.ts`) and the references between domains line up.
 * `demo/dataset.ts` generates it deterministically.
 */

export type DemoRole = 'super_admin' | 'admin' | 'data_admin' | 'user' | 'guest';
export type DemoSkillLevel = 'BEGINNER' | 'INTERMEDIATE' | 'ADVANCED' | 'EXPERT';
export type DemoStage = 'APPLIED' | 'SCREENING' | 'INTERVIEW' | 'OFFER' | 'HIRED' | 'REJECTED';

export interface DemoLocation {
  city: string | null;
  region: string | null;
  country: string | null;
  remote: boolean;
}

export interface DemoUser {
  id: string;
  email: string;
  name: string;
  role: DemoRole;
  /** Plain text here; the users subgraph hashes it on load. */
  password: string;
  status: 'active' | 'inactive' | 'suspended' | 'pending';
}

export interface DemoSkill {
  id: string;
  name: string;
  category: string; // one of the SkillCategory enum values, e.g. LANGUAGE
  aliases: string[];
  relatedIds: string[];
}

export interface DemoCompany {
  id: string;
  name: string;
  industry: string;
  size: 'STARTUP' | 'SMALL' | 'MEDIUM' | 'LARGE' | 'ENTERPRISE';
  website: string;
  location: DemoLocation;
  description: string;
}

export interface DemoTalent {
  id: string;
  name: string;
  headline: string;
  contact: { email: string; phone: string | null; linkedin: string | null; website: string | null };
  location: DemoLocation;
  tags: string[];
  /** The recruiter (a DemoUser id) who owns this profile. */
  ownerId: string;
  /** The candidate's own account, when they have one. */
  userId: string | null;
}

export interface DemoResumeDocument {
  title: string;
  summary: string;
  education: { institution: string; degree: string; field: string | null; from: string | null; to: string | null }[];
  experience: { companyId: string | null; companyName: string; title: string; from: string; to: string | null; description: string | null }[];
  skills: { skillId: string; level: DemoSkillLevel; years: number }[];
  projects: { name: string; description: string | null; url: string | null }[];
  certifications: { name: string; issuer: string | null; issuedOn: string | null; expiresOn: string | null }[];
}

export interface DemoResume {
  id: string;
  talentId: string;
  /** Oldest first; loading them in order yields the version history. */
  versions: DemoResumeDocument[];
}

export interface DemoJob {
  id: string;
  companyId: string;
  title: string;
  description: string;
  requiredSkills: { skillId: string; level: DemoSkillLevel }[];
  location: DemoLocation;
  employmentType: 'FULL_TIME' | 'PART_TIME' | 'CONTRACT' | 'INTERNSHIP' | 'TEMPORARY';
  salary: { min: number; max: number; currency: string; period: 'YEAR' | 'MONTH' | 'HOUR' } | null;
  /** Reached from DRAFT along legal transitions, in this order. */
  statusPath: ('DRAFT' | 'OPEN' | 'CLOSED' | 'FILLED')[];
}

export interface DemoApplication {
  id: string;
  talentId: string;
  jobId: string;
  /** Stages in the order they were entered, starting with APPLIED. */
  stages: DemoStage[];
}

export interface DemoProject {
  id: string;
  name: string;
  description: string;
  companyId: string | null;
  members: { talentId: string; role: string }[];
  skillIds: string[];
}

export interface DemoDataset {
  users: DemoUser[];
  skills: DemoSkill[];
  companies: DemoCompany[];
  talents: DemoTalent[];
  resumes: DemoResume[];
  jobs: DemoJob[];
  applications: DemoApplication[];
  projects: DemoProject[];
  /** Talents who know each other (KNOWS links of the relationship graph), each pair once. */
  acquaintances: DemoAcquaintance[];
}

export interface DemoAcquaintance {
  talentId: string;
  otherId: string;
  /** 0..1 */
  strength: number;
}
