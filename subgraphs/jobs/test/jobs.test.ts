import { afterAll, beforeAll, expect, it } from 'vitest';
import { codes, graphql } from '../../../test/support/client.ts';
import { backends } from '../../../test/support/databases.ts';
import { contractSuite } from '../../../test/support/contract.ts';
import { startTestSubgraph, tokenFor } from '../../../test/support/services.ts';
import { jobs, type Stores } from '../index.ts';
import {
  APPLY,
  CHANGE_STATUS,
  CREATE_JOB,
  DELETE_JOB,
  READ_APPLICATION,
  READ_JOB,
  UPDATE_JOB,
  USER_ID,
  apply,
  changeStatus,
  createJob,
  jobRecord,
  newId,
  type JobView,
} from './fixtures.ts';

for (const { backend, target } of await backends()) {
  contractSuite('jobs subgraph: jobs', target, () => {
    let running: Awaited<ReturnType<typeof startTestSubgraph<Stores>>>;
    let url: string;
    let token: string;
    let admin: string;
    let guest: string;
    beforeAll(async () => {
      running = await startTestSubgraph(jobs, backend);
      url = running.url;
      token = await tokenFor('user', USER_ID);
      admin = await tokenFor('admin');
      guest = await tokenFor('guest');
    });
    afterAll(() => running?.stop());

    // JOB_FIELDS include the status history, which needs talent:read.
    const readJob = async (id: string) => (await graphql<{ job: JobView | null }>(url, READ_JOB, { id }, token)).data!.job;

    it('creates a DRAFT job, reads, updates and deletes it together with its applications', async () => {
      const companyId = newId();
      const skillId = newId();
      const created = await createJob(url, token, {
        companyId,
        title: '  Platform Engineer ',
        description: 'Build the platform',
        requiredSkills: [{ skillId, level: 'ADVANCED' }],
        location: { city: 'Berlin', country: 'DE', remote: true },
        employmentType: 'CONTRACT',
        salary: { min: 60000, max: 80000, currency: 'eur', period: 'YEAR' },
      });
      expect(created).toMatchObject({
        title: 'Platform Engineer',
        status: 'DRAFT',
        company: { id: companyId },
        requiredSkills: [{ skill: { id: skillId }, level: 'ADVANCED' }],
        location: { city: 'Berlin', region: null, country: 'DE', remote: true },
        employmentType: 'CONTRACT',
        salary: { min: 60000, max: 80000, currency: 'EUR', period: 'YEAR' },
        statusHistory: [{ from: null, to: 'DRAFT', by: { id: USER_ID } }],
        openedAt: null,
      });
      expect(await readJob(created.id)).toEqual(created);

      const updated = await graphql<{ updateJob: JobView }>(
        url,
        UPDATE_JOB,
        { id: created.id, input: { title: 'Staff Engineer', salary: null, description: null } },
        token,
      );
      expect(updated.errors).toBeUndefined();
      expect(updated.data!.updateJob).toMatchObject({
        title: 'Staff Engineer',
        salary: null,
        description: null,
        employmentType: 'CONTRACT',
        location: { city: 'Berlin' },
        requiredSkills: [{ skill: { id: skillId } }],
        status: 'DRAFT',
      });

      await changeStatus(url, token, created.id, 'OPEN');
      const application = await apply(url, token, created.id);
      const before = { jobs: await running.stores.jobs.count(), applications: await running.stores.applications.count() };

      expect(codes(await graphql(url, DELETE_JOB, { id: created.id }, token))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(url, DELETE_JOB, { id: created.id }, guest))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(url, DELETE_JOB, { id: created.id }))).toEqual(['UNAUTHENTICATED']);
      expect(await running.stores.jobs.count()).toBe(before.jobs);

      expect((await graphql(url, DELETE_JOB, { id: created.id }, admin)).data).toEqual({ deleteJob: created.id });
      expect(await readJob(created.id)).toBeNull();
      expect((await graphql(url, READ_APPLICATION, { id: application.id }, token)).data).toEqual({ application: null });
      expect(await running.stores.jobs.count()).toBe(before.jobs - 1);
      expect(await running.stores.applications.count()).toBe(before.applications - 1);
      expect(codes(await graphql(url, DELETE_JOB, { id: created.id }, admin))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(url, DELETE_JOB, { id: 'nope' }, admin))).toEqual(['BAD_USER_INPUT']);
    });

    it('rejects invalid job input and changes nothing', async () => {
      const valid = { companyId: newId(), title: 'Valid', employmentType: 'FULL_TIME' };
      const salary = { min: 10, max: 20, currency: 'USD', period: 'HOUR' };
      const skillId = newId();
      const before = await running.stores.jobs.count();
      const invalid: Record<string, unknown>[] = [
        { title: '   ' },
        { title: 'x'.repeat(201) },
        { companyId: 'not-an-id' },
        { employmentType: 'FOREVER' },
        { salary: { ...salary, min: 30 } },
        { salary: { ...salary, min: -1 } },
        { salary: { ...salary, currency: 'EURO' } },
        { salary: { ...salary, currency: '12€' } },
        { salary: { ...salary, period: 'WEEK' } },
        { requiredSkills: [{ skillId: 'nope', level: 'EXPERT' }] },
        { requiredSkills: [{ skillId, level: 'EXPERT' }, { skillId, level: 'BEGINNER' }] },
        { requiredSkills: null },
        { location: { city: 'x'.repeat(101) } },
      ];
      for (const change of invalid) {
        const result = await graphql(url, CREATE_JOB, { input: { ...valid, ...change } }, token);
        expect(codes(result), JSON.stringify(change)).toEqual(['BAD_USER_INPUT']);
      }
      expect(codes(await graphql(url, CREATE_JOB, { input: valid }))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await graphql(url, CREATE_JOB, { input: valid }, guest))).toEqual(['FORBIDDEN']);
      expect(await running.stores.jobs.count()).toBe(before);

      const job = await createJob(url, token, { salary });
      for (const change of [{ title: null }, { employmentType: null }, { requiredSkills: null }, { salary: { ...salary, max: 1 } }]) {
        const result = await graphql(url, UPDATE_JOB, { id: job.id, input: change }, token);
        expect(codes(result), JSON.stringify(change)).toEqual(['BAD_USER_INPUT']);
      }
      expect(codes(await graphql(url, UPDATE_JOB, { id: job.id, input: { title: 'X' } }))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await graphql(url, UPDATE_JOB, { id: job.id, input: { title: 'X' } }, guest))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(url, UPDATE_JOB, { id: newId(), input: { title: 'X' } }, token))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(url, UPDATE_JOB, { id: 'nope', input: { title: 'X' } }, token))).toEqual(['BAD_USER_INPUT']);
      expect(await readJob(job.id)).toEqual(job);

      expect(await readJob('nope')).toBeNull();
      expect(await readJob(newId())).toBeNull();
    });

    it('walks the status machine and rejects illegal transitions without changing anything', async () => {
      const job = await createJob(url, token);
      const illegal = await graphql(url, CHANGE_STATUS, { id: job.id, status: 'FILLED' }, token);
      expect(codes(illegal)).toEqual(['BAD_USER_INPUT']);
      expect(illegal.errors![0]!.message).toBe('A job cannot go from DRAFT to FILLED: from DRAFT it can only go to OPEN');
      expect(codes(await graphql(url, CHANGE_STATUS, { id: job.id, status: 'DRAFT' }, token))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, CHANGE_STATUS, { id: job.id, status: 'CLOSED' }, token))).toEqual(['BAD_USER_INPUT']);
      expect(await readJob(job.id)).toEqual(job);

      const opened = await changeStatus(url, token, job.id, 'OPEN');
      expect(opened.status).toBe('OPEN');
      expect(opened.openedAt).not.toBeNull();
      expect(opened.statusHistory.map(({ from, to, by }) => ({ from, to, by }))).toEqual([
        { from: null, to: 'DRAFT', by: { id: USER_ID } },
        { from: 'DRAFT', to: 'OPEN', by: { id: USER_ID } },
      ]);

      const closed = await changeStatus(url, token, job.id, 'CLOSED');
      expect(closed.openedAt).toBe(opened.openedAt);
      const reopened = await changeStatus(url, token, job.id, 'OPEN');
      expect(Date.parse(reopened.openedAt!)).toBeGreaterThanOrEqual(Date.parse(opened.openedAt!));
      const filled = await changeStatus(url, token, job.id, 'FILLED');

      const final = await graphql(url, CHANGE_STATUS, { id: job.id, status: 'OPEN' }, token);
      expect(codes(final)).toEqual(['BAD_USER_INPUT']);
      expect(final.errors![0]!.message).toContain('FILLED is final');
      const after = await readJob(job.id);
      expect(after).toEqual(filled);
      expect(after!.statusHistory.map(({ from, to }) => `${from}->${to}`)).toEqual([
        'null->DRAFT',
        'DRAFT->OPEN',
        'OPEN->CLOSED',
        'CLOSED->OPEN',
        'OPEN->FILLED',
      ]);
      const times = after!.statusHistory.map((change) => Date.parse(change.at));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      expect(after!.updatedAt).toBe(after!.statusHistory.at(-1)!.at);

      expect(codes(await graphql(url, CHANGE_STATUS, { id: newId(), status: 'OPEN' }, token))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(url, CHANGE_STATUS, { id: 'nope', status: 'OPEN' }, token))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, CHANGE_STATUS, { id: job.id, status: 'OPEN' }))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await graphql(url, CHANGE_STATUS, { id: job.id, status: 'OPEN' }, guest))).toEqual(['FORBIDDEN']);
      expect(await readJob(job.id)).toEqual(filled);
    });

    it('pages, filters and orders jobs, clamping the page size', async () => {
      const companyId = newId();
      const [s1, s2] = [newId(), newId()];
      const backendJob = await createJob(url, token, {
        companyId,
        title: 'Backend Engineer',
        requiredSkills: [{ skillId: s1, level: 'EXPERT' }],
        location: { city: 'Berlin', country: 'DE', remote: true },
        salary: { min: 50000, max: 90000, currency: 'EUR', period: 'YEAR' },
      });
      await createJob(url, token, {
        companyId,
        title: 'frontend engineer',
        employmentType: 'CONTRACT',
        requiredSkills: [{ skillId: s2, level: 'BEGINNER' }],
        location: { city: 'Paris', country: 'FR', remote: false },
        salary: { min: 100000, max: 120000, currency: 'EUR', period: 'YEAR' },
      });
      const analystJob = await createJob(url, token, {
        companyId,
        title: 'Data_Analyst 100%',
        employmentType: 'PART_TIME',
        requiredSkills: [
          { skillId: s2, level: 'INTERMEDIATE' },
          { skillId: s1, level: 'BEGINNER' },
        ],
      });
      await changeStatus(url, token, backendJob.id, 'OPEN');
      await changeStatus(url, token, analystJob.id, 'OPEN');
      await changeStatus(url, token, analystJob.id, 'CLOSED');

      const query = `query($filter: JobFilter, $order: JobOrder, $first: Int, $after: String) {
        jobs(filter: $filter, orderBy: $order, first: $first, after: $after) {
          totalCount edges { cursor node { title } } pageInfo { hasNextPage hasPreviousPage endCursor }
        }
      }`;
      type Result = { jobs: { totalCount: number; edges: { node: { title: string } }[]; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string } } };
      const titles = async (filter: Record<string, unknown>, order?: Record<string, unknown>) => {
        const result = await graphql<Result>(url, query, { filter: { companyId, ...filter }, order });
        expect(result.errors).toBeUndefined();
        return result.data!.jobs.edges.map((edge) => edge.node.title);
      };
      const [B, F, D] = ['Backend Engineer', 'frontend engineer', 'Data_Analyst 100%'];

      expect(await titles({})).toEqual([D, F, B]); // newest first by default
      expect(await titles({}, { field: 'CREATED_AT', direction: 'ASC' })).toEqual([B, F, D]);
      expect(await titles({}, { field: 'TITLE' })).toEqual([B, D, F]);
      expect(await titles({}, { field: 'SALARY_MAX', direction: 'DESC' })).toEqual([F, B, D]);
      expect(await titles({}, { field: 'SALARY_MAX', direction: 'ASC' })).toEqual([B, F, D]);
      expect(await titles({ status: ['OPEN'] })).toEqual([B]);
      expect(await titles({ status: ['DRAFT', 'CLOSED'] }, { field: 'TITLE' })).toEqual([D, F]);
      expect(await titles({ employmentType: ['CONTRACT', 'PART_TIME'] }, { field: 'TITLE' })).toEqual([D, F]);
      expect(await titles({ skillId: s1 }, { field: 'TITLE' })).toEqual([B, D]);
      expect(await titles({ skillId: newId() })).toEqual([]);
      expect(await titles({ titleContains: 'ENGINEER' }, { field: 'TITLE' })).toEqual([B, F]);
      expect(await titles({ titleContains: '_' })).toEqual([D]);
      expect(await titles({ titleContains: '%' })).toEqual([D]);
      expect(await titles({ country: 'de' })).toEqual([B]);
      expect(await titles({ remote: true })).toEqual([B]);
      expect(await titles({ remote: false }, { field: 'TITLE' })).toEqual([D, F]);
      expect(await titles({ remote: true, status: ['DRAFT'] })).toEqual([]);

      expect(codes(await graphql(url, query, { filter: { companyId: 'nope' } }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, query, { filter: { skillId: 'nope' } }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, query, { first: -1 }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, query, { after: 'garbage' }))).toEqual(['BAD_USER_INPUT']);

      // 105 jobs of one company: a page never holds more than 100.
      const bulkCompany = newId();
      await running.stores.jobs.importMany(
        Array.from({ length: 105 }, (_, index) => jobRecord({ companyId: bulkCompany, title: `Bulk ${String(index).padStart(3, '0')}` })),
      );
      const all = await graphql<Result>(url, query, { filter: { companyId: bulkCompany }, order: { field: 'TITLE' }, first: 1_000_000_000 });
      expect(all.data!.jobs.totalCount).toBe(105);
      expect(all.data!.jobs.edges).toHaveLength(100);
      expect(all.data!.jobs.pageInfo.hasNextPage).toBe(true);
      const rest = await graphql<Result>(url, query, {
        filter: { companyId: bulkCompany },
        order: { field: 'TITLE' },
        first: 1_000_000_000,
        after: all.data!.jobs.pageInfo.endCursor,
      });
      expect(rest.data!.jobs.edges.map((edge) => edge.node.title)).toEqual(['Bulk 100', 'Bulk 101', 'Bulk 102', 'Bulk 103', 'Bulk 104']);
      expect(rest.data!.jobs.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
      const beyond = await graphql<Result>(url, query, { filter: { companyId: bulkCompany }, after: rest.data!.jobs.pageInfo.endCursor });
      expect(beyond.data!.jobs).toMatchObject({ totalCount: 105, edges: [] });
    });

    it('keeps applications only on OPEN jobs (apply is checked against the job status)', async () => {
      const job = await createJob(url, token);
      const before = await running.stores.applications.count();
      const rejected = await graphql(url, APPLY, { jobId: job.id, talentId: newId() }, token);
      expect(codes(rejected)).toEqual(['BAD_USER_INPUT']);
      expect(rejected.errors![0]!.message).toContain('DRAFT');
      expect(await running.stores.applications.count()).toBe(before);
    });
  });
}
