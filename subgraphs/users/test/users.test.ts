import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Role } from '../../../platform/auth/index.ts';
import { asGateway } from './as-gateway.ts';
import { codes, graphql } from '../../../test/support/client.ts';
import { backends } from '../../../test/support/databases.ts';
import { contractSuite } from '../../../test/support/contract.ts';
import { startTestSubgraph, tokenFor } from '../../../test/support/services.ts';
import type { DemoDataset } from '../../../demo/types.ts';
import { loadDemo } from '../demo.ts';
import { users, type Stores } from '../index.ts';
import { hashPassword } from '../password.ts';
import type { User, UserStatus } from '../store.ts';

const PASSWORD = 'correct horse battery';
const REGISTER = `mutation($input: RegisterInput!) { register(input: $input) { token expiresAt user { id email name role status lastLoginAt } } }`;
const LOGIN = `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token expiresAt user { id email role lastLoginAt } } }`;
const SET_ROLE = `mutation($id: ID!, $role: Role!) { setUserRole(id: $id, role: $role) { id role } }`;
const SET_STATUS = `mutation($id: ID!, $status: UserStatus!) { setUserStatus(id: $id, status: $status) { id status } }`;
const DELETE = `mutation($id: ID!) { deleteUser(id: $id) }`;
const UPDATE = `mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id name email } }`;
const CHANGE_PASSWORD = `mutation($current: String!, $next: String!) { changePassword(currentPassword: $current, newPassword: $next) }`;
const UNKNOWN_ID = '00000000-0000-4000-8000-00000000abcd';

interface LoginData {
  login: { token: string; expiresAt: string; user: { id: string; email: string; role: string; lastLoginAt: string | null } };
}

for (const { backend, target } of await backends()) {
  contractSuite('users subgraph', target, () => {
    let running: Awaited<ReturnType<typeof startTestSubgraph<Stores>>>;
    let url: string;
    let passwordHash: string;
    let sequence = 0;

    /** A user straight in the store (hashing once for all of them keeps the suite fast). */
    async function createUser(role: Role = 'user', status: UserStatus = 'active', name?: string): Promise<User> {
      sequence++;
      return running.stores.users.create({ email: `person${sequence}@example.com`, name: name ?? `Person ${sequence}`, role, status, passwordHash });
    }
    const tokenAs = (user: User) => tokenFor(user.role, user.id);
    const roleOf = async (userId: string) => (await running.stores.users.getMany([userId]))[0]?.role;

    beforeAll(async () => {
      running = await startTestSubgraph(users, backend);
      url = running.url;
      passwordHash = await hashPassword(PASSWORD);
    });
    afterAll(() => running?.stop());

    it('registers, signs in and answers `me` for the signed-in user', async () => {
      const registered = await graphql<{ register: { token: string; user: { id: string } } }>(url, REGISTER, {
        input: { email: '  Ada.Lovelace@Example.COM ', password: 'analytical engine', name: ' Ada Lovelace ' },
      });
      expect(registered.errors).toBeUndefined();
      expect(registered.data!.register.token).toEqual(expect.any(String));
      expect(registered.data!.register.user).toMatchObject({
        email: 'ada.lovelace@example.com',
        name: 'Ada Lovelace',
        role: 'USER',
        status: 'ACTIVE',
        lastLoginAt: null,
      });
      const userId = registered.data!.register.user.id;

      const before = Date.now();
      const login = await graphql<LoginData>(url, LOGIN, { email: 'ADA.lovelace@example.com', password: 'analytical engine' });
      expect(login.errors).toBeUndefined();
      expect(login.data!.login.user).toMatchObject({ id: userId, email: 'ada.lovelace@example.com', role: 'USER' });
      expect(Date.parse(login.data!.login.user.lastLoginAt!)).toBeGreaterThanOrEqual(before - 5_000);
      expect(Date.parse(login.data!.login.expiresAt)).toBeGreaterThan(Date.now());

      const me = await graphql(url, `{ me { id email name role status lastLoginAt } }`, {}, await asGateway(running.stores, login.data!.login.token));
      expect(me.data).toEqual({
        me: { id: userId, email: 'ada.lovelace@example.com', name: 'Ada Lovelace', role: 'USER', status: 'ACTIVE', lastLoginAt: login.data!.login.user.lastLoginAt },
      });
      expect((await graphql(url, `{ me { id } }`)).data).toEqual({ me: null });
      // The register token works too.
      expect((await graphql(url, `{ me { id } }`, {}, await asGateway(running.stores, registered.data!.register.token))).data).toEqual({ me: { id: userId } });
    });

    it('never exposes a password or hash in the schema', async () => {
      const result = await graphql<{ __type: { fields: { name: string }[] } }>(url, `{ __type(name: "User") { fields { name } } }`);
      const fields = result.data!.__type.fields.map((field) => field.name);
      expect(fields).toEqual(['id', 'email', 'name', 'role', 'status', 'createdAt', 'updatedAt', 'lastLoginAt']);
    });

    it('rejects a duplicate email in any case, a bad email, a bad password or name, and adds no row', async () => {
      const input = { email: 'grace@example.com', password: 'cobol rules', name: 'Grace Hopper' };
      expect((await graphql(url, REGISTER, { input })).errors).toBeUndefined();
      const before = await running.stores.users.count();

      const duplicate = await graphql(url, REGISTER, { input: { ...input, email: 'GRACE@Example.com' } });
      expect(codes(duplicate)).toEqual(['CONFLICT']);
      const badEmail = await graphql(url, REGISTER, { input: { ...input, email: 'not-an-email' } });
      expect(codes(badEmail)).toEqual(['BAD_USER_INPUT']);
      expect(badEmail.errors![0]!.extensions!.field).toBe('email');
      const short = await graphql(url, REGISTER, { input: { ...input, email: 'short@example.com', password: '1234567' } });
      expect(codes(short)).toEqual(['BAD_USER_INPUT']);
      expect(short.errors![0]!.extensions!.field).toBe('password');
      expect(codes(await graphql(url, REGISTER, { input: { ...input, email: 'long@example.com', password: 'x'.repeat(201) } }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, REGISTER, { input: { ...input, email: 'noname@example.com', name: '   ' } }))).toEqual(['BAD_USER_INPUT']);

      expect(await running.stores.users.count()).toBe(before);
    });

    it('refuses a wrong password and an unknown email with the same message, and inactive accounts', async () => {
      const user = await createUser();
      const wrongPassword = await graphql(url, LOGIN, { email: user.email, password: 'not the password' });
      const unknownEmail = await graphql(url, LOGIN, { email: 'nobody@example.com', password: PASSWORD });
      expect(codes(wrongPassword)).toEqual(['UNAUTHENTICATED']);
      expect(codes(unknownEmail)).toEqual(['UNAUTHENTICATED']);
      expect(wrongPassword.errors![0]!.message).toBe(unknownEmail.errors![0]!.message);
      expect(codes(await graphql(url, LOGIN, { email: 'not an email', password: PASSWORD }))).toEqual(['UNAUTHENTICATED']);
      expect((await running.stores.users.getMany([user.id]))[0]!.lastLoginAt).toBeNull();

      for (const status of ['suspended', 'inactive', 'pending'] as const) {
        const blocked = await createUser('user', status);
        const attempt = await graphql(url, LOGIN, { email: blocked.email, password: PASSWORD });
        expect(codes(attempt)).toEqual(['UNAUTHENTICATED']);
        expect(attempt.errors![0]!.message).toMatch(/not active/);
        expect((await running.stores.users.getMany([blocked.id]))[0]!.lastLoginAt).toBeNull();
        // A wrong password on a blocked account does not reveal its status.
        const wrong = await graphql(url, LOGIN, { email: blocked.email, password: 'not the password' });
        expect(wrong.errors![0]!.message).toBe(unknownEmail.errors![0]!.message);
      }
    });

    it('lets a user update themself, an admin update other users, and nobody else', async () => {
      const user = await createUser();
      const other = await createUser();
      const admin = await createUser('admin');

      const self = await graphql(url, UPDATE, { id: user.id, input: { name: 'New Name', email: 'New.Address@Example.com' } }, await tokenAs(user));
      expect(self.data).toEqual({ updateUser: { id: user.id, name: 'New Name', email: 'new.address@example.com' } });
      const byAdmin = await graphql(url, UPDATE, { id: user.id, input: { name: 'Admin Named' } }, await tokenAs(admin));
      expect(byAdmin.data).toEqual({ updateUser: { id: user.id, name: 'Admin Named', email: 'new.address@example.com' } });

      expect(codes(await graphql(url, UPDATE, { id: user.id, input: { name: 'Hijacked' } }, await tokenAs(other)))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(url, UPDATE, { id: user.id, input: { name: 'Hijacked' } }))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await graphql(url, UPDATE, { id: user.id, input: { email: other.email.toUpperCase() } }, await tokenAs(user)))).toEqual(['CONFLICT']);
      expect(codes(await graphql(url, UPDATE, { id: user.id, input: { email: 'nope' } }, await tokenAs(user)))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, UPDATE, { id: user.id, input: { name: ' ' } }, await tokenAs(user)))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, UPDATE, { id: 'not-an-id', input: { name: 'X' } }, await tokenAs(admin)))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, UPDATE, { id: UNKNOWN_ID, input: { name: 'X' } }, await tokenAs(admin)))).toEqual(['NOT_FOUND']);

      const [after] = await running.stores.users.getMany([user.id]);
      expect(after).toMatchObject({ name: 'Admin Named', email: 'new.address@example.com' });
    });

    it('changes the password only when the current one is right', async () => {
      const user = await createUser();
      const token = await tokenAs(user);
      const wrong = await graphql(url, CHANGE_PASSWORD, { current: 'not the password', next: 'a brand new secret' }, token);
      expect(codes(wrong)).toEqual(['BAD_USER_INPUT']);
      expect(wrong.errors![0]!.extensions!.field).toBe('currentPassword');
      const short = await graphql(url, CHANGE_PASSWORD, { current: PASSWORD, next: 'short' }, token);
      expect(short.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });
      expect(codes(await graphql(url, CHANGE_PASSWORD, { current: PASSWORD, next: 'a brand new secret' }))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await graphql(url, CHANGE_PASSWORD, { current: PASSWORD, next: 'a brand new secret' }, await tokenFor('user', UNKNOWN_ID)))).toEqual(['UNAUTHENTICATED']);
      // Nothing changed yet: the old password still signs in.
      expect((await graphql(url, LOGIN, { email: user.email, password: PASSWORD })).errors).toBeUndefined();

      expect((await graphql(url, CHANGE_PASSWORD, { current: PASSWORD, next: 'a brand new secret' }, token)).data).toEqual({ changePassword: true });
      expect(codes(await graphql(url, LOGIN, { email: user.email, password: PASSWORD }))).toEqual(['UNAUTHENTICATED']);
      expect((await graphql(url, LOGIN, { email: user.email, password: 'a brand new secret' })).errors).toBeUndefined();
    });

    it('lets only admins change roles, never their own, and only super admins grant or revoke admin', async () => {
      const user = await createUser();
      const target = await createUser();
      const admin = await createUser('admin');
      const otherAdmin = await createUser('admin');
      const superAdmin = await createUser('super_admin');

      expect(codes(await graphql(url, SET_ROLE, { id: target.id, role: 'DATA_ADMIN' }, await tokenAs(user)))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(url, SET_ROLE, { id: target.id, role: 'DATA_ADMIN' }, await tokenFor('data_admin')))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(url, SET_ROLE, { id: target.id, role: 'DATA_ADMIN' }))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await graphql(url, SET_ROLE, { id: admin.id, role: 'SUPER_ADMIN' }, await tokenAs(admin)))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(url, SET_ROLE, { id: target.id, role: 'ADMIN' }, await tokenAs(admin)))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(url, SET_ROLE, { id: otherAdmin.id, role: 'USER' }, await tokenAs(admin)))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(url, SET_ROLE, { id: superAdmin.id, role: 'SUPER_ADMIN' }, await tokenAs(superAdmin)))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(url, SET_ROLE, { id: 'nope', role: 'USER' }, await tokenAs(admin)))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, SET_ROLE, { id: UNKNOWN_ID, role: 'USER' }, await tokenAs(admin)))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(url, SET_ROLE, { id: target.id, role: 'OWNER' }, await tokenAs(admin)))).toEqual(['BAD_USER_INPUT']);
      expect([await roleOf(target.id), await roleOf(admin.id), await roleOf(otherAdmin.id), await roleOf(superAdmin.id)]).toEqual([
        'user',
        'admin',
        'admin',
        'super_admin',
      ]);

      expect((await graphql(url, SET_ROLE, { id: target.id, role: 'DATA_ADMIN' }, await tokenAs(admin))).data).toEqual({
        setUserRole: { id: target.id, role: 'DATA_ADMIN' },
      });
      expect((await graphql(url, SET_ROLE, { id: target.id, role: 'ADMIN' }, await tokenAs(superAdmin))).data).toEqual({
        setUserRole: { id: target.id, role: 'ADMIN' },
      });
      expect((await graphql(url, SET_ROLE, { id: otherAdmin.id, role: 'GUEST' }, await tokenAs(superAdmin))).data).toEqual({
        setUserRole: { id: otherAdmin.id, role: 'GUEST' },
      });
      expect(await roleOf(target.id)).toBe('admin');
      // The stored role is what the next token carries.
      const login = await graphql<LoginData>(url, LOGIN, { email: target.email, password: PASSWORD });
      expect(login.data!.login.user.role).toBe('ADMIN');
    });

    it('lets admins suspend users, which stops them signing in', async () => {
      const user = await createUser();
      const admin = await createUser('admin');
      const otherAdmin = await createUser('admin');
      const superAdmin = await createUser('super_admin');

      expect(codes(await graphql(url, SET_STATUS, { id: user.id, status: 'SUSPENDED' }, await tokenAs(user)))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(url, SET_STATUS, { id: admin.id, status: 'INACTIVE' }, await tokenAs(admin)))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(url, SET_STATUS, { id: otherAdmin.id, status: 'SUSPENDED' }, await tokenAs(admin)))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(url, SET_STATUS, { id: UNKNOWN_ID, status: 'SUSPENDED' }, await tokenAs(admin)))).toEqual(['NOT_FOUND']);
      expect((await running.stores.users.getMany([otherAdmin.id]))[0]!.status).toBe('active');

      expect((await graphql(url, SET_STATUS, { id: user.id, status: 'SUSPENDED' }, await tokenAs(admin))).data).toEqual({
        setUserStatus: { id: user.id, status: 'SUSPENDED' },
      });
      expect((await graphql(url, LOGIN, { email: user.email, password: PASSWORD })).errors![0]!.message).toMatch(/not active/);
      await graphql(url, SET_STATUS, { id: user.id, status: 'ACTIVE' }, await tokenAs(admin));
      expect((await graphql(url, LOGIN, { email: user.email, password: PASSWORD })).errors).toBeUndefined();
      expect((await graphql(url, SET_STATUS, { id: otherAdmin.id, status: 'INACTIVE' }, await tokenAs(superAdmin))).data).toEqual({
        setUserStatus: { id: otherAdmin.id, status: 'INACTIVE' },
      });
    });

    it('lets admins delete other users but not themselves', async () => {
      const user = await createUser();
      const admin = await createUser('admin');
      const superAdmin = await createUser('super_admin');
      const before = await running.stores.users.count();

      expect(codes(await graphql(url, DELETE, { id: user.id }, await tokenAs(await createUser())))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(url, DELETE, { id: user.id }, await tokenFor('data_admin')))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(url, DELETE, { id: user.id }))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await graphql(url, DELETE, { id: admin.id }, await tokenAs(admin)))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(url, DELETE, { id: superAdmin.id }, await tokenAs(superAdmin)))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(url, DELETE, { id: superAdmin.id }, await tokenAs(admin)))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(url, DELETE, { id: 'nope' }, await tokenAs(admin)))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, DELETE, { id: UNKNOWN_ID }, await tokenAs(admin)))).toEqual(['NOT_FOUND']);
      expect(await running.stores.users.count()).toBe(before + 1); // only the plain user made above

      expect((await graphql(url, DELETE, { id: user.id }, await tokenAs(admin))).data).toEqual({ deleteUser: user.id });
      expect((await graphql(url, `query($id: ID!) { user(id: $id) { id } }`, { id: user.id }, await tokenAs(admin))).data).toEqual({ user: null });
      expect((await graphql(url, DELETE, { id: admin.id }, await tokenAs(superAdmin))).data).toEqual({ deleteUser: admin.id });
    });

    it('reads one user by id for signed-in callers, null for unknown or malformed ids', async () => {
      const user = await createUser('data_admin', 'pending');
      const admin = await tokenFor('admin');
      const query = `query($id: ID!) { user(id: $id) { id email role status createdAt updatedAt } }`;
      expect(await graphql(url, query, { id: user.id.toUpperCase() }, admin)).toEqual({
        data: {
          user: { id: user.id, email: user.email, role: 'DATA_ADMIN', status: 'PENDING', createdAt: user.createdAt.toISOString(), updatedAt: user.updatedAt.toISOString() },
        },
      });
      expect(await graphql(url, query, { id: UNKNOWN_ID }, admin)).toEqual({ data: { user: null } });
      expect(await graphql(url, query, { id: 'garbage' }, admin)).toEqual({ data: { user: null } });
      const anonymous = await graphql(url, query, { id: user.id });
      expect(codes(anonymous)).toEqual(['UNAUTHENTICATED']);
      expect(anonymous.data).toEqual({ user: null });
    });

    it('lists users for holders of user:read: filters, orders, pages and clamps the page size', async () => {
      // An admin also holds user:read:email, so the emails below are visible.
      const viewer = await tokenFor('admin');
      const created = [
        await createUser('user', 'active', 'Listing Charlie'),
        await createUser('admin', 'active', 'listing alice'),
        await createUser('user', 'suspended', 'Listing Bob'),
        await createUser('guest', 'pending', 'Listing Dana'),
      ];
      const query = `query($filter: UserFilter, $order: UserOrder, $first: Int, $after: String) {
        users(filter: $filter, orderBy: $order, first: $first, after: $after) {
          totalCount edges { cursor node { name email role status } } pageInfo { hasNextPage hasPreviousPage endCursor }
        }
      }`;
      type Data = {
        users: { totalCount: number; edges: { node: { name: string; email: string } }[]; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string } };
      };
      const names = (result: { data?: Data | null }) => result.data!.users.edges.map((edge) => edge.node.name);

      expect(codes(await graphql(url, query, { filter: { search: 'listing' } }))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await graphql(url, query, { filter: { search: 'listing' } }, await tokenFor('user')))).toEqual(['FORBIDDEN']);

      const first = await graphql<Data>(url, query, { filter: { search: 'LISTING' }, first: 2 }, viewer);
      expect(first.data!.users.totalCount).toBe(4);
      expect(names(first)).toEqual(['listing alice', 'Listing Bob']);
      expect(first.data!.users.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      const next = await graphql<Data>(url, query, { filter: { search: 'listing' }, first: 2, after: first.data!.users.pageInfo.endCursor }, viewer);
      expect(names(next)).toEqual(['Listing Charlie', 'Listing Dana']);
      expect(next.data!.users.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

      const byRole = await graphql<Data>(url, query, { filter: { search: 'listing', role: ['ADMIN', 'GUEST'] } }, viewer);
      expect(names(byRole)).toEqual(['listing alice', 'Listing Dana']);
      const byStatus = await graphql<Data>(url, query, { filter: { search: 'listing', status: ['SUSPENDED', 'PENDING'] } }, viewer);
      expect(names(byStatus)).toEqual(['Listing Bob', 'Listing Dana']);
      const byEmail = await graphql<Data>(url, query, { filter: { search: created[2]!.email.toUpperCase() } }, viewer);
      expect(names(byEmail)).toEqual(['Listing Bob']);
      // `%` and `_` are literal characters in a search, not wildcards.
      expect((await graphql<Data>(url, query, { filter: { search: 'listing%' } }, viewer)).data!.users.totalCount).toBe(0);

      const byEmailDesc = await graphql<Data>(url, query, { filter: { search: 'listing' }, order: { field: 'EMAIL', direction: 'DESC' } }, viewer);
      expect(byEmailDesc.data!.users.edges.map((edge) => edge.node.email)).toEqual(created.map((user) => user.email).sort().reverse());
      // Rows made in one millisecond can share a timestamp, so give them distinct ones in creation order.
      for (const [index, user] of created.entries()) {
        await running.db.query(`update users set created_at = $2 where id = $1`, [user.id, new Date(Date.UTC(2020, 0, index + 1))]);
      }
      const newest = await graphql<Data>(url, query, { filter: { search: 'listing' }, order: { field: 'CREATED_AT', direction: 'DESC' } }, viewer);
      expect(names(newest)).toEqual(created.map((user) => user.name).reverse());

      for (let i = 0; i < 101; i++) await createUser('user', 'active', `Clamp ${String(i).padStart(3, '0')}`);
      const clamped = await graphql<Data>(url, query, { filter: { search: 'clamp' }, first: 1_000_000_000 }, viewer);
      expect(clamped.data!.users.totalCount).toBe(101);
      expect(clamped.data!.users.edges).toHaveLength(100);
      expect(clamped.data!.users.pageInfo.hasNextPage).toBe(true);
      expect(codes(await graphql(url, query, { first: -1 }, viewer))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, query, { after: 'garbage' }, viewer))).toEqual(['BAD_USER_INPUT']);
    });

    it('loads demo users with their ids, hashing their passwords', async () => {
      const dataset: DemoDataset = {
        users: [
          { id: '10000000-0000-4000-8000-000000000001', email: 'Demo.Admin@Looma.dev', name: 'Demo Admin', role: 'super_admin', password: 'looma-demo', status: 'active' },
          { id: '10000000-0000-4000-8000-000000000002', email: 'demo.away@looma.dev', name: 'Demo Away', role: 'user', password: 'looma-demo', status: 'inactive' },
        ],
        skills: [], companies: [], talents: [], resumes: [], jobs: [], applications: [], projects: [], acquaintances: [],
      };
      await loadDemo(running.stores, dataset);
      const login = await graphql<LoginData>(url, LOGIN, { email: 'demo.admin@looma.dev', password: 'looma-demo' });
      expect(login.data!.login.user).toMatchObject({ id: dataset.users[0]!.id, email: 'demo.admin@looma.dev', role: 'SUPER_ADMIN' });
      expect((await graphql(url, LOGIN, { email: 'demo.away@looma.dev', password: 'looma-demo' })).errors![0]!.message).toMatch(/not active/);
      const stored = await running.stores.users.getPasswordHash(dataset.users[1]!.id);
      expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
    });

    it('resolves User entities in one batched query', async () => {
      const created: User[] = [];
      for (let i = 0; i < 5; i++) created.push(await createUser('user', 'active', `Entity ${i}`));
      const representations = [...created.map((user) => ({ __typename: 'User', id: user.id })), { __typename: 'User', id: UNKNOWN_ID }];
      const queriesBefore = running.db.stats.queries;
      const result = await graphql<{ _entities: ({ name: string; role: string } | null)[] }>(
        url,
        `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { name role } } }`,
        { representations },
        await tokenFor('guest'),
      );
      expect(result.data!._entities).toEqual([...created.map((user) => ({ name: user.name, role: 'USER' })), null]);
      expect(running.db.stats.queries - queriesBefore).toBe(1);
    });

    it('answers null, not an error, for User representations that are not UUIDs', async () => {
      const user = await createUser('user', 'active', 'Odd Reference');
      const representations = [{ id: 'nope' }, { id: '' }, { id: 123 }, { id: [user.id] }, {}, { id: user.id.toUpperCase() }].map((rep) => ({ __typename: 'User', ...rep }));
      const result = await graphql(
        url,
        `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { name } } }`,
        { representations },
        await tokenFor('guest'),
      );
      expect(result).toEqual({ data: { _entities: [null, null, null, null, null, { name: 'Odd Reference' }] } });
    });

    it('counts every match when a page holds no rows (`first: 0`)', async () => {
      for (const name of ['Zero One', 'Zero Two']) await createUser('user', 'active', name);
      const result = await graphql(url, `{ users(filter: { search: "zero" }, first: 0) { totalCount edges { cursor } pageInfo { hasNextPage } } }`, {}, await tokenFor('data_admin'));
      expect(result).toEqual({ data: { users: { totalCount: 2, edges: [], pageInfo: { hasNextPage: true } } } });
    });

    it('lets only a super admin update another admin or super admin', async () => {
      const admin = await createUser('admin', 'active', 'Admin Updater');
      const otherAdmin = await createUser('admin', 'active', 'Other Admin');
      const superAdmin = await createUser('super_admin', 'active', 'Super Admin');
      for (const target of [otherAdmin, superAdmin]) {
        const attempt = await graphql(url, UPDATE, { id: target.id, input: { email: 'taken.over@example.com', name: 'Taken Over' } }, await tokenAs(admin));
        expect(codes(attempt)).toEqual(['FORBIDDEN']);
        expect((await running.stores.users.getMany([target.id]))[0]).toMatchObject({ name: target.name, email: target.email });
      }
      // The locked-out super admin can still sign in with their own email.
      expect((await graphql(url, LOGIN, { email: superAdmin.email, password: PASSWORD })).errors).toBeUndefined();
      expect(codes(await graphql(url, UPDATE, { id: UNKNOWN_ID, input: { name: 'X' } }, await tokenAs(admin)))).toEqual(['NOT_FOUND']);

      expect((await graphql(url, UPDATE, { id: admin.id, input: { name: 'Admin Self' } }, await tokenAs(admin))).data).toEqual({
        updateUser: { id: admin.id, name: 'Admin Self', email: admin.email },
      });
      expect((await graphql(url, UPDATE, { id: otherAdmin.id, input: { name: 'Renamed By Super' } }, await tokenAs(superAdmin))).data).toEqual({
        updateUser: { id: otherAdmin.id, name: 'Renamed By Super', email: otherAdmin.email },
      });
    });
  });
}
