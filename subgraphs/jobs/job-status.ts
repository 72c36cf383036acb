import { badInput } from '../../platform/errors.ts';

/**
 * The job status machine, pure so it can be tested alone and shared by the store (which checks
 * it under a row lock) and the demo loader. Documented for clients on the JobStatus enum.
 */
export const JOB_STATUSES = ['DRAFT', 'OPEN', 'CLOSED', 'FILLED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const INITIAL_JOB_STATUS: JobStatus = 'DRAFT';

const NEXT: Record<JobStatus, readonly JobStatus[]> = {
  DRAFT: ['OPEN'],
  OPEN: ['CLOSED', 'FILLED'],
  CLOSED: ['OPEN'],
  FILLED: [],
};

/** The statuses a job in `from` may move to next. */
export function nextJobStatuses(from: JobStatus): readonly JobStatus[] {
  return NEXT[from];
}

export function canChangeJobStatus(from: JobStatus, to: JobStatus): boolean {
  return NEXT[from].includes(to);
}

/** Throws BAD_USER_INPUT, naming the legal next statuses, unless `from` → `to` is allowed. */
export function assertJobStatusChange(from: JobStatus, to: JobStatus, field = 'status'): void {
  if (canChangeJobStatus(from, to)) return;
  const next = NEXT[from];
  const allowed = next.length ? `from ${from} it can only go to ${next.join(' or ')}` : `${from} is final`;
  throw badInput(`A job cannot go from ${from} to ${to}: ${allowed}`, field);
}
