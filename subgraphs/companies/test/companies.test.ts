import { afterAll, beforeAll, expect, it } from 'vitest';
import { codes, graphql } from '../../../test/support/client.ts';
import { backends } from '../../../test/support/databases.ts';
import { contractSuite } from '../../../test/support/contract.ts';
import { signGatewayCredential } from '../../../platform/auth/index.ts';
import { checkMatrix } from '../../../test/support/auth-matrix.ts';
import { startTestSubgraph, tokenFor } from '../../../test/support/services.ts';
import { expectSnapshotMatchesLatestEvent } from '../../../test/support/snapshots.ts';
import { companies, type Stores } from '../index.ts';

const CREATE = `mutation($input: CreateCompanyInput!) { createCompany(input: $input) { id name size website location { city country } } }`;

for (const { backend, target } of await backends()) {
  contractSuite('companies subgraph', target, () => {
    let running: Awaited<ReturnType<typeof startTestSubgraph<Stores>>>;
    let url: string;
    let token: string;
    beforeAll(async () => {
      running = await startTestSubgraph(companies, backend);
      url = running.url;
      token = await tokenFor('user');
    });
    afterAll(() => running?.stop());

    it('creates, reads, updates and deletes a company', async () => {
      const created = await graphql<{ createCompany: { id: string; name: string } }>(
        url,
        CREATE,
        { input: { name: ' Acme ', size: 'MEDIUM', website: 'https://acme.example', location: { city: 'Berlin', country: 'DE' } } },
        token,
      );
      expect(created.errors).toBeUndefined();
      const id = created.data!.createCompany.id;
      expect(created.data!.createCompany).toMatchObject({ name: 'Acme', size: 'MEDIUM', location: { city: 'Berlin', country: 'DE' } });

      const updated = await graphql(url, `mutation($id: ID!) { updateCompany(id: $id, input: { industry: "Robotics" }) { name industry size } }`, { id }, token);
      expect(updated.data).toEqual({ updateCompany: { name: 'Acme', industry: 'Robotics', size: 'MEDIUM' } });

      const admin = await tokenFor('admin');
      const deleted = await graphql(url, `mutation($id: ID!) { deleteCompany(id: $id) }`, { id }, admin);
      expect(deleted.data).toEqual({ deleteCompany: id });
      const read = await graphql(url, `query($id: ID!) { company(id: $id) { id } }`, { id });
      expect(read.data).toEqual({ company: null });
    });

    it('lets each role do exactly what the permission map says', async () => {
      const unknown = '00000000-0000-4000-8000-00000000dead';
      const writers = ['super_admin', 'admin', 'data_admin', 'user'] as const;
      await checkMatrix(url, [
        { operation: 'Query.companies', query: '{ companies(first: 1) { totalCount } }', allowed: [...writers, 'guest', 'anonymous'] },
        { operation: 'Query.company', query: `{ company(id: "${unknown}") { name } }`, allowed: [...writers, 'guest', 'anonymous'] },
        { operation: 'Mutation.createCompany', query: 'mutation { createCompany(input: { name: "Matrix" }) { id } }', allowed: writers },
        { operation: 'Mutation.updateCompany', query: `mutation { updateCompany(id: "${unknown}", input: { name: "M" }) { id } }`, allowed: writers },
        { operation: 'Mutation.deleteCompany', query: `mutation { deleteCompany(id: "${unknown}") }`, allowed: ['super_admin', 'admin', 'data_admin'] },
      ]);
    });

    it('keeps Company behind read:public, _entities included', async () => {
      const created = await graphql<{ createCompany: { id: string } }>(url, CREATE, { input: { name: 'Entity Guarded' } }, token);
      const entity = `{ _entities(representations: [{ __typename: "Company", id: "${created.data!.createCompany.id}" }]) { ... on Company { name } } }`;
      // Every role holds read:public; a caller holding only other permissions (an API key, say) does not.
      const narrow = await signGatewayCredential({ userId: '00000000-0000-4000-8000-000000000002', role: 'guest', permissions: ['talent:read'] });
      const refused = await graphql(url, entity, {}, narrow);
      expect(refused.data).toEqual({ _entities: [null] });
      expect(codes(refused)).toEqual(['FORBIDDEN']);
      expect((await graphql(url, entity)).data).toEqual({ _entities: [{ name: 'Entity Guarded' }] });
      // Without the gateway's credential the subgraph does not answer at all.
      const direct = await fetch(running.service.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: entity }) });
      expect(direct.status).toBe(401);
    });

    it('records a domain event with every change, in the same transaction', async () => {
      const outbox = () => running.db.query<{ type: string; aggregate_id: string; payload: { name?: string } }>('select type, aggregate_id, payload from outbox order by position');
      const before = (await outbox()).length;
      const created = await graphql<{ createCompany: { id: string } }>(url, CREATE, { input: { name: 'Eventful' } }, token);
      const id = created.data!.createCompany.id;
      await graphql(url, `mutation($id: ID!) { updateCompany(id: $id, input: { name: "Eventful Ltd" }) { id } }`, { id }, token);
      await graphql(url, `mutation($id: ID!) { updateCompany(id: $id, input: { website: "not a url" }) { id } }`, { id }, token);
      await graphql(url, `mutation($id: ID!) { deleteCompany(id: $id) }`, { id }, await tokenFor('admin'));
      const events = (await outbox()).slice(before);
      expect(events.map((e) => [e.type, e.aggregate_id, e.payload.name])).toEqual([
        ['company.created', id, 'Eventful'],
        ['company.updated', id, 'Eventful Ltd'],
        ['company.deleted', id, undefined],
      ]);
    });

    it('serves a company in the snapshot exactly as its latest event carries it', async () => {
      const input = { name: 'Snapshotted', size: 'SMALL', website: 'https://snapshotted.example', location: { city: 'Porto', country: 'PT' } };
      const id = (await graphql<{ createCompany: { id: string } }>(url, CREATE, { input }, token)).data!.createCompany.id;
      const updated = await graphql(url, `mutation($id: ID!) { updateCompany(id: $id, input: { industry: "Logistics", description: null }) { id } }`, { id }, token);
      expect(updated.errors).toBeUndefined();
      const snapshot = await expectSnapshotMatchesLatestEvent(running, id);
      expect(snapshot.payload).toMatchObject({ name: 'Snapshotted', industry: 'Logistics', location: { city: 'Porto' } });
    });

    it('rejects invalid input and changes nothing', async () => {
      const before = await running.stores.companies.count();
      expect(codes(await graphql(url, CREATE, { input: { name: '   ' } }, token))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, CREATE, { input: { name: 'X', website: 'ftp://nope' } }, token))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, CREATE, { input: { name: 'X', size: 'HUGE' } }, token))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, CREATE, { input: {} }, token))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, CREATE, { input: { name: 'X' } }))).toEqual(['UNAUTHENTICATED']);
      expect(await running.stores.companies.count()).toBe(before);
    });

    it('pages, filters and orders, clamping the page size', async () => {
      for (const name of ['Beta', 'alpha', 'Gamma']) {
        await graphql(url, CREATE, { input: { name: `Page ${name}`, industry: 'Paging' } }, token);
      }
      const query = `query($first: Int, $after: String, $order: CompanyOrder) {
        companies(filter: { industry: "paging" }, orderBy: $order, first: $first, after: $after) {
          totalCount edges { cursor node { name } } pageInfo { hasNextPage endCursor }
        }
      }`;
      const first = await graphql<{ companies: { totalCount: number; edges: { node: { name: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(url, query, { first: 2 });
      expect(first.data!.companies.totalCount).toBe(3);
      expect(first.data!.companies.edges.map((e) => e.node.name)).toEqual(['Page alpha', 'Page Beta']);
      expect(first.data!.companies.pageInfo.hasNextPage).toBe(true);
      const next = await graphql<typeof first.data>(url, query, { first: 2, after: first.data!.companies.pageInfo.endCursor });
      expect(next.data!.companies.edges.map((e) => e.node.name)).toEqual(['Page Gamma']);
      const desc = await graphql<typeof first.data>(url, query, { first: 1_000_000_000, order: { field: 'NAME', direction: 'DESC' } });
      expect(desc.data!.companies.edges.map((e) => e.node.name)).toEqual(['Page Gamma', 'Page Beta', 'Page alpha']);
      expect(codes(await graphql(url, query, { first: -1 }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, query, { after: 'garbage' }))).toEqual(['BAD_USER_INPUT']);
    });

    it('resolves Company entities in one batched query', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const created = await graphql<{ createCompany: { id: string } }>(url, CREATE, { input: { name: `Entity ${i}` } }, token);
        ids.push(created.data!.createCompany.id);
      }
      const queriesBefore = running.db.stats.queries;
      const result = await graphql<{ _entities: { name: string }[] }>(
        url,
        `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Company { name } } }`,
        { representations: ids.map((id) => ({ __typename: 'Company', id })) },
      );
      expect(result.data!._entities.map((c) => c.name)).toEqual(ids.map((_, i) => `Entity ${i}`));
      expect(running.db.stats.queries - queriesBefore).toBe(1);
    });

    it('resolves ids in any case and answers null, not an error, for representations that are not UUIDs', async () => {
      const created = await graphql<{ createCompany: { id: string } }>(url, CREATE, { input: { name: 'Casey Corp' } }, token);
      const id = created.data!.createCompany.id;
      const read = await graphql(url, `query($id: ID!) { company(id: $id) { id name } }`, { id: id.toUpperCase() });
      expect(read).toEqual({ data: { company: { id, name: 'Casey Corp' } } });

      const representations = [{ id: 'nope' }, { id: '' }, { id: 123 }, { id: [id] }, {}, { id: id.toUpperCase() }].map((rep) => ({ __typename: 'Company', ...rep }));
      const result = await graphql(url, `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Company { name } } }`, { representations });
      expect(result).toEqual({ data: { _entities: [null, null, null, null, null, { name: 'Casey Corp' }] } });
    });

    const PAGE_QUERY = `query($filter: CompanyFilter, $first: Int) { companies(filter: $filter, first: $first) { totalCount edges { node { name } } pageInfo { hasNextPage } } }`;
    type PageData = { companies: { totalCount: number; edges: { node: { name: string } }[]; pageInfo: { hasNextPage: boolean } } };

    it('counts every match when a page holds no rows (`first: 0`)', async () => {
      for (const name of ['Zero One', 'Zero Two']) await graphql(url, CREATE, { input: { name, industry: 'Zero' } }, token);
      const empty = await graphql<PageData>(url, PAGE_QUERY, { filter: { industry: 'zero' }, first: 0 });
      expect(empty.data!.companies).toEqual({ totalCount: 2, edges: [], pageInfo: { hasNextPage: true } });
    });

    it('matches % and _ in nameContains literally', async () => {
      for (const name of ['Literal 100% Co', 'Literal 100 Co', 'Literal a_b', 'Literal axb']) {
        await graphql(url, CREATE, { input: { name, industry: 'Literal' } }, token);
      }
      const names = async (nameContains: string) =>
        (await graphql<PageData>(url, PAGE_QUERY, { filter: { industry: 'literal', nameContains } })).data!.companies.edges.map((e) => e.node.name);
      expect(await names('100%')).toEqual(['Literal 100% Co']);
      expect(await names('a_b')).toEqual(['Literal a_b']);
      expect(await names('%')).toEqual(['Literal 100% Co']);
    });

    it('lets only admins delete, and reports unknown and malformed ids on update and delete', async () => {
      const created = await graphql<{ createCompany: { id: string } }>(url, CREATE, { input: { name: 'Keep Me' } }, token);
      const id = created.data!.createCompany.id;
      const unknown = '00000000-0000-4000-8000-00000000beef';
      const remove = `mutation($id: ID!) { deleteCompany(id: $id) }`;
      const update = `mutation($id: ID!) { updateCompany(id: $id, input: { name: "Changed" }) { id } }`;
      expect(codes(await graphql(url, remove, { id }, token))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(url, remove, { id }, await tokenFor('guest')))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(url, remove, { id }))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await graphql(url, update, { id }))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await graphql(url, update, { id: unknown }, token))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(url, update, { id: 'nope' }, token))).toEqual(['BAD_USER_INPUT']);
      const admin = await tokenFor('admin');
      expect(codes(await graphql(url, remove, { id: unknown }, admin))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(url, remove, { id: 'nope' }, admin))).toEqual(['BAD_USER_INPUT']);
      expect(await running.stores.companies.getMany([id])).toMatchObject([{ name: 'Keep Me' }]);
    });
  });
}
