import { afterAll, beforeAll, expect, it } from 'vitest';
import { graphql } from '../../../test/support/client.ts';
import { backends } from '../../../test/support/databases.ts';
import { contractSuite } from '../../../test/support/contract.ts';
import { startTestSubgraph, tokenFor } from '../../../test/support/services.ts';
import { jobs, type Stores } from '../index.ts';
import type { Application, Job } from '../store.ts';
import { applicationRecord, jobRecord, newId } from './fixtures.ts';

// Job.applications is nullable (it needs talent:read on a public type) and Talent.applications is
// not, so one selection needs an alias to ask for both, as the gateway's query planner adds.
const ENTITIES = `query($representations: [_Any!]!, $first: Int, $after: String, $jobFilter: JobFilter, $applicationFilter: ApplicationFilter) {
  _entities(representations: $representations) {
    ... on Job { id title jobApplications: applications(filter: $applicationFilter, first: $first, after: $after, orderBy: { field: CREATED_AT }) { totalCount edges { node { id talent { id } } } } }
    ... on Application { id stage job { id title } talent { id } }
    ... on Company { id jobs(filter: $jobFilter, first: $first, after: $after, orderBy: { field: TITLE }) {
      totalCount edges { node { id title company { id } } } pageInfo { hasNextPage hasPreviousPage }
    } }
    ... on Talent { id applications(filter: $applicationFilter, first: $first, after: $after, orderBy: { field: CREATED_AT }) {
      totalCount edges { node { id job { id } } } pageInfo { hasNextPage }
    } }
  }
}`;

interface Connection<Node> {
  totalCount: number;
  edges: { node: Node }[];
  pageInfo?: { hasNextPage: boolean; hasPreviousPage?: boolean };
}
type Entity = {
  id: string;
  title?: string;
  stage?: string;
  job?: { id: string; title?: string };
  talent?: { id: string };
  jobs?: Connection<{ id: string; title: string; company: { id: string } }>;
  applications?: Connection<{ id: string; job?: { id: string } }>;
  jobApplications?: Connection<{ id: string; talent?: { id: string } }>;
} | null;

for (const { backend, target } of await backends()) {
  contractSuite('jobs subgraph: federation', target, () => {
    let running: Awaited<ReturnType<typeof startTestSubgraph<Stores>>>;
    let url: string;
    // Applications and talents' applications need talent:read, which a user holds.
    let reader: string;
    // 20 companies, company i with i + 1 jobs; 20 talents, talent i with applications to the first i + 1 jobs of the last company.
    const companyIds = Array.from({ length: 20 }, newId);
    const talentIds = Array.from({ length: 20 }, newId);
    const jobsByCompany: Job[][] = [];
    const applicationsByTalent: Application[][] = [];
    let bulkCompany: string;
    let bulkTalent: string;

    beforeAll(async () => {
      running = await startTestSubgraph(jobs, backend);
      url = running.url;
      reader = await tokenFor('user');
      const base = Date.now() - 86_400_000;
      companyIds.forEach((companyId, i) => {
        jobsByCompany.push(
          Array.from({ length: i + 1 }, (_, j) => jobRecord({ companyId, title: `Company ${i} job ${String(j).padStart(2, '0')}` })),
        );
      });
      bulkCompany = newId();
      const bulkJobs = Array.from({ length: 105 }, (_, j) => jobRecord({ companyId: bulkCompany, title: `Bulk ${String(j).padStart(3, '0')}` }));
      await running.stores.jobs.importMany([...jobsByCompany.flat(), ...bulkJobs]);

      const targets = jobsByCompany[19]!;
      talentIds.forEach((talentId, i) => {
        applicationsByTalent.push(
          Array.from({ length: i + 1 }, (_, j) => {
            const at = new Date(base + j * 60_000);
            return applicationRecord({ jobId: targets[j]!.id, talentId, createdAt: at, updatedAt: at });
          }),
        );
      });
      bulkTalent = newId();
      const bulkApplications = bulkJobs.map((job) => applicationRecord({ jobId: job.id, talentId: bulkTalent }));
      await running.stores.applications.importMany([...applicationsByTalent.flat(), ...bulkApplications]);
    });
    afterAll(() => running?.stop());

    /** Runs `_entities` and returns the entities and the SQL statements it cost. */
    async function entities(representations: object[], variables: Record<string, unknown> = {}) {
      const before = running.db.stats.queries;
      const result = await graphql<{ _entities: Entity[] }>(url, ENTITIES, { representations, ...variables }, reader);
      expect(result.errors).toBeUndefined();
      return { entities: result.data!._entities, statements: running.db.stats.queries - before };
    }

    it('resolves Job and Application entities in one batched statement each', async () => {
      const allJobs = jobsByCompany.flat().slice(0, 20);
      const jobRefs = [...allJobs.map((job) => ({ __typename: 'Job', id: job.id })), { __typename: 'Job', id: newId() }, { __typename: 'Job', id: 'nope' }];
      const resolvedJobs = await entities(jobRefs);
      expect(resolvedJobs.entities.map((entity) => entity?.title ?? null)).toEqual([...allJobs.map((job) => job.title), null, null]);
      // one for the jobs, one for all their (empty) application pages
      expect(resolvedJobs.statements).toBe(2);

      const applications = applicationsByTalent.flat().slice(0, 20);
      const resolved = await entities(applications.map((application) => ({ __typename: 'Application', id: application.id })));
      expect(resolved.entities).toEqual(
        applications.map((application) => ({
          id: application.id,
          stage: 'APPLIED',
          talent: { id: application.talentId },
          job: { id: application.jobId, title: jobsByCompany[19]!.find((job) => job.id === application.jobId)!.title },
        })),
      );
      // one for the applications, one for all their jobs
      expect(resolved.statements).toBe(2);
    });

    it('batches Company.jobs over 20 companies into one statement', async () => {
      const one = await entities([{ __typename: 'Company', id: companyIds[0] }]);
      expect(one.statements).toBe(1);

      const many = await entities(companyIds.map((id) => ({ __typename: 'Company', id })), { first: 10 });
      expect(many.statements).toBe(1);
      many.entities.forEach((entity, i) => {
        const expected = jobsByCompany[i]!.map((job) => job.title).slice(0, 10);
        expect(entity!.id).toBe(companyIds[i]);
        expect(entity!.jobs!.totalCount).toBe(i + 1);
        expect(entity!.jobs!.edges.map((edge) => edge.node.title)).toEqual(expected);
        expect(entity!.jobs!.edges.every((edge) => edge.node.company.id === companyIds[i])).toBe(true);
        expect(entity!.jobs!.pageInfo!.hasNextPage).toBe(i + 1 > 10);
      });

      // Filters apply per company; a company without jobs gets an empty connection.
      const filtered = await entities(
        [...companyIds.map((id) => ({ __typename: 'Company', id })), { __typename: 'Company', id: newId() }],
        { jobFilter: { titleContains: 'job 01' } },
      );
      expect(filtered.statements).toBe(1);
      expect(filtered.entities.map((entity) => entity!.jobs!.totalCount)).toEqual([0, ...Array(19).fill(1), 0]);

      // Past the end of some companies' lists, their totals still come back, from one more statement.
      const cursorAfterTen = Buffer.from('offset:9').toString('base64url');
      const pastEnd = await entities(companyIds.map((id) => ({ __typename: 'Company', id })), { first: 10, after: cursorAfterTen });
      expect(pastEnd.statements).toBe(2);
      pastEnd.entities.forEach((entity, i) => {
        expect(entity!.jobs!.totalCount).toBe(i + 1);
        expect(entity!.jobs!.edges).toHaveLength(Math.max(0, i + 1 - 10));
        expect(entity!.jobs!.pageInfo!.hasPreviousPage).toBe(true);
      });
    });

    it('clamps Company.jobs pages to 100', async () => {
      const { entities: [bulk] } = await entities([{ __typename: 'Company', id: bulkCompany }], { first: 1_000_000_000 });
      expect(bulk!.jobs!.totalCount).toBe(105);
      expect(bulk!.jobs!.edges).toHaveLength(100);
      expect(bulk!.jobs!.edges[99]!.node.title).toBe('Bulk 099');
      expect(bulk!.jobs!.pageInfo!.hasNextPage).toBe(true);
    });

    it('batches Talent.applications over 20 talents into one statement (plus one for their jobs)', async () => {
      const one = await entities([{ __typename: 'Talent', id: talentIds[0] }]);
      expect(one.statements).toBe(2);

      const many = await entities(talentIds.map((id) => ({ __typename: 'Talent', id })), { first: 10 });
      expect(many.statements).toBe(2);
      many.entities.forEach((entity, i) => {
        expect(entity!.id).toBe(talentIds[i]);
        expect(entity!.applications!.totalCount).toBe(i + 1);
        expect(entity!.applications!.edges.map((edge) => edge.node.id)).toEqual(applicationsByTalent[i]!.map((a) => a.id).slice(0, 10));
        expect(entity!.applications!.pageInfo!.hasNextPage).toBe(i + 1 > 10);
      });

      // Without the jobs, the applications of all 20 talents are exactly one statement.
      const before = running.db.stats.queries;
      const bare = await graphql<{ _entities: { applications: { totalCount: number } }[] }>(
        url,
        `query($representations: [_Any!]!) { _entities(representations: $representations) {
          ... on Talent { applications { totalCount edges { node { id stage } } } } } }`,
        { representations: talentIds.map((id) => ({ __typename: 'Talent', id })) },
        reader,
      );
      expect(running.db.stats.queries - before).toBe(1);
      expect(bare.data!._entities.map((entity) => entity.applications.totalCount)).toEqual(talentIds.map((_, i) => i + 1));

      const filtered = await entities(talentIds.map((id) => ({ __typename: 'Talent', id })), {
        applicationFilter: { jobId: jobsByCompany[19]![3]!.id },
      });
      expect(filtered.statements).toBe(2);
      expect(filtered.entities.map((entity) => entity!.applications!.totalCount)).toEqual([0, 0, 0, ...Array(17).fill(1)]);

      const rejectedOnly = await entities(talentIds.map((id) => ({ __typename: 'Talent', id })), { applicationFilter: { stage: ['REJECTED'] } });
      expect(rejectedOnly.entities.every((entity) => entity!.applications!.totalCount === 0)).toBe(true);
    });

    it('clamps Talent.applications pages to 100 and resolves their jobs in one more statement', async () => {
      const result = await entities([{ __typename: 'Talent', id: bulkTalent }], { first: 1_000_000_000 });
      const [bulk] = result.entities;
      expect(bulk!.applications!.totalCount).toBe(105);
      expect(bulk!.applications!.edges).toHaveLength(100);
      expect(new Set(bulk!.applications!.edges.map((edge) => edge.node.job!.id)).size).toBe(100);
      expect(result.statements).toBe(2);
    });

    it('batches Job.applications over 20 jobs', async () => {
      const targets = jobsByCompany[19]!;
      const result = await entities(targets.map((job) => ({ __typename: 'Job', id: job.id })));
      expect(result.statements).toBe(2);
      result.entities.forEach((entity, j) => {
        // talents j..19 applied to job j
        expect(entity!.jobApplications!.totalCount).toBe(20 - j);
        expect(new Set(entity!.jobApplications!.edges.map((edge) => edge.node.talent!.id))).toEqual(new Set(talentIds.slice(j)));
      });
    });

    it('answers null, not an error, for representations whose id is not a string', async () => {
      const [job] = jobsByCompany[0]!;
      const [application] = applicationsByTalent[0]!;
      const odd = [42, [job!.id], { id: job!.id }];
      const result = await entities(
        ['Job', 'Application', 'Company', 'Talent'].flatMap((__typename) => odd.map((id) => ({ __typename, id }))),
      );
      expect(result.entities).toEqual(Array(12).fill(null));
      expect(result.statements).toBe(0);
      // The same batch still resolves the well-formed representations beside them.
      const mixed = await entities([
        { __typename: 'Application', id: [application!.id] },
        { __typename: 'Application', id: application!.id },
        { __typename: 'Talent', id: [application!.talentId] },
        { __typename: 'Talent', id: application!.talentId },
      ]);
      expect(mixed.entities.map((entity) => entity?.id ?? null)).toEqual([null, application!.id, null, application!.talentId]);
    });

    it('publishes its federation SDL with the contributed fields', async () => {
      const result = await graphql<{ _service: { sdl: string } }>(url, '{ _service { sdl } }');
      const sdl = result.data!._service.sdl;
      expect(sdl).toMatch(/type Company\s+@key\(fields: "id"\)\s+@hasPermission\(permission: "read:public"\)\s*{\s*id: ID!/);
      expect(sdl).toMatch(/jobs\(filter: JobFilter, orderBy: JobOrder, first: Int = 20, after: String\): JobConnection!/);
      expect(sdl).toMatch(/type Talent\s+@key\(fields: "id"\)\s+@hasPermission\(permission: "talent:read"\)\s*{\s*id: ID!/);
      // The gateway composes the auth directives from this SDL, so they must be in it.
      expect(sdl).toMatch(/type Job\s+@key\(fields: "id"\)\s+@hasPermission\(permission: "read:public"\)/);
      expect(sdl).toMatch(/type Application\s+@key\(fields: "id"\)\s+@hasPermission\(permission: "talent:read"\)/);
      expect(sdl).toMatch(/deleteJob\(id: ID!\): ID! @hasPermission\(permission: "job:delete"\)/);
      expect(sdl).toMatch(/type Skill\s+@key\(fields: "id", resolvable: false\)/);
      expect(sdl).toContain('DRAFT → OPEN');
    });
  });
}
