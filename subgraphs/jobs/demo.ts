import { createHash } from 'node:crypto';
import type { DemoApplication, DemoDataset, DemoJob, DemoStage } from '../../demo/types.ts';
import { INITIAL_STAGE, assertStageMove } from './application-stage.ts';
import { INITIAL_JOB_STATUS, assertJobStatusChange } from './job-status.ts';
import type { Stores } from './index.ts';
import type { Application, Job, JobStatusChange, StageChange } from './store.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Loads the demo jobs and applications into empty stores. Histories are built by walking each
 * status path and stage list through the same machines the API enforces, with timestamps laid
 * out so the story holds: every application arrives while its job is OPEN, and every moment
 * lies in the past. Everything goes in as a few multi-row inserts.
 */
export async function loadDemo(stores: Stores, dataset: DemoDataset, now: Date = new Date()): Promise<void> {
  const { jobs, applications } = buildDemo(dataset, now);
  await stores.jobs.importMany(jobs);
  await stores.applications.importMany(applications);
}

interface OpenWindow {
  from: Date;
  to: Date;
}

export function buildDemo(dataset: DemoDataset, now: Date): { jobs: Job[]; applications: Application[] } {
  const recruiters = dataset.users.filter((user) => user.role !== 'guest' && user.status === 'active').map((user) => user.id);
  const windows = new Map<string, OpenWindow | null>();
  const jobs = dataset.jobs.map((demo) => {
    const { job, window } = buildJob(demo, now, recruiters);
    windows.set(job.id, window);
    return job;
  });

  const talents = new Map(dataset.talents.map((talent) => [talent.id, talent]));
  const seen = new Set<string>();
  const applications = dataset.applications.map((demo) => {
    const window = windows.get(demo.jobId);
    if (window === undefined) throw new Error(`Demo application ${demo.id} is for job ${demo.jobId}, which is not in the dataset`);
    if (window === null) throw new Error(`Demo application ${demo.id} is for job ${demo.jobId}, which never opens, so nobody could apply to it`);
    const pair = `${demo.jobId}/${demo.talentId}`;
    if (seen.has(pair)) throw new Error(`Demo application ${demo.id}: talent ${demo.talentId} already applied to job ${demo.jobId}`);
    seen.add(pair);
    const talent = talents.get(demo.talentId);
    return buildApplication(demo, window, now, talent?.userId ?? talent?.ownerId ?? null, talent?.ownerId ?? null);
  });
  return { jobs, applications };
}

function buildJob(demo: DemoJob, now: Date, recruiters: readonly string[]): { job: Job; window: OpenWindow | null } {
  const path = demo.statusPath;
  if (path[0] !== INITIAL_JOB_STATUS) throw new Error(`Demo job ${demo.id}: statusPath must start with ${INITIAL_JOB_STATUS}`);
  path.slice(1).forEach((to, index) => {
    try {
      assertJobStatusChange(path[index]!, to);
    } catch (error) {
      throw new Error(`Demo job ${demo.id}: ${(error as Error).message}`, { cause: error });
    }
  });

  // Drafts are published within days; a job stays open for weeks (when applications arrive)
  // and closed for a few days before a reopening.
  const gaps = path.slice(1).map((_, index) => {
    const from = path[index]!;
    const spread = unit(demo.id, `gap${index}`);
    return from === 'OPEN' ? (20 + spread * 15) * DAY : (1 + spread * 6) * DAY;
  });
  const span = gaps.reduce((sum, gap) => sum + gap, 0);
  // A month of slack after the last change leaves room for the pipeline of a still-open job.
  const createdAt = new Date(now.getTime() - span - (30 + unit(demo.id, 'created') * 60) * DAY);
  const by = recruiters.length ? recruiters[Math.floor(unit(demo.id, 'by') * recruiters.length)]! : null;

  const history: JobStatusChange[] = [];
  let at = createdAt;
  path.forEach((to, index) => {
    if (index > 0) at = new Date(at.getTime() + gaps[index - 1]!);
    history.push({ from: index === 0 ? null : path[index - 1]!, to, at, byUserId: by });
  });

  // Applications arrive during the first time the job is open (a draft never takes any).
  const firstOpen = history.findIndex((change) => change.to === 'OPEN');
  const window =
    firstOpen < 0
      ? null
      : { from: history[firstOpen]!.at, to: history[firstOpen + 1]?.at ?? new Date(history[firstOpen]!.at.getTime() + 30 * DAY) };
  const last = history.at(-1)!;
  const job: Job = {
    id: demo.id,
    companyId: demo.companyId,
    title: demo.title,
    description: demo.description,
    requiredSkills: demo.requiredSkills.map(({ skillId, level }) => ({ skillId, level })),
    location: demo.location,
    employmentType: demo.employmentType,
    salary: demo.salary,
    status: last.to,
    statusHistory: history,
    openedAt: [...history].reverse().find((change) => change.to === 'OPEN')?.at ?? null,
    createdAt,
    updatedAt: last.at,
  };
  return { job, window };
}

const NOTES: Partial<Record<DemoStage, string>> = {
  SCREENING: 'Phone screen booked',
  INTERVIEW: 'Invited to interview with the team',
  OFFER: 'Offer sent',
  HIRED: 'Offer accepted',
  REJECTED: 'Not the right fit for this role',
};

function buildApplication(
  demo: DemoApplication,
  window: OpenWindow,
  now: Date,
  appliedBy: string | null,
  recruiter: string | null,
): Application {
  const stages = demo.stages;
  if (stages[0] !== INITIAL_STAGE) throw new Error(`Demo application ${demo.id}: stages must start with ${INITIAL_STAGE}`);
  stages.slice(1).forEach((to, index) => {
    try {
      assertStageMove(stages[index]!, to);
    } catch (error) {
      throw new Error(`Demo application ${demo.id}: ${(error as Error).message}`, { cause: error });
    }
  });

  // Arrives in the first 80% of the job's first open window; each move follows in days, squeezed
  // if needed so the last one is still in the past.
  const windowLength = window.to.getTime() - window.from.getTime();
  const createdAt = new Date(window.from.getTime() + HOUR + unit(demo.id, 'applied') * windowLength * 0.8);
  let gaps = stages.slice(1).map((_, index) => (1 + unit(demo.id, `move${index}`) * 3) * DAY);
  const room = (now.getTime() - HOUR - createdAt.getTime()) * 0.9;
  const total = gaps.reduce((sum, gap) => sum + gap, 0);
  if (total > room) gaps = gaps.map((gap) => (gap * room) / total);

  const history: StageChange[] = [];
  let at = createdAt;
  stages.forEach((to, index) => {
    if (index > 0) at = new Date(at.getTime() + gaps[index - 1]!);
    history.push({
      from: index === 0 ? null : stages[index - 1]!,
      to,
      at,
      byUserId: index === 0 ? appliedBy : recruiter,
      note: NOTES[to] ?? null,
    });
  });
  return {
    id: demo.id,
    jobId: demo.jobId,
    talentId: demo.talentId,
    stage: stages.at(-1)!,
    history,
    createdAt,
    updatedAt: history.at(-1)!.at,
  };
}

/** A stable number in [0, 1) per record and purpose, so the demo looks the same on every load. */
function unit(id: string, purpose: string): number {
  return createHash('sha1').update(`${id}:${purpose}`).digest().readUInt32BE(0) / 2 ** 32;
}
