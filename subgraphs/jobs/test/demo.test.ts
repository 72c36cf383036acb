import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DemoApplication, DemoDataset, DemoJob, DemoStage, DemoTalent, DemoUser } from '../../../demo/types.ts';
import { graphql } from '../../../test/support/client.ts';
import { backends } from '../../../test/support/databases.ts';
import { contractSuite } from '../../../test/support/contract.ts';
import { startTestSubgraph, tokenFor } from '../../../test/support/services.ts';
import { loadDemo } from '../demo.ts';
import { jobs, type Stores } from '../index.ts';
import type { Application, Job } from '../store.ts';
import { newId } from './fixtures.ts';

const STATUS_PATHS: DemoJob['statusPath'][] = [
  ['DRAFT', 'OPEN'],
  ['DRAFT', 'OPEN', 'CLOSED'],
  ['DRAFT', 'OPEN', 'FILLED'],
  ['DRAFT', 'OPEN', 'CLOSED', 'OPEN', 'FILLED'],
  ['DRAFT', 'OPEN', 'CLOSED', 'OPEN'],
];
const STAGE_PATHS: DemoStage[][] = [
  ['APPLIED'],
  ['APPLIED', 'SCREENING'],
  ['APPLIED', 'SCREENING', 'INTERVIEW'],
  ['APPLIED', 'INTERVIEW', 'OFFER', 'HIRED'],
  ['APPLIED', 'REJECTED'],
  ['APPLIED', 'SCREENING', 'INTERVIEW', 'OFFER', 'REJECTED'],
];

/** A dataset the size of the real demo: 100 jobs (10 still drafts) and 600 applications to the others. */
function dataset(): DemoDataset {
  const users: DemoUser[] = ['admin', 'user', 'guest'].map((role, index) => ({
    id: newId(),
    email: `u${index}@example.com`,
    name: `User ${index}`,
    role: role as DemoUser['role'],
    password: 'secret',
    status: 'active',
  }));
  const talents: DemoTalent[] = Array.from({ length: 7 }, (_, index) => ({
    id: newId(),
    name: `Talent ${index}`,
    headline: 'Engineer',
    contact: { email: `t${index}@example.com`, phone: null, linkedin: null, website: null },
    location: { city: null, region: null, country: 'DE', remote: true },
    tags: [],
    ownerId: users[1]!.id,
    userId: index % 2 ? newId() : null,
  }));
  const demoJobs: DemoJob[] = Array.from({ length: 100 }, (_, index) => ({
    id: newId(),
    companyId: newId(),
    title: `Demo job ${index}`,
    description: 'A demo job',
    requiredSkills: [{ skillId: newId(), level: 'INTERMEDIATE' }],
    location: { city: 'Berlin', region: null, country: 'DE', remote: index % 2 === 0 },
    employmentType: 'FULL_TIME',
    salary: index % 3 ? { min: 40000 + index, max: 60000 + index, currency: 'EUR', period: 'YEAR' } : null,
    statusPath: index < 10 ? ['DRAFT'] : STATUS_PATHS[index % STATUS_PATHS.length]!,
  }));
  const applications: DemoApplication[] = Array.from({ length: 600 }, (_, index) => ({
    id: newId(),
    jobId: demoJobs[10 + (index % 90)]!.id,
    talentId: talents[Math.floor(index / 90)]!.id,
    stages: STAGE_PATHS[index % STAGE_PATHS.length]!,
  }));
  return { users, skills: [], companies: [], talents, resumes: [], jobs: demoJobs, applications, projects: [], acquaintances: [] };
}

async function everything(stores: Stores): Promise<{ jobs: Job[]; applications: Application[] }> {
  const page = { limit: 100, offset: 0 };
  const order = { field: 'CREATED_AT', direction: 'ASC' } as const;
  const jobList: Job[] = [];
  const applicationList: Application[] = [];
  for (let offset = 0; ; offset += 100) {
    const { rows } = await stores.jobs.list({}, order, { ...page, offset });
    jobList.push(...rows);
    if (rows.length < 100) break;
  }
  for (let offset = 0; ; offset += 100) {
    const { rows } = await stores.applications.list({}, order, { ...page, offset });
    applicationList.push(...rows);
    if (rows.length < 100) break;
  }
  return { jobs: jobList, applications: applicationList };
}

const increasing = (dates: Date[]) => dates.every((date, index) => index === 0 || date.getTime() > dates[index - 1]!.getTime());

for (const { backend, target } of await backends()) {
  contractSuite('jobs subgraph: demo data', target, () => {
    let running: Awaited<ReturnType<typeof startTestSubgraph<Stores>>>;
    beforeAll(async () => {
      running = await startTestSubgraph(jobs, backend);
    });
    afterAll(() => running?.stop());

    it('rejects an inconsistent dataset before writing anything', async () => {
      const neverOpen = dataset();
      neverOpen.applications[0]!.jobId = neverOpen.jobs[0]!.id; // a job that stays a DRAFT
      await expect(loadDemo(running.stores, neverOpen)).rejects.toThrow(/never opens/);

      const illegalStatus = dataset();
      illegalStatus.jobs[20]!.statusPath = ['DRAFT', 'FILLED'];
      await expect(loadDemo(running.stores, illegalStatus)).rejects.toThrow(/cannot go from DRAFT to FILLED/);

      const illegalStage = dataset();
      illegalStage.applications[5]!.stages = ['APPLIED', 'INTERVIEW', 'SCREENING'];
      await expect(loadDemo(running.stores, illegalStage)).rejects.toThrow(/cannot go from INTERVIEW to SCREENING/);

      const twice = dataset();
      twice.applications[1]!.jobId = twice.applications[0]!.jobId;
      twice.applications[1]!.talentId = twice.applications[0]!.talentId;
      await expect(loadDemo(running.stores, twice)).rejects.toThrow(/already applied/);

      expect(await running.stores.jobs.count()).toBe(0);
      expect(await running.stores.applications.count()).toBe(0);
    });

    it('loads 100 jobs and 600 applications quickly, with consistent histories', async () => {
      const data = dataset();
      const now = new Date();
      const started = performance.now();
      await loadDemo(running.stores, data, now);
      const elapsed = performance.now() - started;
      expect(elapsed).toBeLessThan(3000);

      const loaded = await everything(running.stores);
      expect(loaded.jobs).toHaveLength(100);
      expect(loaded.applications).toHaveLength(600);
      const byId = new Map(loaded.jobs.map((job) => [job.id, job]));

      for (const demo of data.jobs) {
        const job = byId.get(demo.id)!;
        expect(job.status).toBe(demo.statusPath.at(-1));
        expect(job.statusHistory.map((change) => change.to)).toEqual(demo.statusPath);
        expect(job.statusHistory.map((change) => change.from)).toEqual([null, ...demo.statusPath.slice(0, -1)]);
        expect(increasing(job.statusHistory.map((change) => change.at))).toBe(true);
        expect(job.createdAt).toEqual(job.statusHistory[0]!.at);
        expect(job.updatedAt).toEqual(job.statusHistory.at(-1)!.at);
        expect(job.updatedAt.getTime()).toBeLessThan(now.getTime());
        const lastOpen = [...job.statusHistory].reverse().find((change) => change.to === 'OPEN');
        expect(job.openedAt).toEqual(lastOpen?.at ?? null);
        // changed by a recruiter, never by the guest
        for (const change of job.statusHistory) expect([data.users[0]!.id, data.users[1]!.id]).toContain(change.byUserId);
      }

      for (const demo of data.applications) {
        const application = loaded.applications.find((candidate) => candidate.id === demo.id)!;
        const job = byId.get(demo.jobId)!;
        expect(application.stage).toBe(demo.stages.at(-1));
        expect(application.history.map((change) => change.to)).toEqual(demo.stages);
        expect(application.history.map((change) => change.from)).toEqual([null, ...demo.stages.slice(0, -1)]);
        expect(increasing(application.history.map((change) => change.at))).toBe(true);
        expect(application.createdAt).toEqual(application.history[0]!.at);
        expect(application.updatedAt).toEqual(application.history.at(-1)!.at);
        expect(application.updatedAt.getTime()).toBeLessThan(now.getTime());
        // The job was OPEN when the talent applied.
        const applied = application.createdAt.getTime();
        const statusThen = job.statusHistory.filter((change) => change.at.getTime() <= applied).at(-1)!;
        expect(statusThen.to).toBe('OPEN');
      }
    });

    it('serves the loaded data through the API', async () => {
      const result = await graphql<{ jobs: { totalCount: number }; applications: { totalCount: number } }>(
        running.url,
        '{ jobs(filter: { status: [FILLED] }) { totalCount } applications(filter: { stage: [HIRED] }) { totalCount } }',
        {},
        await tokenFor('user'),
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.jobs.totalCount).toBe(36); // paths 2 and 3 of five, over jobs 10..99
      expect(result.data!.applications.totalCount).toBe(100);
    });
  });
}
