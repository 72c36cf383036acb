import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkMatrix, type Caller } from '../../../test/support/auth-matrix.ts';
import { codes, graphql } from '../../../test/support/client.ts';
import { backends } from '../../../test/support/databases.ts';
import { contractSuite } from '../../../test/support/contract.ts';
import { startTestSubgraph, tokenFor } from '../../../test/support/services.ts';
import { jobs, type Stores } from '../index.ts';
import { apply, changeStatus, createJob, newId, USER_ID, type ApplicationView, type JobView } from './fixtures.ts';

const EVERYONE: readonly Caller[] = ['super_admin', 'admin', 'data_admin', 'user', 'guest', 'anonymous'];
/** talent:read, job:write and application:write: every role but guest. */
const READERS: readonly Caller[] = ['super_admin', 'admin', 'data_admin', 'user'];
const WRITERS = READERS;
/** job:delete */
const DELETERS: readonly Caller[] = ['super_admin', 'admin', 'data_admin'];

const ENTITIES = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ...Fields } }';
const entities = (fragment: string) => ENTITIES.replace('...Fields', fragment);

for (const { backend, target } of await backends()) {
  contractSuite('jobs subgraph: authorization', target, () => {
    let running: Awaited<ReturnType<typeof startTestSubgraph<Stores>>>;
    let url: string;
    let user: string;
    let guest: string;
    let job: JobView;
    let application: ApplicationView;
    beforeAll(async () => {
      running = await startTestSubgraph(jobs, backend);
      url = running.url;
      user = await tokenFor('user', USER_ID);
      guest = await tokenFor('guest');
      job = await createJob(url, user, { title: 'Matrix Engineer' });
      job = await changeStatus(url, user, job.id, 'OPEN');
      application = await apply(url, user, job.id);
    });
    afterAll(() => running?.stop());

    it('lets each role do exactly what the permission map says', async () => {
      const unknown = '00000000-0000-4000-8000-00000000dead';
      const jobRef = { representations: [{ __typename: 'Job', id: job.id }] };
      await checkMatrix(url, [
        { operation: 'Query.jobs', query: '{ jobs(first: 1) { totalCount edges { node { title status } } } }', allowed: EVERYONE },
        { operation: 'Query.job', query: `{ job(id: "${job.id}") { id title company { id } salary { min } openedAt } }`, allowed: EVERYONE },
        { operation: 'Job.statusHistory', query: `{ job(id: "${job.id}") { statusHistory { to } } }`, allowed: READERS },
        { operation: 'Job.applications', query: `{ job(id: "${job.id}") { applications { totalCount } } }`, allowed: READERS },
        { operation: 'Query.application', query: `{ application(id: "${application.id}") { id stage } }`, allowed: READERS },
        { operation: 'Query.application (unknown id)', query: `{ application(id: "${unknown}") { id } }`, allowed: READERS },
        { operation: 'Query.applications', query: '{ applications(first: 1) { totalCount } }', allowed: READERS },
        { operation: '_entities Job', query: entities('... on Job { id title status }'), variables: jobRef, allowed: EVERYONE },
        { operation: '_entities Job.applications', query: entities('... on Job { applications { totalCount } }'), variables: jobRef, allowed: READERS },
        {
          operation: '_entities Company.jobs',
          query: entities('... on Company { id jobs { totalCount edges { node { title } } } }'),
          variables: { representations: [{ __typename: 'Company', id: job.company.id }] },
          allowed: EVERYONE,
        },
        {
          operation: '_entities Application',
          // Only Application's own fields, so the type's guard is what refuses (not Talent's, behind `talent`).
          query: entities('... on Application { id stage history { to } createdAt }'),
          variables: { representations: [{ __typename: 'Application', id: application.id }] },
          allowed: READERS,
        },
        {
          operation: '_entities Talent.applications',
          query: entities('... on Talent { id applications { totalCount } }'),
          variables: { representations: [{ __typename: 'Talent', id: application.talent.id }] },
          allowed: READERS,
        },
        {
          operation: 'Mutation.createJob',
          query: 'mutation { createJob(input: { companyId: "00000000-0000-4000-8000-000000000c0c", title: "Matrix", employmentType: FULL_TIME }) { id } }',
          allowed: WRITERS,
        },
        { operation: 'Mutation.updateJob', query: `mutation { updateJob(id: "${unknown}", input: { title: "M" }) { id } }`, allowed: WRITERS },
        { operation: 'Mutation.changeJobStatus', query: `mutation { changeJobStatus(id: "${unknown}", status: OPEN) { id } }`, allowed: WRITERS },
        { operation: 'Mutation.deleteJob', query: `mutation { deleteJob(id: "${unknown}") }`, allowed: DELETERS },
        { operation: 'Mutation.applyToJob', query: `mutation { applyToJob(jobId: "${unknown}", talentId: "${unknown}") { id } }`, allowed: WRITERS },
        { operation: 'Mutation.moveApplication', query: `mutation { moveApplication(id: "${unknown}", stage: SCREENING) { id } }`, allowed: WRITERS },
        { operation: 'Mutation.withdrawApplication', query: `mutation { withdrawApplication(id: "${unknown}") }`, allowed: WRITERS },
      ]);
      // The allowed createJob calls really created jobs (one per writer role): the matrix did not pass on errors alone.
      const created = await graphql<{ jobs: { totalCount: number } }>(url, '{ jobs(filter: { companyId: "00000000-0000-4000-8000-000000000c0c" }) { totalCount } }');
      expect(created.data!.jobs.totalCount).toBe(WRITERS.length);
    });

    it('shows guests and anonymous callers a job but not its pipeline, leaving the rest of the response intact', async () => {
      const query = `query($id: ID!, $companyId: ID!) {
        job(id: $id) { id title status statusHistory { to } applications { totalCount } }
        jobs(filter: { companyId: $companyId }) { totalCount edges { node { title applications { totalCount } } } }
      }`;
      const variables = { id: job.id, companyId: job.company.id };
      for (const [caller, token, code] of [
        ['guest', guest, 'FORBIDDEN'],
        ['anonymous', undefined, 'UNAUTHENTICATED'],
      ] as const) {
        const result = await graphql(url, query, variables, token);
        expect(result.data, caller).toEqual({
          job: { id: job.id, title: 'Matrix Engineer', status: 'OPEN', statusHistory: null, applications: null },
          jobs: { totalCount: 1, edges: [{ node: { title: 'Matrix Engineer', applications: null } }] },
        });
        expect(result.errors!.map((error) => `${error.extensions!.code} at ${error.path!.join('.')}`).sort(), caller).toEqual(
          [`${code} at job.applications`, `${code} at job.statusHistory`, `${code} at jobs.edges.0.node.applications`].sort(),
        );
      }

      const asUser = await graphql(url, query, variables, user);
      expect(asUser.errors).toBeUndefined();
      expect(asUser.data).toEqual({
        job: { id: job.id, title: 'Matrix Engineer', status: 'OPEN', statusHistory: [{ to: 'DRAFT' }, { to: 'OPEN' }], applications: { totalCount: 1 } },
        jobs: { totalCount: 1, edges: [{ node: { title: 'Matrix Engineer', applications: { totalCount: 1 } } }] },
      });
    });

    it('refuses Application and Talent entities to guests and anonymous callers, and resolves them for users', async () => {
      const cases = [
        {
          // Only Application's own fields, so the type's guard is what refuses (not Talent's, behind `talent`).
          fragment: '... on Application { id stage history { to } }',
          representations: [{ __typename: 'Application', id: application.id }],
          expected: [{ id: application.id, stage: 'APPLIED', history: [{ to: 'APPLIED' }] }],
        },
        {
          fragment: '... on Talent { id applications { totalCount edges { node { id } } } }',
          representations: [{ __typename: 'Talent', id: application.talent.id }],
          expected: [{ id: application.talent.id, applications: { totalCount: 1, edges: [{ node: { id: application.id } }] } }],
        },
      ];
      for (const { fragment, representations, expected } of cases) {
        for (const [token, code] of [
          [guest, 'FORBIDDEN'],
          [undefined, 'UNAUTHENTICATED'],
        ] as const) {
          const refused = await graphql(url, entities(fragment), { representations }, token);
          expect(refused.data, fragment).toEqual({ _entities: [null] });
          expect(codes(refused).length, fragment).toBeGreaterThan(0);
          expect(new Set(codes(refused)), fragment).toEqual(new Set([code]));
          expect(refused.errors!.every((error) => error.path?.[0] === '_entities'), fragment).toBe(true);
        }
        const allowed = await graphql(url, entities(fragment), { representations }, user);
        expect(allowed.errors, fragment).toBeUndefined();
        expect(allowed.data, fragment).toEqual({ _entities: expected });
      }
    });

    it('resolves Job entities for anonymous callers but refuses their applications and status history', async () => {
      const result = await graphql(
        url,
        entities('... on Job { id title statusHistory { to } applications { totalCount } }'),
        { representations: [{ __typename: 'Job', id: job.id }, { __typename: 'Job', id: newId() }] },
      );
      expect(result.data).toEqual({ _entities: [{ id: job.id, title: 'Matrix Engineer', statusHistory: null, applications: null }, null] });
      expect(result.errors!.map((error) => `${error.extensions!.code} at ${error.path!.join('.')}`).sort()).toEqual([
        'UNAUTHENTICATED at _entities.0.applications',
        'UNAUTHENTICATED at _entities.0.statusHistory',
      ]);
    });

    it('refuses writes before they happen: a refused caller changes nothing', async () => {
      const before = { jobs: await running.stores.jobs.count(), applications: await running.stores.applications.count() };
      const attempts = [
        ['mutation($id: ID!) { deleteJob(id: $id) }', { id: job.id }],
        ['mutation($id: ID!) { changeJobStatus(id: $id, status: CLOSED) { id } }', { id: job.id }],
        ['mutation($id: ID!) { updateJob(id: $id, input: { title: "Hijacked" }) { id } }', { id: job.id }],
        ['mutation($jobId: ID!, $talentId: ID!) { applyToJob(jobId: $jobId, talentId: $talentId) { id } }', { jobId: job.id, talentId: newId() }],
        ['mutation($id: ID!) { moveApplication(id: $id, stage: REJECTED) { id } }', { id: application.id }],
        ['mutation($id: ID!) { withdrawApplication(id: $id) }', { id: application.id }],
      ] as const;
      for (const [mutation, variables] of attempts) {
        expect(codes(await graphql(url, mutation, variables, guest)), mutation).toEqual(['FORBIDDEN']);
        expect(codes(await graphql(url, mutation, variables)), mutation).toEqual(['UNAUTHENTICATED']);
      }
      // A user may write but not delete.
      expect(codes(await graphql(url, 'mutation($id: ID!) { deleteJob(id: $id) }', { id: job.id }, user))).toEqual(['FORBIDDEN']);
      expect({ jobs: await running.stores.jobs.count(), applications: await running.stores.applications.count() }).toEqual(before);
      const after = await graphql<{ job: { title: string; status: string }; application: { stage: string } }>(
        url,
        'query($job: ID!, $application: ID!) { job(id: $job) { title status } application(id: $application) { stage } }',
        { job: job.id, application: application.id },
        user,
      );
      expect(after.data).toEqual({ job: { title: 'Matrix Engineer', status: 'OPEN' }, application: { stage: 'APPLIED' } });
    });
  });
}
