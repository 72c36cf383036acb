import { afterAll, beforeAll, expect, it } from 'vitest';
import { codes, graphql } from '../../../test/support/client.ts';
import { backends } from '../../../test/support/databases.ts';
import { contractSuite } from '../../../test/support/contract.ts';
import { startTestSubgraph, tokenFor } from '../../../test/support/services.ts';
import { expectSnapshotMatchesLatestEvent } from '../../../test/support/snapshots.ts';
import { jobs, type Stores } from '../index.ts';
import { APPLY, CHANGE_STATUS, CREATE_JOB, DELETE_JOB, MOVE, UPDATE_JOB, USER_ID, WITHDRAW, apply, changeStatus, createJob, newId } from './fixtures.ts';

interface OutboxRow {
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: Record<string, unknown>;
}

for (const { backend, target } of await backends()) {
  contractSuite('jobs subgraph: domain events', target, () => {
    let running: Awaited<ReturnType<typeof startTestSubgraph<Stores>>>;
    let url: string;
    let token: string;
    let admin: string;
    beforeAll(async () => {
      running = await startTestSubgraph(jobs, backend);
      url = running.url;
      token = await tokenFor('user', USER_ID);
      admin = await tokenFor('admin');
    });
    afterAll(() => running?.stop());

    const outbox = () => running.db.query<OutboxRow>('select type, aggregate_type, aggregate_id, payload from outbox order by position');
    /** The events recorded by `change`, in order. */
    const recordedBy = async (change: () => Promise<unknown>): Promise<OutboxRow[]> => {
      const before = (await outbox()).length;
      await change();
      return (await outbox()).slice(before);
    };

    it('records job.created, job.updated, job.statusChanged and job.deleted with the job as it is after each change', async () => {
      const companyId = newId();
      const skillId = newId();
      let jobId = '';
      const events = await recordedBy(async () => {
        const job = await createJob(url, token, {
          companyId,
          title: 'Event Engineer',
          description: 'Searchable: the search index shows it',
          requiredSkills: [{ skillId, level: 'EXPERT' }],
          location: { city: 'Lisbon', country: 'PT', remote: false },
          employmentType: 'CONTRACT',
        });
        jobId = job.id;
        const updated = await graphql(url, UPDATE_JOB, { id: jobId, input: { title: 'Senior Event Engineer', location: null } }, token);
        expect(updated.errors).toBeUndefined();
        await changeStatus(url, token, jobId, 'OPEN');
        await changeStatus(url, token, jobId, 'CLOSED');
        expect((await graphql(url, DELETE_JOB, { id: jobId }, admin)).data).toEqual({ deleteJob: jobId });
      });

      expect(events.map((e) => [e.type, e.aggregate_type, e.aggregate_id])).toEqual([
        ['job.created', 'Job', jobId],
        ['job.updated', 'Job', jobId],
        ['job.statusChanged', 'Job', jobId],
        ['job.statusChanged', 'Job', jobId],
        ['job.deleted', 'Job', jobId],
      ]);
      const [created, updated, opened, closed, deleted] = events.map((e) => e.payload);
      expect(created).toEqual({
        id: jobId,
        companyId,
        title: 'Event Engineer',
        description: 'Searchable: the search index shows it',
        status: 'DRAFT',
        requiredSkills: [{ skillId, level: 'EXPERT' }],
        location: { city: 'Lisbon', region: null, country: 'PT', remote: false },
        employmentType: 'CONTRACT',
      });
      expect(updated).toEqual({ ...created, title: 'Senior Event Engineer', location: null });
      expect(opened).toEqual({ ...updated, status: 'OPEN', from: 'DRAFT', to: 'OPEN' });
      expect(closed).toEqual({ ...updated, status: 'CLOSED', from: 'OPEN', to: 'CLOSED' });
      expect(deleted).toEqual({ id: jobId, companyId });
    });

    it('records application.created, application.stageChanged and application.deleted, and one application.deleted per application before job.deleted', async () => {
      const job = await createJob(url, token);
      await changeStatus(url, token, job.id, 'OPEN');
      const [first, second, third] = [newId(), newId(), newId()];
      const applicationIds: string[] = [];
      const events = await recordedBy(async () => {
        for (const talentId of [first, second, third]) applicationIds.push((await apply(url, token, job.id, talentId)).id);
        const moved = await graphql(url, MOVE, { id: applicationIds[0], stage: 'INTERVIEW', note: 'not in the payload' }, token);
        expect(moved.errors).toBeUndefined();
        expect((await graphql(url, WITHDRAW, { id: applicationIds[1] }, token)).data).toEqual({ withdrawApplication: applicationIds[1] });
        // The third is HIRED: final, so it cannot be withdrawn, but deleting its job still removes it.
        expect((await graphql(url, MOVE, { id: applicationIds[2], stage: 'HIRED' }, token)).errors).toBeUndefined();
        expect((await graphql(url, DELETE_JOB, { id: job.id }, admin)).data).toEqual({ deleteJob: job.id });
      });
      const [a, b, c] = applicationIds as [string, string, string];

      expect(events.map((e) => [e.type, e.aggregate_type, e.aggregate_id])).toEqual([
        ['application.created', 'Application', a],
        ['application.created', 'Application', b],
        ['application.created', 'Application', c],
        ['application.stageChanged', 'Application', a],
        ['application.deleted', 'Application', b],
        ['application.stageChanged', 'Application', c],
        ['application.deleted', 'Application', a],
        ['application.deleted', 'Application', c],
        ['job.deleted', 'Job', job.id],
      ]);
      expect(events.map((e) => e.payload)).toEqual([
        { id: a, talentId: first, jobId: job.id, stage: 'APPLIED' },
        { id: b, talentId: second, jobId: job.id, stage: 'APPLIED' },
        { id: c, talentId: third, jobId: job.id, stage: 'APPLIED' },
        { id: a, talentId: first, jobId: job.id, stage: 'INTERVIEW', from: 'APPLIED', to: 'INTERVIEW' },
        { id: b, talentId: second, jobId: job.id },
        { id: c, talentId: third, jobId: job.id, stage: 'HIRED', from: 'APPLIED', to: 'HIRED' },
        { id: a, talentId: first, jobId: job.id },
        { id: c, talentId: third, jobId: job.id },
        { id: job.id, companyId: job.company.id },
      ]);
    });

    it('serves jobs and applications in the snapshot exactly as their latest events carry them', async () => {
      const job = await createJob(url, token, {
        requiredSkills: [{ skillId: newId(), level: 'ADVANCED' }],
        location: { city: 'Porto', country: 'PT', remote: true },
      });
      await changeStatus(url, token, job.id, 'OPEN');
      const application = await apply(url, token, job.id);
      // Last, so the job's latest event is an update rather than its status change.
      expect((await graphql(url, UPDATE_JOB, { id: job.id, input: { title: 'Snapshot Engineer', employmentType: 'CONTRACT' } }, token)).errors).toBeUndefined();

      expect((await expectSnapshotMatchesLatestEvent(running, job.id)).payload).toMatchObject({ title: 'Snapshot Engineer', status: 'OPEN' });
      expect((await expectSnapshotMatchesLatestEvent(running, application.id)).payload).toMatchObject({ jobId: job.id, stage: 'APPLIED' });
    });

    it('records nothing for a rejected write', async () => {
      const job = await createJob(url, token);
      const open = await createJob(url, token);
      await changeStatus(url, token, open.id, 'OPEN');
      const application = await apply(url, token, open.id);
      const hired = await apply(url, token, open.id);
      expect((await graphql(url, MOVE, { id: hired.id, stage: 'HIRED' }, token)).errors).toBeUndefined();
      const unknown = newId();

      const events = await recordedBy(async () => {
        const rejected = [
          await graphql(url, CREATE_JOB, { input: { companyId: newId(), title: '  ', employmentType: 'FULL_TIME' } }, token),
          await graphql(url, CREATE_JOB, { input: { companyId: newId(), title: 'Anonymous', employmentType: 'FULL_TIME' } }),
          await graphql(url, UPDATE_JOB, { id: job.id, input: { salary: { min: 10, max: 5, currency: 'EUR', period: 'YEAR' } } }, token),
          await graphql(url, UPDATE_JOB, { id: unknown, input: { title: 'Nobody' } }, token),
          await graphql(url, CHANGE_STATUS, { id: job.id, status: 'FILLED' }, token),
          await graphql(url, CHANGE_STATUS, { id: unknown, status: 'OPEN' }, token),
          await graphql(url, DELETE_JOB, { id: unknown }, admin),
          await graphql(url, DELETE_JOB, { id: job.id }, token),
          await graphql(url, APPLY, { jobId: job.id, talentId: newId() }, token),
          await graphql(url, APPLY, { jobId: open.id, talentId: application.talent.id }, token),
          await graphql(url, MOVE, { id: application.id, stage: 'APPLIED' }, token),
          await graphql(url, MOVE, { id: unknown, stage: 'SCREENING' }, token),
          await graphql(url, WITHDRAW, { id: hired.id }, token),
          await graphql(url, WITHDRAW, { id: unknown }, token),
        ];
        expect(rejected.map((result) => codes(result))).toEqual([
          ['BAD_USER_INPUT'],
          ['UNAUTHENTICATED'],
          ['BAD_USER_INPUT'],
          ['NOT_FOUND'],
          ['BAD_USER_INPUT'],
          ['NOT_FOUND'],
          ['NOT_FOUND'],
          ['FORBIDDEN'],
          ['BAD_USER_INPUT'],
          ['CONFLICT'],
          ['BAD_USER_INPUT'],
          ['NOT_FOUND'],
          ['BAD_USER_INPUT'],
          ['NOT_FOUND'],
        ]);
      });
      expect(events).toEqual([]);
    });
  });
}
