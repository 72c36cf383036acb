import { afterAll, beforeAll, expect, it } from 'vitest';
import { codes, graphql } from '../../../test/support/client.ts';
import { backends } from '../../../test/support/databases.ts';
import { contractSuite } from '../../../test/support/contract.ts';
import { startTestSubgraph, tokenFor } from '../../../test/support/services.ts';
import { jobs, type Stores } from '../index.ts';
import {
  APPLY,
  MOVE,
  READ_APPLICATION,
  USER_ID,
  WITHDRAW,
  apply,
  applicationRecord,
  changeStatus,
  createJob,
  newId,
  type ApplicationView,
} from './fixtures.ts';

const RECRUITER_ID = '00000000-0000-4000-8000-000000000002';

for (const { backend, target } of await backends()) {
  contractSuite('jobs subgraph: applications', target, () => {
    let running: Awaited<ReturnType<typeof startTestSubgraph<Stores>>>;
    let url: string;
    let token: string;
    let recruiter: string;
    let guest: string;
    beforeAll(async () => {
      running = await startTestSubgraph(jobs, backend);
      url = running.url;
      token = await tokenFor('user', USER_ID);
      recruiter = await tokenFor('user', RECRUITER_ID);
      guest = await tokenFor('guest');
    });
    afterAll(() => running?.stop());

    const openJob = async () => {
      const job = await createJob(url, token);
      await changeStatus(url, token, job.id, 'OPEN');
      return job;
    };
    const readApplication = async (id: string) =>
      (await graphql<{ application: ApplicationView | null }>(url, READ_APPLICATION, { id }, token)).data!.application;

    it('accepts applications only to OPEN jobs, once per talent', async () => {
      const job = await createJob(url, token);
      const talentId = newId();
      const before = await running.stores.applications.count();

      const toDraft = await graphql(url, APPLY, { jobId: job.id, talentId }, token);
      expect(codes(toDraft)).toEqual(['BAD_USER_INPUT']);
      expect(toDraft.errors![0]!.message).toBe(`Job ${job.id} is DRAFT; talents can apply only while a job is OPEN`);
      expect(codes(await graphql(url, APPLY, { jobId: newId(), talentId }, token))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(url, APPLY, { jobId: 'nope', talentId }, token))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, APPLY, { jobId: job.id, talentId: 'nope' }, token))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, APPLY, { jobId: job.id, talentId, note: 'x'.repeat(2001) }, token))).toEqual(['BAD_USER_INPUT']);
      await changeStatus(url, token, job.id, 'OPEN');
      expect(codes(await graphql(url, APPLY, { jobId: job.id, talentId }))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await graphql(url, APPLY, { jobId: job.id, talentId }, guest))).toEqual(['FORBIDDEN']);
      expect(await running.stores.applications.count()).toBe(before);

      const applied = await graphql<{ applyToJob: ApplicationView }>(url, APPLY, { jobId: job.id, talentId, note: ' Referred by Ann ' }, token);
      expect(applied.errors).toBeUndefined();
      const application = applied.data!.applyToJob;
      expect(application).toMatchObject({
        stage: 'APPLIED',
        talent: { id: talentId },
        job: { id: job.id, status: 'OPEN' },
        history: [{ from: null, to: 'APPLIED', by: { id: USER_ID }, note: 'Referred by Ann' }],
      });
      expect(application.createdAt).toBe(application.history[0]!.at);
      expect(await readApplication(application.id)).toEqual(application);

      const duplicate = await graphql(url, APPLY, { jobId: job.id, talentId }, recruiter);
      expect(codes(duplicate)).toEqual(['CONFLICT']);
      expect(await running.stores.applications.count()).toBe(before + 1);
      expect(await readApplication(application.id)).toEqual(application);

      // The same talent may apply to another job, and another talent to this one.
      const other = await openJob();
      await apply(url, token, other.id, talentId);
      await apply(url, token, job.id);

      await changeStatus(url, token, job.id, 'CLOSED');
      const toClosed = await graphql(url, APPLY, { jobId: job.id, talentId: newId() }, token);
      expect(codes(toClosed)).toEqual(['BAD_USER_INPUT']);
      expect(toClosed.errors![0]!.message).toContain('is CLOSED');
      expect(await running.stores.applications.count()).toBe(before + 3);
    });

    it('moves an application along the pipeline, recording every stage, and rejects illegal moves', async () => {
      const job = await openJob();
      const application = await apply(url, token, job.id);
      const move = (stage: string, note?: string, as = recruiter) => graphql<{ moveApplication: ApplicationView }>(url, MOVE, { id: application.id, stage, note }, as);

      const screening = await move('SCREENING', 'Phone screen on Monday');
      expect(screening.errors).toBeUndefined();
      expect(screening.data!.moveApplication.stage).toBe('SCREENING');

      // Skipping ahead is fine; going back, staying put or an invalid note is not.
      const offer = await move('OFFER');
      expect(offer.errors).toBeUndefined();
      const atOffer = offer.data!.moveApplication;
      const backwards = await move('SCREENING');
      expect(codes(backwards)).toEqual(['BAD_USER_INPUT']);
      expect(backwards.errors![0]!.message).toBe('An application cannot go from OFFER to SCREENING: from OFFER it can only go to HIRED, REJECTED');
      expect(codes(await move('OFFER'))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await move('APPLIED'))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await move('HIRED', 'x'.repeat(2001)))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, MOVE, { id: application.id, stage: 'HIRED' }))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await graphql(url, MOVE, { id: application.id, stage: 'HIRED' }, guest))).toEqual(['FORBIDDEN']);
      expect(await readApplication(application.id)).toEqual(atOffer);

      const rejected = await move('REJECTED', 'Chose another candidate');
      expect(rejected.errors).toBeUndefined();
      const final = await move('HIRED');
      expect(codes(final)).toEqual(['BAD_USER_INPUT']);
      expect(final.errors![0]!.message).toContain('REJECTED is final');

      const stored = (await readApplication(application.id))!;
      expect(stored).toEqual(rejected.data!.moveApplication);
      expect(stored.stage).toBe('REJECTED');
      expect(stored.history.map(({ from, to, by, note }) => ({ from, to, by, note }))).toEqual([
        { from: null, to: 'APPLIED', by: { id: USER_ID }, note: null },
        { from: 'APPLIED', to: 'SCREENING', by: { id: RECRUITER_ID }, note: 'Phone screen on Monday' },
        { from: 'SCREENING', to: 'OFFER', by: { id: RECRUITER_ID }, note: null },
        { from: 'OFFER', to: 'REJECTED', by: { id: RECRUITER_ID }, note: 'Chose another candidate' },
      ]);
      const times = stored.history.map((change) => Date.parse(change.at));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      expect(stored.updatedAt).toBe(stored.history.at(-1)!.at);

      expect(codes(await graphql(url, MOVE, { id: newId(), stage: 'SCREENING' }, token))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(url, MOVE, { id: 'nope', stage: 'SCREENING' }, token))).toEqual(['BAD_USER_INPUT']);
    });

    it('withdraws applications that are not final', async () => {
      const job = await openJob();
      const open = await apply(url, token, job.id);
      const hired = await apply(url, token, job.id);
      expect((await graphql(url, MOVE, { id: hired.id, stage: 'HIRED' }, token)).errors).toBeUndefined();

      expect(codes(await graphql(url, WITHDRAW, { id: open.id }))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await graphql(url, WITHDRAW, { id: open.id }, guest))).toEqual(['FORBIDDEN']);
      expect((await readApplication(open.id))!.stage).toBe('APPLIED');
      expect(codes(await graphql(url, WITHDRAW, { id: hired.id }, token))).toEqual(['BAD_USER_INPUT']);
      expect((await readApplication(hired.id))!.stage).toBe('HIRED');
      expect((await graphql(url, WITHDRAW, { id: open.id }, token)).data).toEqual({ withdrawApplication: open.id });
      expect(await readApplication(open.id)).toBeNull();
      expect(codes(await graphql(url, WITHDRAW, { id: open.id }, token))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(url, WITHDRAW, { id: 'nope' }, token))).toEqual(['BAD_USER_INPUT']);
      expect(await readApplication('nope')).toBeNull();
    });

    it('pages, filters and orders applications, clamping the page size', async () => {
      const job = await openJob();
      const talentId = newId();
      const first = await apply(url, token, job.id, talentId);
      const second = await apply(url, token, job.id);
      const third = await apply(url, token, job.id);
      await graphql(url, MOVE, { id: second.id, stage: 'INTERVIEW' }, token);
      await graphql(url, MOVE, { id: third.id, stage: 'REJECTED' }, token);
      const elsewhere = await apply(url, token, (await openJob()).id, talentId);

      const query = `query($filter: ApplicationFilter, $order: ApplicationOrder, $first: Int, $after: String) {
        applications(filter: $filter, orderBy: $order, first: $first, after: $after) {
          totalCount edges { node { id stage } } pageInfo { hasNextPage endCursor }
        }
      }`;
      type Result = { applications: { totalCount: number; edges: { node: { id: string; stage: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
      const ids = async (filter: Record<string, unknown>, order?: Record<string, unknown>, first?: number) => {
        const result = await graphql<Result>(url, query, { filter, order, first }, token);
        expect(result.errors).toBeUndefined();
        return result.data!.applications.edges.map((edge) => edge.node.id);
      };
      expect(await ids({ jobId: job.id })).toEqual([third.id, second.id, first.id]); // newest first by default
      expect(await ids({ jobId: job.id }, { field: 'CREATED_AT' })).toEqual([first.id, second.id, third.id]);
      expect(await ids({ jobId: job.id }, { field: 'STAGE' })).toEqual([first.id, second.id, third.id]);
      expect(await ids({ jobId: job.id }, { field: 'STAGE', direction: 'DESC' })).toEqual([third.id, second.id, first.id]);
      expect(await ids({ jobId: job.id }, { field: 'UPDATED_AT', direction: 'DESC' })).toEqual([third.id, second.id, first.id]);
      expect(await ids({ jobId: job.id, stage: ['APPLIED', 'REJECTED'] }, { field: 'CREATED_AT' })).toEqual([first.id, third.id]);
      expect(await ids({ talentId }, { field: 'CREATED_AT' })).toEqual([first.id, elsewhere.id]);
      expect(await ids({ talentId, jobId: job.id })).toEqual([first.id]);
      expect(codes(await graphql(url, query, { filter: { jobId: 'nope' } }, token))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, query, { filter: { talentId: 'nope' } }, token))).toEqual(['BAD_USER_INPUT']);

      // Job.applications takes the same arguments.
      const nested = await graphql<{ job: { applications: { totalCount: number; edges: { node: { id: string } }[] } } }>(
        url,
        `query($id: ID!) { job(id: $id) { applications(filter: { stage: [INTERVIEW, REJECTED] }, orderBy: { field: STAGE }) {
          totalCount edges { node { id } } } } }`,
        { id: job.id },
        token,
      );
      expect(nested.data!.job.applications).toEqual({ totalCount: 2, edges: [{ node: { id: second.id } }, { node: { id: third.id } }] });

      // 105 applications to one job: a page never holds more than 100.
      const busy = await openJob();
      await running.stores.applications.importMany(Array.from({ length: 105 }, () => applicationRecord({ jobId: busy.id })));
      const all = await graphql<Result>(url, query, { filter: { jobId: busy.id }, first: 1_000_000_000 }, token);
      expect(all.data!.applications.totalCount).toBe(105);
      expect(all.data!.applications.edges).toHaveLength(100);
      expect(all.data!.applications.pageInfo.hasNextPage).toBe(true);
      const rest = await graphql<Result>(url, query, { filter: { jobId: busy.id }, first: 1_000_000_000, after: all.data!.applications.pageInfo.endCursor }, token);
      expect(rest.data!.applications.edges).toHaveLength(5);
      const seen = new Set([...all.data!.applications.edges, ...rest.data!.applications.edges].map((edge) => edge.node.id));
      expect(seen.size).toBe(105);
    });
  });
}
