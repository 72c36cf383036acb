import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { graphql } from '../../../test/support/client.ts';
import type { Application, Job } from '../store.ts';

/** Shared documents and builders for the jobs subgraph's tests. */

export const USER_ID = '00000000-0000-4000-8000-000000000001';

export const JOB_FIELDS = `id title status company { id } description requiredSkills { skill { id } level }
  location { city region country remote } employmentType salary { min max currency period }
  statusHistory { from to at by { id } } openedAt createdAt updatedAt`;

export const APPLICATION_FIELDS = `id stage talent { id } job { id status } history { from to at by { id } note } createdAt updatedAt`;

export const CREATE_JOB = `mutation($input: CreateJobInput!) { createJob(input: $input) { ${JOB_FIELDS} } }`;
export const UPDATE_JOB = `mutation($id: ID!, $input: UpdateJobInput!) { updateJob(id: $id, input: $input) { ${JOB_FIELDS} } }`;
export const CHANGE_STATUS = `mutation($id: ID!, $status: JobStatus!) { changeJobStatus(id: $id, status: $status) { ${JOB_FIELDS} } }`;
export const DELETE_JOB = `mutation($id: ID!) { deleteJob(id: $id) }`;
export const READ_JOB = `query($id: ID!) { job(id: $id) { ${JOB_FIELDS} } }`;
export const APPLY = `mutation($jobId: ID!, $talentId: ID!, $note: String) {
  applyToJob(jobId: $jobId, talentId: $talentId, note: $note) { ${APPLICATION_FIELDS} }
}`;
export const MOVE = `mutation($id: ID!, $stage: ApplicationStage!, $note: String) {
  moveApplication(id: $id, stage: $stage, note: $note) { ${APPLICATION_FIELDS} }
}`;
export const WITHDRAW = `mutation($id: ID!) { withdrawApplication(id: $id) }`;
export const READ_APPLICATION = `query($id: ID!) { application(id: $id) { ${APPLICATION_FIELDS} } }`;

export interface JobView {
  id: string;
  title: string;
  status: string;
  company: { id: string };
  description: string | null;
  requiredSkills: { skill: { id: string }; level: string }[];
  location: { city: string | null; region: string | null; country: string | null; remote: boolean | null } | null;
  employmentType: string;
  salary: { min: number; max: number; currency: string; period: string } | null;
  statusHistory: { from: string | null; to: string; at: string; by: { id: string } | null }[];
  openedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ApplicationView {
  id: string;
  stage: string;
  talent: { id: string };
  job: { id: string; status: string };
  history: { from: string | null; to: string; at: string; by: { id: string } | null; note: string | null }[];
  createdAt: string;
  updatedAt: string;
}

export const newId = () => randomUUID();

/** Creates a job through the API and returns it; the test fails on any error. */
export async function createJob(url: string, token: string, input: Record<string, unknown> = {}): Promise<JobView> {
  const result = await graphql<{ createJob: JobView }>(
    url,
    CREATE_JOB,
    { input: { companyId: newId(), title: 'Engineer', employmentType: 'FULL_TIME', ...input } },
    token,
  );
  expect(result.errors).toBeUndefined();
  return result.data!.createJob;
}

export async function changeStatus(url: string, token: string, id: string, status: string): Promise<JobView> {
  const result = await graphql<{ changeJobStatus: JobView }>(url, CHANGE_STATUS, { id, status }, token);
  expect(result.errors).toBeUndefined();
  return result.data!.changeJobStatus;
}

export async function apply(url: string, token: string, jobId: string, talentId: string = newId()): Promise<ApplicationView> {
  const result = await graphql<{ applyToJob: ApplicationView }>(url, APPLY, { jobId, talentId }, token);
  expect(result.errors).toBeUndefined();
  return result.data!.applyToJob;
}

/** A complete job record for `importMany`, to set up many rows fast. */
export function jobRecord(overrides: Partial<Job> = {}): Job {
  const at = new Date(Date.now() - 86_400_000);
  return {
    id: newId(),
    companyId: newId(),
    title: 'Imported job',
    description: null,
    requiredSkills: [],
    location: null,
    employmentType: 'FULL_TIME',
    salary: null,
    status: 'OPEN',
    statusHistory: [
      { from: null, to: 'DRAFT', at, byUserId: null },
      { from: 'DRAFT', to: 'OPEN', at, byUserId: null },
    ],
    openedAt: at,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

export function applicationRecord(overrides: Partial<Application> & Pick<Application, 'jobId'>): Application {
  const at = new Date(Date.now() - 3_600_000);
  return {
    id: newId(),
    talentId: newId(),
    stage: 'APPLIED',
    history: [{ from: null, to: 'APPLIED', at, byUserId: null, note: null }],
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}
