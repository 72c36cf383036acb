import type { SnapshotEntry } from '../../platform/events/index.ts';
import type { Page } from '../../platform/pagination.ts';

/**
 * Talents and resumes are documents (production moves them to MongoDB), so the stores deal
 * in whole documents keyed by id, never in rows or joins.
 */

export type SkillLevel = 'BEGINNER' | 'INTERMEDIATE' | 'ADVANCED' | 'EXPERT';

import type { Location } from '../../platform/validate.ts';

export type { Location };

export interface TalentContact {
  email: string | null;
  phone: string | null;
  linkedin: string | null;
  website: string | null;
}

export type SalaryPeriod = 'YEAR' | 'MONTH' | 'HOUR';

/** What a candidate expects to earn: whole units of `currency` (ISO-4217) per `period`. */
export interface SalaryExpectation {
  min: number;
  max: number;
  currency: string;
  period: SalaryPeriod;
}

export interface Talent {
  id: string;
  name: string;
  headline: string | null;
  contact: TalentContact;
  salaryExpectation: SalaryExpectation | null;
  location: Location | null;
  tags: string[];
  /** The recruiter (a User id) who owns the profile. */
  ownerId: string | null;
  /** The talent's own account (a User id); at most one talent per account. */
  userId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type TalentFields = Omit<Talent, 'id' | 'createdAt' | 'updatedAt'>;

export interface TalentFilter {
  search?: string | null;
  /** Every one of these, already lower-cased. */
  tags?: string[] | null;
  ownerId?: string | null;
  country?: string | null;
  skillId?: string | null;
}

export interface TalentOrder {
  field: 'NAME' | 'CREATED_AT' | 'UPDATED_AT';
  direction: 'ASC' | 'DESC';
}

/** Thrown when a talent would be linked to an account that already has a profile. */
export class UserAlreadyLinkedError extends Error {
  constructor(readonly userId: string | null) {
    super(`User ${userId} already has a talent profile`);
    this.name = 'UserAlreadyLinkedError';
  }
}

export interface TalentStore {
  /** `id` is optional so the demo loader can keep its references stable. Throws UserAlreadyLinkedError. */
  create(fields: TalentFields, id?: string): Promise<Talent>;
  /** Changes only the fields present. Throws UserAlreadyLinkedError. */
  update(id: string, fields: Partial<TalentFields>): Promise<Talent | null>;
  /** Deletes the talent together with its resumes and their history. */
  delete(id: string): Promise<boolean>;
  getMany(ids: readonly string[]): Promise<Talent[]>;
  getManyByUser(userIds: readonly string[]): Promise<Talent[]>;
  list(filter: TalentFilter, order: TalentOrder, page: Page): Promise<{ rows: Talent[]; totalCount: number }>;
  /** Bulk load in one transaction (demo data). */
  importMany(talents: readonly (TalentFields & { id: string })[]): Promise<void>;
  count(): Promise<number>;
  /** Talents with an id after `afterId`, in id order, each as its events carry it (rebuilding derived stores). */
  snapshotPage(afterId: string | null, limit: number): Promise<SnapshotEntry[]>;
}

export interface Education {
  institution: string;
  degree: string | null;
  field: string | null;
  /** `YYYY-MM` or `YYYY-MM-DD`, as are all resume dates. */
  from: string | null;
  to: string | null;
}

export interface Experience {
  companyId: string | null;
  companyName: string;
  title: string;
  from: string;
  /** null while this is the current position. */
  to: string | null;
  description: string | null;
}

export interface ResumeSkill {
  skillId: string;
  level: SkillLevel;
  years: number | null;
}

export interface ResumeProject {
  name: string;
  description: string | null;
  url: string | null;
}

export interface Certification {
  name: string;
  issuer: string | null;
  issuedOn: string | null;
  expiresOn: string | null;
}

/** The content of one resume version. */
export interface ResumeDocument {
  title: string;
  summary: string | null;
  education: Education[];
  experience: Experience[];
  skills: ResumeSkill[];
  projects: ResumeProject[];
  certifications: Certification[];
}

/** A resume at its current version. */
export interface Resume extends ResumeDocument {
  id: string;
  talentId: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** One saved version of a resume. */
export interface ResumeVersion extends ResumeDocument {
  resumeId: string;
  version: number;
  /** The User id that saved it. */
  authorId: string | null;
  createdAt: Date;
}

export interface ResumeVersionKey {
  resumeId: string;
  version: number;
}

/** A resume with its whole history, oldest version first (demo data). */
export interface ImportedResume {
  id: string;
  talentId: string;
  authorId: string | null;
  versions: ResumeDocument[];
}

export interface ResumeStore {
  /** Saves version 1 of a new resume; null when the talent does not exist. */
  create(talentId: string, document: ResumeDocument, authorId: string | null, id?: string): Promise<Resume | null>;
  /** Saves `document` as the next version, keeping every earlier one; null when the resume does not exist. */
  update(id: string, document: ResumeDocument, authorId: string | null): Promise<Resume | null>;
  /** Deletes the resume and its history. */
  delete(id: string): Promise<boolean>;
  getMany(ids: readonly string[]): Promise<Resume[]>;
  /** Every resume of these talents, newest first within a talent. */
  listByTalents(talentIds: readonly string[]): Promise<Resume[]>;
  /** Every version of these resumes, oldest first within a resume. */
  listVersions(resumeIds: readonly string[]): Promise<ResumeVersion[]>;
  getVersions(keys: readonly ResumeVersionKey[]): Promise<ResumeVersion[]>;
  /** Bulk load with history in one transaction (demo data). */
  importMany(resumes: readonly ImportedResume[]): Promise<void>;
  count(): Promise<number>;
  countVersions(): Promise<number>;
  /** Resumes at their current version with an id after `afterId`, in id order, each as its events carry it. */
  snapshotPage(afterId: string | null, limit: number): Promise<SnapshotEntry[]>;
}
