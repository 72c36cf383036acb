import type { SnapshotEntry } from '../../platform/events/index.ts';
import type { Page } from '../../platform/pagination.ts';
import type { ApplicationStage } from './application-stage.ts';
import type { JobStatus } from './job-status.ts';

export type { ApplicationStage } from './application-stage.ts';
export type { JobStatus } from './job-status.ts';

export type SkillLevel = 'BEGINNER' | 'INTERMEDIATE' | 'ADVANCED' | 'EXPERT';
export type EmploymentType = 'FULL_TIME' | 'PART_TIME' | 'CONTRACT' | 'INTERNSHIP' | 'TEMPORARY';
export type SalaryPeriod = 'YEAR' | 'MONTH' | 'HOUR';
export type Direction = 'ASC' | 'DESC';

import type { Location } from '../../platform/validate.ts';

export type { Location };

export interface RequiredSkill {
  skillId: string;
  level: SkillLevel;
}

export interface SalaryRange {
  min: number;
  max: number;
  currency: string;
  period: SalaryPeriod;
}

export interface JobStatusChange {
  /** Null for the creation entry. */
  from: JobStatus | null;
  to: JobStatus;
  at: Date;
  byUserId: string | null;
}

export interface Job {
  id: string;
  companyId: string;
  title: string;
  description: string | null;
  requiredSkills: RequiredSkill[];
  location: Location | null;
  employmentType: EmploymentType;
  salary: SalaryRange | null;
  status: JobStatus;
  /** Oldest first. */
  statusHistory: JobStatusChange[];
  openedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type JobFields = Pick<Job, 'companyId' | 'title' | 'description' | 'requiredSkills' | 'location' | 'employmentType' | 'salary'>;
/** A job's company is fixed once created. */
export type JobUpdate = Partial<Omit<JobFields, 'companyId'>>;

export interface JobFilter {
  status?: JobStatus[] | null;
  companyId?: string | null;
  employmentType?: EmploymentType[] | null;
  skillId?: string | null;
  titleContains?: string | null;
  country?: string | null;
  remote?: boolean | null;
}

export interface JobOrder {
  field: 'TITLE' | 'CREATED_AT' | 'SALARY_MAX';
  direction: Direction;
}

export interface StageChange {
  /** Null for the first entry, when the talent applied. */
  from: ApplicationStage | null;
  to: ApplicationStage;
  at: Date;
  byUserId: string | null;
  note: string | null;
}

export interface Application {
  id: string;
  jobId: string;
  talentId: string;
  stage: ApplicationStage;
  /** Oldest first. */
  history: StageChange[];
  createdAt: Date;
  updatedAt: Date;
}

export interface ApplicationFilter {
  jobId?: string | null;
  talentId?: string | null;
  stage?: ApplicationStage[] | null;
}

export interface ApplicationOrder {
  field: 'CREATED_AT' | 'UPDATED_AT' | 'STAGE';
  direction: Direction;
}

export interface PageOf<T> {
  rows: T[];
  totalCount: number;
}

/** Outcomes the caller turns into errors; the store itself knows nothing of GraphQL. */
export type JobStatusResult =
  | { outcome: 'changed'; job: Job }
  | { outcome: 'not-found' }
  | { outcome: 'illegal'; current: JobStatus };

export type ApplyResult =
  | { outcome: 'applied'; application: Application }
  | { outcome: 'job-not-found' }
  | { outcome: 'job-not-open'; status: JobStatus }
  | { outcome: 'duplicate' };

export type MoveResult =
  | { outcome: 'moved'; application: Application }
  | { outcome: 'not-found' }
  | { outcome: 'illegal'; current: ApplicationStage };

export type WithdrawResult = { outcome: 'withdrawn' } | { outcome: 'not-found' } | { outcome: 'final'; stage: ApplicationStage };

export interface JobStore {
  /** Creates a DRAFT with its first history entry. `id` is optional so the demo loader can keep its references stable. */
  create(fields: JobFields, byUserId: string | null, id?: string): Promise<Job>;
  update(id: string, fields: JobUpdate): Promise<Job | null>;
  /** Checks the status machine against the locked row and appends to the history in one transaction. */
  changeStatus(id: string, to: JobStatus, byUserId: string | null): Promise<JobStatusResult>;
  /** Deletes the job and its applications. */
  delete(id: string): Promise<boolean>;
  getMany(ids: readonly string[]): Promise<Job[]>;
  list(filter: JobFilter, order: JobOrder, page: Page): Promise<PageOf<Job>>;
  /** One page per company, in `companyIds` order, from one statement. */
  listByCompany(companyIds: readonly string[], filter: JobFilter, order: JobOrder, page: Page): Promise<PageOf<Job>[]>;
  /** Bulk insert of complete records, histories included (demo data). */
  importMany(jobs: readonly Job[]): Promise<void>;
  count(): Promise<number>;
  /** Jobs with an id after `afterId`, in id order, each as its events carry it (rebuilding derived stores). */
  snapshotPage(afterId: string | null, limit: number): Promise<SnapshotEntry[]>;
}

export interface ApplicationStore {
  /** Applies only to an OPEN job (locked while checking) and once per talent and job. */
  apply(jobId: string, talentId: string, byUserId: string | null, note: string | null, id?: string): Promise<ApplyResult>;
  /** Checks the pipeline against the locked row and appends to the history in one transaction. */
  move(id: string, to: ApplicationStage, byUserId: string | null, note: string | null): Promise<MoveResult>;
  /** Deletes an application that is not in a final stage. */
  withdraw(id: string): Promise<WithdrawResult>;
  getMany(ids: readonly string[]): Promise<Application[]>;
  list(filter: ApplicationFilter, order: ApplicationOrder, page: Page): Promise<PageOf<Application>>;
  /** One page per job, in `jobIds` order, from one statement. */
  listByJob(jobIds: readonly string[], filter: ApplicationFilter, order: ApplicationOrder, page: Page): Promise<PageOf<Application>[]>;
  /** One page per talent, in `talentIds` order, from one statement. */
  listByTalent(talentIds: readonly string[], filter: ApplicationFilter, order: ApplicationOrder, page: Page): Promise<PageOf<Application>[]>;
  /** Bulk insert of complete records, histories included (demo data). */
  importMany(applications: readonly Application[]): Promise<void>;
  count(): Promise<number>;
  /** Applications with an id after `afterId`, in id order, each as its events carry it. */
  snapshotPage(afterId: string | null, limit: number): Promise<SnapshotEntry[]>;
}
