import type { SnapshotEntry } from '../../platform/events/index.ts';
import type { Page } from '../../platform/pagination.ts';

export const PROJECT_STATUSES = ['PLANNED', 'ACTIVE', 'COMPLETED', 'CANCELLED'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

export interface Project {
  id: string;
  name: string;
  description: string | null;
  /** A Company owned by the companies subgraph. */
  companyId: string | null;
  status: ProjectStatus;
  /** YYYY-MM-DD */
  startDate: string | null;
  /** YYYY-MM-DD, never before startDate. */
  endDate: string | null;
  /** Skills owned by the skills subgraph, in the order given. */
  skillIds: string[];
  createdAt: Date;
  updatedAt: Date;
}

export type ProjectFields = Omit<Project, 'id' | 'createdAt' | 'updatedAt'>;

export interface ProjectMember {
  projectId: string;
  /** A Talent owned by the resumes subgraph. */
  talentId: string;
  role: string;
  joinedAt: Date;
}

export type NewProjectMember = Pick<ProjectMember, 'talentId' | 'role'>;

/** A project with its team, for bulk loading (the demo keeps its ids). */
export interface NewProject extends ProjectFields {
  id: string;
  members: NewProjectMember[];
}

export interface ProjectFilter {
  nameContains?: string | null;
  companyId?: string | null;
  status?: ProjectStatus[] | null;
  skillId?: string | null;
  talentId?: string | null;
}

export interface ProjectOrder {
  field: 'NAME' | 'CREATED_AT' | 'START_DATE';
  direction: 'ASC' | 'DESC';
}

export interface ProjectPage {
  rows: Project[];
  totalCount: number;
}

/**
 * Thrown when a write would leave a project ending before it starts: the check the caller makes
 * first can be overtaken by a concurrent update of the other date, the table's constraint cannot.
 */
export class DatesOutOfOrderError extends Error {
  constructor() {
    super('A project cannot end before it starts');
    this.name = 'DatesOutOfOrderError';
  }
}

/** A membership change either returns the changed project or says why it did not happen. */
export type MemberChange =
  | { ok: true; project: Project }
  | { ok: false; reason: 'PROJECT_NOT_FOUND' | 'ALREADY_MEMBER' | 'NOT_A_MEMBER' };

export interface ProjectStore {
  /** Creates the project and its team together. `id` is optional so loaders can keep references stable. */
  create(fields: ProjectFields, members: NewProjectMember[], id?: string): Promise<Project>;
  /** Creates many projects and their teams in one transaction, with multi-row inserts. */
  createMany(projects: NewProject[]): Promise<void>;
  /** Throws DatesOutOfOrderError when the dates it leaves are out of order. */
  update(id: string, fields: Partial<ProjectFields>): Promise<Project | null>;
  delete(id: string): Promise<boolean>;
  getMany(ids: readonly string[]): Promise<Project[]>;
  list(filter: ProjectFilter, order: ProjectOrder, page: Page): Promise<ProjectPage>;
  /** One page per company (same filter, order and page for each), in the order of `companyIds`, in one query. */
  listForCompanies(companyIds: readonly string[], filter: ProjectFilter, order: ProjectOrder, page: Page): Promise<ProjectPage[]>;
  /** Every project each talent is a member of, latest start date first, in one query. */
  listForTalents(talentIds: readonly string[]): Promise<{ talentId: string; project: Project }[]>;
  /** The members of these projects, in joining order, in one query. */
  membersOf(projectIds: readonly string[]): Promise<ProjectMember[]>;
  addMember(projectId: string, member: NewProjectMember): Promise<MemberChange>;
  removeMember(projectId: string, talentId: string): Promise<MemberChange>;
  count(): Promise<number>;
  countMembers(): Promise<number>;
  /** Projects with an id after `afterId`, in id order, each with its team as its events carry it (rebuilding derived stores). */
  snapshotPage(afterId: string | null, limit: number): Promise<SnapshotEntry[]>;
}
