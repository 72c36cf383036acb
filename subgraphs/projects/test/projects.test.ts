import { viewerWithRole } from '../../../platform/auth/index.ts';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DemoDataset } from '../../../demo/types.ts';
import { codes, graphql } from '../../../test/support/client.ts';
import { backends } from '../../../test/support/databases.ts';
import { contractSuite } from '../../../test/support/contract.ts';
import { CALLERS, checkMatrix } from '../../../test/support/auth-matrix.ts';
import { anonymousToken, startTestSubgraph, tokenFor } from '../../../test/support/services.ts';
import { expectSnapshotMatchesLatestEvent } from '../../../test/support/snapshots.ts';
import { Loaders } from '../../../platform/loaders.ts';
import { loadDemo } from '../demo.ts';
import { projects, type Stores } from '../index.ts';
import { Mutation } from '../resolvers/mutation.ts';
import type { NewProject } from '../store.ts';

const FIELDS = `id name description status startDate endDate company { id } skills { id }
  members { talent { id } role joinedAt } createdAt updatedAt`;
const CREATE = `mutation($input: CreateProjectInput!) { createProject(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateProjectInput!) { updateProject(id: $id, input: $input) { ${FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteProject(id: $id) }`;
const READ = `query($id: ID!) { project(id: $id) { ${FIELDS} } }`;
const ADD_MEMBER = `mutation($projectId: ID!, $talentId: ID!, $role: String!) {
  addProjectMember(projectId: $projectId, talentId: $talentId, role: $role) { updatedAt members { talent { id } role } }
}`;
const REMOVE_MEMBER = `mutation($projectId: ID!, $talentId: ID!) {
  removeProjectMember(projectId: $projectId, talentId: $talentId) { members { talent { id } role } }
}`;
const LIST = `query($filter: ProjectFilter, $order: ProjectOrder, $first: Int, $after: String) {
  projects(filter: $filter, orderBy: $order, first: $first, after: $after) {
    totalCount edges { cursor node { name } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

/** One representation through `_entities`, selecting `selection` on it. */
const entity = (typename: string, id: string, selection: string) =>
  `{ _entities(representations: [{ __typename: "${typename}", id: "${id}" }]) { ... on ${typename} { ${selection} } } }`;

/** The callers holding talent:read, and project:write (the same roles); project:delete is the admins'. */
const TALENT_READERS = ['super_admin', 'admin', 'data_admin', 'user'] as const;
const PROJECT_WRITERS = TALENT_READERS;
const PROJECT_DELETERS = ['super_admin', 'admin', 'data_admin'] as const;

/** "CODE at path" for each error, to say which field was refused and how. */
const refusals = (response: { errors?: { path?: (string | number)[]; extensions?: { code?: string } }[] }) =>
  (response.errors ?? []).map((error) => `${error.extensions?.code} at ${error.path?.join('.')}`).sort();

interface ProjectView {
  id: string;
  name: string;
  description: string | null;
  status: string;
  startDate: string | null;
  endDate: string | null;
  company: { id: string } | null;
  skills: { id: string }[];
  members: { talent: { id: string }; role: string; joinedAt: string }[];
  createdAt: string;
  updatedAt: string;
}

interface ListView {
  projects: {
    totalCount: number;
    edges: { cursor: string; node: { name: string } }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
}

/** A project for the store's bulk insert, used to set up batching scenarios quickly. */
function newProject(overrides: Partial<NewProject> = {}): NewProject {
  return {
    id: randomUUID(),
    name: 'Bulk project',
    description: null,
    companyId: null,
    status: 'ACTIVE',
    startDate: null,
    endDate: null,
    skillIds: [],
    members: [],
    ...overrides,
  };
}

for (const { backend, target } of await backends()) {
  contractSuite('projects subgraph', target, () => {
    let running: Awaited<ReturnType<typeof startTestSubgraph<Stores>>>;
    let url: string;
    let token: string;
    beforeAll(async () => {
      running = await startTestSubgraph(projects, backend);
      url = running.url;
      token = await tokenFor('user');
    });
    afterAll(() => running?.stop());

    const names = (response: { data?: ListView | null }) => response.data!.projects.edges.map((edge) => edge.node.name);
    const create = async (input: Record<string, unknown>) => {
      const created = await graphql<{ createProject: ProjectView }>(url, CREATE, { input }, token);
      expect(created.errors).toBeUndefined();
      return created.data!.createProject;
    };
    // The full view includes the team, which needs talent:read.
    const read = async (id: string) => (await graphql<{ project: ProjectView | null }>(url, READ, { id }, token)).data!.project;
    const counts = async () => ({ projects: await running.stores.projects.count(), members: await running.stores.projects.countMembers() });
    const outbox = () =>
      running.db.query<{ type: string; aggregate_type: string; aggregate_id: string; payload: Record<string, unknown> }>(
        'select type, aggregate_type, aggregate_id, payload from outbox order by position',
      );
    /** The events recorded by `work`, in order. */
    const eventsOf = async (work: () => Promise<unknown>) => {
      const before = (await outbox()).length;
      await work();
      return (await outbox()).slice(before);
    };

    it('creates, reads, updates and deletes a project with its team and skills', async () => {
      const [companyId, skillA, skillB, lead, dev] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      const created = await create({
        name: ' Apollo Launch ',
        description: 'Ship it',
        companyId: companyId.toUpperCase(),
        startDate: '2024-02-29',
        endDate: '2024-12-31',
        skillIds: [skillA, skillB, skillA],
        members: [
          { talentId: lead, role: ' Lead ' },
          { talentId: dev, role: 'Engineer' },
        ],
      });
      expect(created).toMatchObject({
        name: 'Apollo Launch',
        description: 'Ship it',
        status: 'PLANNED',
        startDate: '2024-02-29',
        endDate: '2024-12-31',
        company: { id: companyId },
        skills: [{ id: skillA }, { id: skillB }],
        members: [
          { talent: { id: lead }, role: 'Lead' },
          { talent: { id: dev }, role: 'Engineer' },
        ],
      });
      expect(Date.parse(created.members[0]!.joinedAt)).not.toBeNaN();
      expect(await read(created.id)).toEqual(created);

      const updated = await graphql<{ updateProject: ProjectView }>(
        url,
        UPDATE,
        { id: created.id, input: { status: 'ACTIVE', description: null, companyId: null, skillIds: [skillB], endDate: '2025-01-31' } },
        token,
      );
      expect(updated.errors).toBeUndefined();
      expect(updated.data!.updateProject).toMatchObject({
        name: 'Apollo Launch',
        description: null,
        status: 'ACTIVE',
        company: null,
        startDate: '2024-02-29',
        endDate: '2025-01-31',
        skills: [{ id: skillB }],
        members: created.members,
      });
      expect(Date.parse(updated.data!.updateProject.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));

      const before = await counts();
      const deleted = await graphql(url, DELETE, { id: created.id }, await tokenFor('data_admin'));
      expect(deleted).toEqual({ data: { deleteProject: created.id } });
      expect(await read(created.id)).toBeNull();
      // The team goes with the project.
      expect(await counts()).toEqual({ projects: before.projects - 1, members: before.members - 2 });
    });

    it('records a domain event with every change, in the same transaction', async () => {
      const [companyId, skillA, skillB, lead, dev] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      const admin = await tokenFor('admin');
      let project!: ProjectView;
      const events = await eventsOf(async () => {
        project = await create({
          name: 'Eventful', companyId, startDate: '2024-01-01', skillIds: [skillA], members: [{ talentId: lead, role: 'Lead' }],
        });
        await graphql(url, UPDATE, { id: project.id, input: { status: 'ACTIVE', skillIds: [skillB, skillA], endDate: '2024-12-31' } }, token);
        await graphql(url, ADD_MEMBER, { projectId: project.id, talentId: dev, role: 'Engineer' }, token);
        await graphql(url, REMOVE_MEMBER, { projectId: project.id, talentId: lead }, token);
        expect(await graphql(url, DELETE, { id: project.id }, admin)).toEqual({ data: { deleteProject: project.id } });
      });
      const id = project.id;
      expect(events.map((e) => [e.type, e.aggregate_type, e.aggregate_id])).toEqual([
        ['project.created', 'Project', id],
        ['project.updated', 'Project', id],
        ['project.membersChanged', 'Project', id],
        ['project.membersChanged', 'Project', id],
        ['project.deleted', 'Project', id],
      ]);
      const [created, updated, added, removed, deleted] = events.map((e) => e.payload);
      expect(created).toMatchObject({
        id, name: 'Eventful', companyId, status: 'PLANNED', startDate: '2024-01-01', endDate: null, skillIds: [skillA],
        members: [{ talentId: lead, role: 'Lead', joinedAt: project.members[0]!.joinedAt }],
      });
      // Dates travel as ISO strings, exactly as the API shows them.
      expect(created).toMatchObject({ createdAt: project.createdAt, updatedAt: project.updatedAt });
      expect(updated).toMatchObject({ id, companyId, status: 'ACTIVE', endDate: '2024-12-31', skillIds: [skillB, skillA], members: [{ talentId: lead, role: 'Lead' }] });
      expect(added).toMatchObject({
        id, companyId, status: 'ACTIVE', skillIds: [skillB, skillA],
        members: [{ talentId: lead, role: 'Lead' }, { talentId: dev, role: 'Engineer' }],
        added: [{ talentId: dev, role: 'Engineer' }], removed: [],
      });
      expect(removed).toMatchObject({ id, members: [{ talentId: dev, role: 'Engineer' }], added: [], removed: [{ talentId: lead, role: 'Lead' }] });
      expect((removed!.members as unknown[]).length).toBe(1);
      expect(deleted).toEqual({ id, companyId, talentIds: [dev], skillIds: [skillB, skillA] });
    });

    it('serves a project and its team in the snapshot exactly as its latest event carries them', async () => {
      const [lead, dev, tester] = [randomUUID(), randomUUID(), randomUUID()];
      const project = await create({
        name: 'Snapshotted', companyId: randomUUID(), startDate: '2024-03-01', skillIds: [randomUUID()],
        members: [{ talentId: lead, role: 'Lead' }, { talentId: dev, role: 'Engineer' }],
      });
      expect((await graphql(url, ADD_MEMBER, { projectId: project.id, talentId: tester, role: 'Tester' }, token)).errors).toBeUndefined();
      // Last, so the latest event is an update: a team change's event also carries what changed, which a snapshot has no part in.
      expect((await graphql(url, UPDATE, { id: project.id, input: { status: 'ACTIVE' } }, token)).errors).toBeUndefined();
      const alone = await create({ name: 'Snapshotted alone' });

      const snapshot = await expectSnapshotMatchesLatestEvent(running, project.id);
      expect((snapshot.payload.members as { talentId: string }[]).map((member) => member.talentId)).toEqual([lead, dev, tester]);
      expect((await expectSnapshotMatchesLatestEvent(running, alone.id)).payload.members).toEqual([]);
    });

    it('records no event for a rejected write', async () => {
      const talentId = randomUUID();
      const project = await create({ name: 'Quiet', startDate: '2024-05-01', members: [{ talentId, role: 'Lead' }] });
      const admin = await tokenFor('admin');
      const events = await eventsOf(async () => {
        expect(codes(await graphql(url, CREATE, { input: { name: 'X', startDate: '2025-03-02', endDate: '2025-03-01' } }, token))).toEqual(['BAD_USER_INPUT']);
        expect(codes(await graphql(url, CREATE, { input: { name: 'X' } }))).toEqual(['UNAUTHENTICATED']);
        expect(codes(await graphql(url, UPDATE, { id: project.id, input: { endDate: '2024-04-30' } }, token))).toEqual(['BAD_USER_INPUT']);
        expect(codes(await graphql(url, UPDATE, { id: randomUUID(), input: { name: 'Y' } }, token))).toEqual(['NOT_FOUND']);
        expect(codes(await graphql(url, ADD_MEMBER, { projectId: project.id, talentId, role: 'QA' }, token))).toEqual(['CONFLICT']);
        expect(codes(await graphql(url, ADD_MEMBER, { projectId: randomUUID(), talentId, role: 'QA' }, token))).toEqual(['NOT_FOUND']);
        expect(codes(await graphql(url, REMOVE_MEMBER, { projectId: project.id, talentId: randomUUID() }, token))).toEqual(['NOT_FOUND']);
        expect(codes(await graphql(url, DELETE, { id: project.id }, token))).toEqual(['FORBIDDEN']);
        expect(codes(await graphql(url, DELETE, { id: randomUUID() }, admin))).toEqual(['NOT_FOUND']);
      });
      expect(events).toEqual([]);
      // The store refusing dates out of order (its constraint, not the resolver's check) rolls its event back too.
      const refused = await eventsOf(() =>
        expect(running.stores.projects.update(project.id, { endDate: '2024-01-01' })).rejects.toThrow('A project cannot end before it starts'),
      );
      expect(refused).toEqual([]);
      expect(await read(project.id)).toEqual(project);
    });

    it('answers null for unknown and malformed ids in queries', async () => {
      expect(await read(randomUUID())).toBeNull();
      expect(await read('not-an-id')).toBeNull();
    });

    it('lets each role do exactly what the permission map says', async () => {
      const unknown = '00000000-0000-4000-8000-00000000dead';
      const [talentId, companyId] = [randomUUID(), randomUUID()];
      const project = await create({ name: 'Matrix team', companyId, members: [{ talentId, role: 'Lead' }] });
      await checkMatrix(url, [
        { operation: 'Query.project', query: `{ project(id: "${project.id}") { id name status company { id } skills { id } createdAt } }`, allowed: CALLERS },
        { operation: 'Query.projects', query: `{ projects(filter: { companyId: "${companyId}" }) { totalCount edges { node { name } } } }`, allowed: CALLERS },
        { operation: 'Query.projects(filter.talentId)', query: `{ projects(filter: { talentId: "${talentId}" }) { totalCount } }`, allowed: TALENT_READERS },
        { operation: 'Project.members', query: `{ project(id: "${project.id}") { members { talent { id } role joinedAt } } }`, allowed: TALENT_READERS },
        {
          operation: 'Project.members in a list',
          query: `{ projects(filter: { companyId: "${companyId}" }) { edges { node { name members { role } } } } }`,
          allowed: TALENT_READERS,
        },
        { operation: '_entities Project', query: entity('Project', project.id, 'id name company { id }'), allowed: CALLERS },
        { operation: '_entities Project.members', query: entity('Project', project.id, 'members { talent { id } role }'), allowed: TALENT_READERS },
        { operation: '_entities Talent.id', query: entity('Talent', talentId, 'id'), allowed: TALENT_READERS },
        { operation: '_entities Talent.projects', query: entity('Talent', talentId, 'projects { name }'), allowed: TALENT_READERS },
        { operation: '_entities Company.projects', query: entity('Company', companyId, 'id projects { totalCount edges { node { name } } }'), allowed: CALLERS },
        {
          operation: 'Company.projects(filter.talentId)',
          query: entity('Company', companyId, `projects(filter: { talentId: "${talentId}" }) { totalCount }`),
          allowed: TALENT_READERS,
        },
        { operation: 'Mutation.createProject', query: 'mutation { createProject(input: { name: "Matrix" }) { id } }', allowed: PROJECT_WRITERS },
        {
          // Naming the team needs only project:write.
          operation: 'Mutation.createProject(members)',
          query: `mutation { createProject(input: { name: "Matrix", members: [{ talentId: "${talentId}", role: "Dev" }] }) { id } }`,
          allowed: PROJECT_WRITERS,
        },
        { operation: 'Mutation.updateProject', query: `mutation { updateProject(id: "${unknown}", input: { name: "M" }) { id } }`, allowed: PROJECT_WRITERS },
        {
          operation: 'Mutation.addProjectMember',
          query: `mutation { addProjectMember(projectId: "${unknown}", talentId: "${talentId}", role: "Dev") { id } }`,
          allowed: PROJECT_WRITERS,
        },
        { operation: 'Mutation.removeProjectMember', query: `mutation { removeProjectMember(projectId: "${unknown}", talentId: "${talentId}") { id } }`, allowed: PROJECT_WRITERS },
        { operation: 'Mutation.deleteProject', query: `mutation { deleteProject(id: "${unknown}") }`, allowed: PROJECT_DELETERS },
      ]);
    });

    it('shows projects to everyone but their teams only with talent:read', async () => {
      const talentId = randomUUID();
      const project = await create({ name: 'Public work', members: [{ talentId, role: 'Lead' }] });
      const [guest, anonymous] = [await tokenFor('guest'), await anonymousToken()];
      const publicFields = `query($id: ID!) { project(id: $id) { name status } }`;
      expect(await graphql(url, publicFields, { id: project.id })).toEqual({ data: { project: { name: 'Public work', status: 'PLANNED' } } });
      expect(await graphql(url, publicFields, { id: project.id }, guest)).toEqual({ data: { project: { name: 'Public work', status: 'PLANNED' } } });

      // Refusing `members` blanks that field alone; the rest of the project is still there.
      const withTeam = `query($id: ID!) { project(id: $id) { name members { role talent { id } } } }`;
      const refusedGuest = await graphql(url, withTeam, { id: project.id }, guest);
      expect(refusedGuest.data).toEqual({ project: { name: 'Public work', members: null } });
      expect(refusals(refusedGuest)).toEqual(['FORBIDDEN at project.members']);
      const refusedAnonymous = await graphql(url, withTeam, { id: project.id }, anonymous);
      expect(refusedAnonymous.data).toEqual({ project: { name: 'Public work', members: null } });
      expect(refusals(refusedAnonymous)).toEqual(['UNAUTHENTICATED at project.members']);
      expect(await graphql(url, withTeam, { id: project.id }, await tokenFor('data_admin'))).toEqual({
        data: { project: { name: 'Public work', members: [{ role: 'Lead', talent: { id: talentId } }] } },
      });
    });

    it('refuses the talent filter, which reveals who worked on what, without talent:read', async () => {
      const [talentId, companyId] = [randomUUID(), randomUUID()];
      await create({ name: 'Filtered in', companyId, members: [{ talentId, role: 'Lead' }] });
      await create({ name: 'Filtered out', companyId });
      const [guest, anonymous] = [await tokenFor('guest'), await anonymousToken()];
      const byTalent = (filter: Record<string, unknown>, caller: string) => graphql<ListView>(url, LIST, { filter }, caller);

      for (const filter of [{ talentId }, { talentId: 'not-an-id' }, { companyId, talentId }]) {
        const asGuest = await byTalent(filter, guest);
        expect(asGuest.data, JSON.stringify(filter)).toBeNull();
        expect(refusals(asGuest)).toEqual(['FORBIDDEN at projects']);
        const asAnonymous = await byTalent(filter, anonymous);
        expect(asAnonymous.data).toBeNull();
        expect(refusals(asAnonymous)).toEqual(['UNAUTHENTICATED at projects']);
      }
      expect(names(await byTalent({ talentId }, token))).toEqual(['Filtered in']);
      expect(names(await byTalent({ talentId: talentId.toUpperCase() }, await tokenFor('admin')))).toEqual(['Filtered in']);
      // No talent filter (or a null one) stays public.
      expect(names(await byTalent({ companyId, talentId: null }, guest))).toEqual(['Filtered in', 'Filtered out']);

      // The same filter on Company.projects is refused the same way.
      const companyPage = entity('Company', companyId, `id projects(filter: { talentId: "${talentId}" }) { totalCount }`);
      const companyAsGuest = await graphql(url, companyPage, {}, guest);
      expect(companyAsGuest.data).toEqual({ _entities: [null] });
      expect(refusals(companyAsGuest)).toEqual(['FORBIDDEN at _entities.0.projects']);
      expect(refusals(await graphql(url, companyPage, {}, anonymous))).toEqual(['UNAUTHENTICATED at _entities.0.projects']);
      expect(await graphql(url, companyPage, {}, token)).toEqual({ data: { _entities: [{ id: companyId, projects: { totalCount: 1 } }] } });
    });

    it('refuses Talent entities and project teams through _entities without talent:read', async () => {
      const talentId = randomUUID();
      const project = await create({ name: 'Entity team', members: [{ talentId, role: 'Lead' }] });
      const [guest, anonymous, user] = [await tokenFor('guest'), await anonymousToken(), await tokenFor('user')];

      const talent = entity('Talent', talentId, 'projects { name }');
      for (const [caller, code] of [[guest, 'FORBIDDEN'], [anonymous, 'UNAUTHENTICATED']] as const) {
        const queriesBefore = running.db.stats.queries;
        const refused = await graphql(url, talent, {}, caller);
        expect(refused.data).toEqual({ _entities: [null] });
        expect(refusals(refused)).toEqual([`${code} at _entities.0.projects`]);
        // Refused before anything is looked up.
        expect(running.db.stats.queries - queriesBefore).toBe(0);
      }
      expect(await graphql(url, talent, {}, user)).toEqual({ data: { _entities: [{ projects: [{ name: 'Entity team' }] }] } });

      const team = entity('Project', project.id, 'name members { role }');
      for (const [caller, code] of [[guest, 'FORBIDDEN'], [anonymous, 'UNAUTHENTICATED']] as const) {
        const refused = await graphql(url, team, {}, caller);
        expect(refused.data).toEqual({ _entities: [{ name: 'Entity team', members: null }] });
        expect(refusals(refused)).toEqual([`${code} at _entities.0.members`]);
        // Without the team the project itself is public.
        expect(await graphql(url, entity('Project', project.id, 'id name'), {}, caller)).toEqual({ data: { _entities: [{ id: project.id, name: 'Entity team' }] } });
      }
      expect(await graphql(url, team, {}, user)).toEqual({ data: { _entities: [{ name: 'Entity team', members: [{ role: 'Lead' }] }] } });
    });

    it('rejects invalid new projects and writes nothing', async () => {
      const talentId = randomUUID();
      const before = await counts();
      const rejected = async (input: Record<string, unknown>, field?: string) => {
        const response = await graphql(url, CREATE, { input }, token);
        expect(codes(response), JSON.stringify(input)).toEqual(['BAD_USER_INPUT']);
        if (field) expect(response.errors![0]!.extensions!.field).toBe(field);
      };
      await rejected({});
      await rejected({ name: '   ' }, 'name');
      await rejected({ name: 'X', status: 'DONE' });
      await rejected({ name: 'X', startDate: '2025-13-01' }, 'startDate');
      await rejected({ name: 'X', startDate: '2025-02-29' }, 'startDate');
      await rejected({ name: 'X', endDate: '25-01-01' }, 'endDate');
      await rejected({ name: 'X', endDate: '2025-01-01T00:00:00Z' }, 'endDate');
      await rejected({ name: 'X', startDate: '2025-03-02', endDate: '2025-03-01' }, 'endDate');
      await rejected({ name: 'X', companyId: 'acme' }, 'companyId');
      await rejected({ name: 'X', skillIds: [randomUUID(), 'java'] }, 'skillIds[1]');
      await rejected({ name: 'X', members: [{ talentId: 'bob', role: 'Dev' }] }, 'members[0].talentId');
      await rejected({ name: 'X', members: [{ talentId, role: '  ' }] }, 'members[0].role');
      await rejected({ name: 'X', members: [{ talentId, role: 'Dev' }, { talentId: talentId.toUpperCase(), role: 'QA' }] }, 'members[1].talentId');
      await rejected({ name: 'X', members: [{ talentId, role: 'r'.repeat(101) }] }, 'members[0].role');
      expect(codes(await graphql(url, CREATE, { input: { name: 'X' } }))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await graphql(url, CREATE, { input: { name: 'X' } }, await tokenFor('guest')))).toEqual(['FORBIDDEN']);
      expect(await counts()).toEqual(before);
    });

    it('validates updates against the stored dates and changes nothing on failure', async () => {
      const project = await create({ name: 'Dated', startDate: '2024-05-01', endDate: '2024-06-01', status: 'ACTIVE' });
      const rejected = async (input: Record<string, unknown>, field?: string) => {
        const response = await graphql(url, UPDATE, { id: project.id, input }, token);
        expect(codes(response), JSON.stringify(input)).toEqual(['BAD_USER_INPUT']);
        if (field) expect(response.errors![0]!.extensions!.field).toBe(field);
      };
      await rejected({ endDate: '2024-04-30' }, 'endDate');
      await rejected({ startDate: '2024-06-02' }, 'endDate');
      await rejected({ startDate: '2024-02-30' }, 'startDate');
      await rejected({ name: null }, 'name');
      await rejected({ name: '  ' }, 'name');
      await rejected({ status: null }, 'status');
      await rejected({ status: 'FINISHED' });
      await rejected({ companyId: '42' }, 'companyId');
      await rejected({ skillIds: ['x'] }, 'skillIds[0]');
      expect(codes(await graphql(url, UPDATE, { id: 'nope', input: { name: 'Y' } }, token))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, UPDATE, { id: randomUUID(), input: { name: 'Y' } }, token))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(url, UPDATE, { id: project.id, input: { name: 'Y' } }))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await graphql(url, UPDATE, { id: project.id, input: { name: 'Y' } }, await tokenFor('guest')))).toEqual(['FORBIDDEN']);
      expect(await read(project.id)).toEqual(project);

      // Moving both dates together, or clearing one, keeps them in order.
      const moved = await graphql<{ updateProject: ProjectView }>(url, UPDATE, { id: project.id, input: { startDate: '2024-07-01', endDate: '2024-08-01' } }, token);
      expect(moved.data!.updateProject).toMatchObject({ startDate: '2024-07-01', endDate: '2024-08-01' });
      const cleared = await graphql<{ updateProject: ProjectView }>(url, UPDATE, { id: project.id, input: { startDate: null, endDate: '2020-01-01' } }, token);
      expect(cleared.data!.updateProject).toMatchObject({ startDate: null, endDate: '2020-01-01', name: 'Dated', status: 'ACTIVE' });
    });

    it('keeps the dates in order when two updates move them at once', async () => {
      const project = await create({ name: 'Raced', startDate: '2024-01-01', endDate: '2024-12-31' });
      const ctx = { viewer: viewerWithRole(randomUUID(), 'user'), loaders: new Loaders(), stores: running.stores };
      // Each passes the check against the stored dates; together they would end the project before it starts.
      const outcomes = await Promise.allSettled([
        Mutation.updateProject(undefined, { id: project.id, input: { startDate: '2024-06-01' } }, ctx),
        Mutation.updateProject(undefined, { id: project.id, input: { endDate: '2024-03-01' } }, ctx),
      ]);
      const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(refused).toHaveLength(1);
      expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'endDate' } });
      const stored = (await read(project.id))!;
      expect(stored.endDate! >= stored.startDate!).toBe(true);
    });

    it('lets only admins delete', async () => {
      const project = await create({ name: 'Keep me', members: [{ talentId: randomUUID(), role: 'Lead' }] });
      expect(codes(await graphql(url, DELETE, { id: project.id }))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await graphql(url, DELETE, { id: project.id }, token))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(url, DELETE, { id: project.id }, await tokenFor('guest')))).toEqual(['FORBIDDEN']);
      const admin = await tokenFor('admin');
      expect(codes(await graphql(url, DELETE, { id: 'nope' }, admin))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, DELETE, { id: randomUUID() }, admin))).toEqual(['NOT_FOUND']);
      expect(await read(project.id)).toEqual(project);
      expect(await graphql(url, DELETE, { id: project.id }, admin)).toEqual({ data: { deleteProject: project.id } });
      expect(codes(await graphql(url, DELETE, { id: project.id }, admin))).toEqual(['NOT_FOUND']);
    });

    it('adds and removes members, a talent at most once', async () => {
      const [lead, dev] = [randomUUID(), randomUUID()];
      const project = await create({ name: 'Team', members: [{ talentId: lead, role: 'Lead' }] });

      const added = await graphql<{ addProjectMember: { updatedAt: string; members: unknown[] } }>(url, ADD_MEMBER, { projectId: project.id, talentId: dev, role: ' Engineer ' }, token);
      expect(added.errors).toBeUndefined();
      expect(added.data!.addProjectMember.members).toEqual([
        { talent: { id: lead }, role: 'Lead' },
        { talent: { id: dev }, role: 'Engineer' },
      ]);
      expect(Date.parse(added.data!.addProjectMember.updatedAt)).toBeGreaterThanOrEqual(Date.parse(project.updatedAt));

      const before = await counts();
      const conflict = await graphql(url, ADD_MEMBER, { projectId: project.id, talentId: dev.toUpperCase(), role: 'QA' }, token);
      expect(codes(conflict)).toEqual(['CONFLICT']);
      expect(codes(await graphql(url, ADD_MEMBER, { projectId: randomUUID(), talentId: dev, role: 'QA' }, token))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(url, ADD_MEMBER, { projectId: 'p', talentId: dev, role: 'QA' }, token))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, ADD_MEMBER, { projectId: project.id, talentId: 't', role: 'QA' }, token))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, ADD_MEMBER, { projectId: project.id, talentId: randomUUID(), role: ' ' }, token))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, ADD_MEMBER, { projectId: project.id, talentId: randomUUID(), role: 'QA' }))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await graphql(url, ADD_MEMBER, { projectId: project.id, talentId: randomUUID(), role: 'QA' }, await tokenFor('guest')))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(url, REMOVE_MEMBER, { projectId: project.id, talentId: randomUUID() }, token))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(url, REMOVE_MEMBER, { projectId: randomUUID(), talentId: dev }, token))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(url, REMOVE_MEMBER, { projectId: project.id, talentId: 'x' }, token))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, REMOVE_MEMBER, { projectId: project.id, talentId: dev }))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await graphql(url, REMOVE_MEMBER, { projectId: project.id, talentId: dev }, await tokenFor('guest')))).toEqual(['FORBIDDEN']);
      expect(await counts()).toEqual(before);
      expect((await read(project.id))!.members.map((m) => m.role)).toEqual(['Lead', 'Engineer']);

      const removed = await graphql(url, REMOVE_MEMBER, { projectId: project.id, talentId: lead }, token);
      expect(removed.data).toEqual({ removeProjectMember: { members: [{ talent: { id: dev }, role: 'Engineer' }] } });
      expect(codes(await graphql(url, REMOVE_MEMBER, { projectId: project.id, talentId: lead }, token))).toEqual(['NOT_FOUND']);
      // Removed members may join again.
      const rejoined = await graphql(url, ADD_MEMBER, { projectId: project.id, talentId: lead, role: 'Advisor' }, token);
      expect(rejoined.errors).toBeUndefined();
    });

    it('pages, filters and orders, clamping the page size', async () => {
      const companyId = randomUUID();
      const [java, rust, talentId] = [randomUUID(), randomUUID(), randomUUID()];
      await create({ companyId, name: 'Page Beta', status: 'ACTIVE', startDate: '2024-03-01', skillIds: [java] });
      await create({ companyId, name: 'Page alpha', status: 'COMPLETED', startDate: '2023-01-01', skillIds: [java, rust], members: [{ talentId, role: 'Dev' }] });
      await create({ companyId, name: 'Page Gamma', status: 'PLANNED' });
      await create({ companyId, name: 'Page 100%', status: 'CANCELLED', startDate: '2025-01-01', members: [{ talentId, role: 'Lead' }] });
      // Anonymous, as projects are public; only the talent filter needs talent:read.
      const list = (variables: Record<string, unknown>, caller?: string) =>
        graphql<ListView>(url, LIST, { ...variables, filter: { companyId, ...(variables.filter as object) } }, caller);

      const first = await list({ first: 2 });
      expect(first.data!.projects.totalCount).toBe(4);
      expect(names(first)).toEqual(['Page 100%', 'Page alpha']);
      expect(first.data!.projects.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      const next = await list({ first: 2, after: first.data!.projects.pageInfo.endCursor });
      expect(names(next)).toEqual(['Page Beta', 'Page Gamma']);
      expect(next.data!.projects.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
      const past = await list({ first: 2, after: next.data!.projects.pageInfo.endCursor });
      expect(past.data!.projects).toMatchObject({ totalCount: 4, edges: [] });
      // An empty page still counts the matches: `first: 0` asks for the total alone.
      const countOnly = await list({ first: 0 });
      expect(countOnly.data!.projects).toMatchObject({ totalCount: 4, edges: [], pageInfo: { hasNextPage: true } });

      expect(names(await list({ order: { field: 'NAME', direction: 'DESC' }, first: 1_000_000_000 }))).toEqual(['Page Gamma', 'Page Beta', 'Page alpha', 'Page 100%']);
      expect(names(await list({ order: { field: 'START_DATE' } }))).toEqual(['Page alpha', 'Page Beta', 'Page 100%', 'Page Gamma']);
      expect(names(await list({ order: { field: 'START_DATE', direction: 'DESC' } }))).toEqual(['Page 100%', 'Page Beta', 'Page alpha', 'Page Gamma']);
      expect(names(await list({ order: { field: 'CREATED_AT' } }))).toEqual(['Page Beta', 'Page alpha', 'Page Gamma', 'Page 100%']);

      expect(names(await list({ filter: { status: ['ACTIVE', 'COMPLETED'] } }))).toEqual(['Page alpha', 'Page Beta']);
      expect(names(await list({ filter: { skillId: java } }))).toEqual(['Page alpha', 'Page Beta']);
      expect(names(await list({ filter: { skillId: rust.toUpperCase() } }))).toEqual(['Page alpha']);
      expect(names(await list({ filter: { talentId } }, token))).toEqual(['Page 100%', 'Page alpha']);
      expect(names(await list({ filter: { nameContains: 'ALPHA' } }))).toEqual(['Page alpha']);
      // LIKE wildcards in the search text are literal.
      expect(names(await list({ filter: { nameContains: '0%' } }))).toEqual(['Page 100%']);
      expect(names(await list({ filter: { nameContains: 'page_' } }))).toEqual([]);
      expect(names(await list({ filter: { talentId, status: ['CANCELLED'], nameContains: 'page' } }, token))).toEqual(['Page 100%']);

      expect(codes(await list({ first: -1 }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await list({ after: 'garbage' }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await list({ filter: { skillId: 'java' } }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await list({ filter: { talentId: 'bob' } }, token))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, LIST, { filter: { companyId: 'acme' } }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await list({ filter: { status: ['DONE'] } }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await list({ filter: { nameContains: 'x'.repeat(201) } }))).toEqual(['BAD_USER_INPUT']);
    });

    it('clamps pages to 100 projects', async () => {
      const companyId = randomUUID();
      await running.stores.projects.createMany(Array.from({ length: 105 }, (_, i) => newProject({ companyId, name: `Clamp ${String(i).padStart(3, '0')}` })));
      const page = await graphql<ListView>(url, LIST, { filter: { companyId }, first: 1000 });
      expect(page.data!.projects.totalCount).toBe(105);
      expect(page.data!.projects.edges).toHaveLength(100);
      expect(page.data!.projects.pageInfo.hasNextPage).toBe(true);
      const rest = await graphql<ListView>(url, LIST, { filter: { companyId }, first: 1000, after: page.data!.projects.pageInfo.endCursor });
      expect(names(rest)).toEqual(['Clamp 100', 'Clamp 101', 'Clamp 102', 'Clamp 103', 'Clamp 104']);
    });

    it('resolves Project entities with their teams in a constant number of statements', async () => {
      const batch = Array.from({ length: 20 }, (_, i) =>
        newProject({
          name: `Entity ${i}`,
          companyId: i % 2 ? randomUUID() : null,
          skillIds: [randomUUID()],
          members: [
            { talentId: randomUUID(), role: 'Lead' },
            { talentId: randomUUID(), role: `Member ${i}` },
          ],
        }),
      );
      await running.stores.projects.createMany(batch);
      const query = `query($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on Project { id name company { id } skills { id } members { talent { id } role } }
      } }`;
      const entities = async (ids: string[]) => {
        const queriesBefore = running.db.stats.queries;
        const result = await graphql<{ _entities: ({ id: string; name: string; members: { role: string }[] } | null)[] }>(
          url,
          query,
          { representations: ids.map((id) => ({ __typename: 'Project', id })) },
          token,
        );
        expect(result.errors).toBeUndefined();
        return { entities: result.data!._entities, statements: running.db.stats.queries - queriesBefore };
      };

      const one = await entities([batch[0]!.id]);
      const many = await entities([...batch.map((p) => p.id), randomUUID(), 'not-an-id', batch[3]!.id.toUpperCase()]);
      expect(many.statements).toBe(one.statements);
      expect(many.statements).toBe(2);
      expect(many.entities.slice(0, 20).map((p) => p!.name)).toEqual(batch.map((p) => p.name));
      expect(many.entities[5]).toMatchObject({
        company: { id: batch[5]!.companyId },
        skills: [{ id: batch[5]!.skillIds[0] }],
        members: [
          { talent: { id: batch[5]!.members[0]!.talentId }, role: 'Lead' },
          { talent: { id: batch[5]!.members[1]!.talentId }, role: 'Member 5' },
        ],
      });
      expect(many.entities.slice(20)).toEqual([null, null, expect.objectContaining({ name: 'Entity 3' })]);
    });

    it('answers null, not an error, for representations whose id is not a string', async () => {
      const [project] = await running.stores.projects.list({}, { field: 'NAME', direction: 'ASC' }, { limit: 1, offset: 0 }).then((page) => page.rows);
      const odd = [42, [project!.id], { id: project!.id }];
      const result = await graphql<{ _entities: unknown[] }>(
        url,
        `query($representations: [_Any!]!) { _entities(representations: $representations) {
          ... on Project { id name } ... on Talent { id projects { id } } ... on Company { id page: projects { totalCount } }
        } }`,
        { representations: ['Project', 'Talent', 'Company'].flatMap((__typename) => odd.map((id) => ({ __typename, id }))) },
        token,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!._entities).toEqual(Array(9).fill(null));
    });

    it('resolves Talent.projects for many talents in one statement', async () => {
      const talents = Array.from({ length: 20 }, () => randomUUID());
      // Project i has talents i and i+1, so every talent but the first and last is on two projects.
      const batch = Array.from({ length: 19 }, (_, i) =>
        newProject({
          name: `Talent project ${String(i).padStart(2, '0')}`,
          startDate: `2020-01-${String(i + 1).padStart(2, '0')}`,
          members: [
            { talentId: talents[i]!, role: 'Lead' },
            { talentId: talents[i + 1]!, role: 'Dev' },
          ],
        }),
      );
      await running.stores.projects.createMany(batch);
      const query = `query($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on Talent { id projects { name } }
      } }`;
      const lonely = randomUUID();
      const queriesBefore = running.db.stats.queries;
      const result = await graphql<{ _entities: { id: string; projects: { name: string }[] }[] }>(url, query, {
        representations: [...talents, lonely, 'bad-id'].map((id) => ({ __typename: 'Talent', id })),
      }, token);
      expect(result.errors).toBeUndefined();
      expect(running.db.stats.queries - queriesBefore).toBe(1);
      const projectsOf = result.data!._entities.map((talent) => talent.projects.map((p) => p.name));
      expect(projectsOf[0]).toEqual(['Talent project 00']);
      // Latest start first.
      expect(projectsOf[7]).toEqual(['Talent project 07', 'Talent project 06']);
      expect(projectsOf[19]).toEqual(['Talent project 18']);
      expect(projectsOf.slice(20)).toEqual([[], []]);
      expect(result.data!._entities[20]!.id).toBe(lonely);

      const withTeams = `query($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on Talent { projects { members { role } } }
      } }`;
      const teamsBefore = running.db.stats.queries;
      const teams = await graphql(url, withTeams, { representations: talents.map((id) => ({ __typename: 'Talent', id })) }, token);
      expect(teams.errors).toBeUndefined();
      expect(running.db.stats.queries - teamsBefore).toBe(2);
    });

    it('resolves Company.projects pages for many companies in one statement', async () => {
      const companies = Array.from({ length: 20 }, () => randomUUID());
      // Company i has (i % 4) + 1 projects; the last of each is CANCELLED.
      await running.stores.projects.createMany(
        companies.flatMap((companyId, i) =>
          Array.from({ length: (i % 4) + 1 }, (_, k) =>
            newProject({ companyId, name: `Company ${i} project ${k}`, status: k === i % 4 && k > 0 ? 'CANCELLED' : 'ACTIVE' }),
          ),
        ),
      );
      const query = `query($representations: [_Any!]!, $after: String, $filter: ProjectFilter) { _entities(representations: $representations) {
        ... on Company { id projects(first: 2, after: $after, filter: $filter, orderBy: { field: NAME, direction: DESC }) {
          totalCount edges { node { name } } pageInfo { hasNextPage hasPreviousPage }
        } }
      } }`;
      type CompanyView = { id: string; projects: { totalCount: number; edges: { node: { name: string } }[]; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean } } };
      const page = async (variables: Record<string, unknown>, ids: string[] = companies) => {
        const queriesBefore = running.db.stats.queries;
        const result = await graphql<{ _entities: CompanyView[] }>(url, query, { ...variables, representations: ids.map((id) => ({ __typename: 'Company', id })) });
        expect(result.errors).toBeUndefined();
        return { companies: result.data!._entities, statements: running.db.stats.queries - queriesBefore };
      };
      const projectNames = (company: CompanyView) => company.projects.edges.map((edge) => edge.node.name);

      const firstPages = await page({}, [...companies, randomUUID(), 'bad-id']);
      expect(firstPages.statements).toBe(1);
      expect(firstPages.companies[0]!.projects).toEqual({ totalCount: 1, edges: [{ node: { name: 'Company 0 project 0' } }], pageInfo: { hasNextPage: false, hasPreviousPage: false } });
      expect(firstPages.companies[3]!.projects.totalCount).toBe(4);
      expect(projectNames(firstPages.companies[3]!)).toEqual(['Company 3 project 3', 'Company 3 project 2']);
      expect(firstPages.companies[3]!.projects.pageInfo.hasNextPage).toBe(true);
      expect(firstPages.companies.slice(20).map((c) => c.projects.totalCount)).toEqual([0, 0]);

      // Second pages: companies with fewer than three projects have none, but still know their totals.
      const secondPages = await page({ after: Buffer.from('offset:1').toString('base64url') });
      expect(secondPages.statements).toBe(1);
      expect(secondPages.companies.map((c) => c.projects.totalCount)).toEqual(firstPages.companies.slice(0, 20).map((c) => c.projects.totalCount));
      expect(secondPages.companies[0]!.projects).toMatchObject({ totalCount: 1, edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: true } });
      expect(projectNames(secondPages.companies[2]!)).toEqual(['Company 2 project 0']);
      expect(projectNames(secondPages.companies[3]!)).toEqual(['Company 3 project 1', 'Company 3 project 0']);

      const active = await page({ filter: { status: ['ACTIVE'] } });
      expect(active.statements).toBe(1);
      expect(active.companies.map((c) => c.projects.totalCount)).toEqual(companies.map((_, i) => (i % 4 === 0 ? 1 : i % 4)));

      const invalid = await graphql(url, query, { representations: [{ __typename: 'Company', id: companies[0] }], filter: { talentId: 'x' } }, token);
      expect(codes(invalid)).toEqual(['BAD_USER_INPUT']);
    });

    it('loads the demo dataset in one transaction, and none of it when a row is bad', async () => {
      const talents = Array.from({ length: 12 }, () => randomUUID());
      const dataset: DemoDataset = {
        users: [], skills: [], companies: [], talents: [], resumes: [], jobs: [], applications: [], acquaintances: [],
        projects: Array.from({ length: 40 }, (_, i) => ({
          id: randomUUID(),
          name: `Demo project ${i}`,
          description: `About ${i}`,
          companyId: i % 5 ? randomUUID() : null,
          members: talents.slice(i % 6, (i % 6) + 2 + (i % 5)).map((talentId, k) => ({ talentId, role: k === 0 ? 'Lead' : 'Engineer' })),
          skillIds: [randomUUID(), randomUUID()],
        })),
      };
      const before = await counts();
      const eventsBefore = (await outbox()).length;
      const queriesBefore = running.db.stats.queries;
      await loadDemo(running.stores, dataset);
      expect(running.db.stats.queries - queriesBefore).toBe(2);
      // A reindex rebuilds what derives from the demo data, so loading it records no events.
      expect((await outbox()).length).toBe(eventsBefore);
      const memberCount = dataset.projects.reduce((sum, p) => sum + p.members.length, 0);
      expect(await counts()).toEqual({ projects: before.projects + dataset.projects.length, members: before.members + memberCount });

      const sample = dataset.projects[7]!;
      expect(await read(sample.id)).toMatchObject({
        name: sample.name,
        status: 'ACTIVE',
        company: sample.companyId ? { id: sample.companyId } : null,
        skills: sample.skillIds.map((id) => ({ id })),
        members: sample.members.map((m) => ({ talent: { id: m.talentId }, role: m.role })),
      });

      // A duplicate member makes the second insert fail; the projects inserted before it roll back.
      const talentId = randomUUID();
      const broken = [newProject(), newProject({ members: [{ talentId, role: 'A' }, { talentId, role: 'B' }] })];
      const afterDemo = await counts();
      await expect(running.stores.projects.createMany(broken)).rejects.toThrow();
      expect(await counts()).toEqual(afterDemo);
      expect(await read(broken[0]!.id)).toBeNull();
    });
  });
}
