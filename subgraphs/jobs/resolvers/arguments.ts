import { toPage, type Page, type PageArgs } from '../../../platform/pagination.ts';
import { id, optionalText } from '../../../platform/validate.ts';
import type { ApplicationFilter, ApplicationOrder, JobFilter, JobOrder } from '../store.ts';

/** The arguments every job list takes (Query.jobs, Company.jobs). */
export type JobListArgs = PageArgs & { filter?: JobFilter | null; orderBy?: Partial<JobOrder> | null };
/** The arguments every application list takes (Query.applications, Job.applications, Talent.applications). */
export type ApplicationListArgs = PageArgs & { filter?: ApplicationFilter | null; orderBy?: Partial<ApplicationOrder> | null };

/** Without an `orderBy`, newest first; inside one, GraphQL fills the documented defaults (CREATED_AT, ASC). */
function orderOrNewestFirst<Field extends string>(
  orderBy: { field?: Field; direction?: 'ASC' | 'DESC' } | null | undefined,
): { field: Field | 'CREATED_AT'; direction: 'ASC' | 'DESC' } {
  if (!orderBy) return { field: 'CREATED_AT', direction: 'DESC' };
  return { field: orderBy.field ?? 'CREATED_AT', direction: orderBy.direction ?? 'ASC' };
}

const optionalId = (value: string | null | undefined, field: string) => (value == null ? null : id(value, field));

/** Validates and normalises list arguments, so equal requests share a loader name. */
export function jobListArguments(args: JobListArgs): { filter: JobFilter; order: JobOrder; page: Page } {
  const filter = args.filter ?? {};
  return {
    filter: {
      status: filter.status ?? null,
      companyId: optionalId(filter.companyId, 'filter.companyId'),
      employmentType: filter.employmentType ?? null,
      skillId: optionalId(filter.skillId, 'filter.skillId'),
      titleContains: optionalText(filter.titleContains, 'filter.titleContains', 200),
      country: optionalText(filter.country, 'filter.country', 100),
      remote: filter.remote ?? null,
    },
    order: orderOrNewestFirst(args.orderBy),
    page: toPage(args),
  };
}

export function applicationListArguments(args: ApplicationListArgs): { filter: ApplicationFilter; order: ApplicationOrder; page: Page } {
  const filter = args.filter ?? {};
  return {
    filter: {
      jobId: optionalId(filter.jobId, 'filter.jobId'),
      talentId: optionalId(filter.talentId, 'filter.talentId'),
      stage: filter.stage ?? null,
    },
    order: orderOrNewestFirst(args.orderBy),
    page: toPage(args),
  };
}
