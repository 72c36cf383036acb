import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROLE_PERMISSIONS, ROLES, signGatewayCredential, type Role } from '../../../platform/auth/index.ts';
import { authErrors, CALLERS, checkMatrix } from '../../../test/support/auth-matrix.ts';
import { codes, graphql } from '../../../test/support/client.ts';
import { backends } from '../../../test/support/databases.ts';
import { contractSuite } from '../../../test/support/contract.ts';
import { startTestSubgraph, tokenFor } from '../../../test/support/services.ts';
import { users, type Stores } from '../index.ts';
import { hashPassword } from '../password.ts';
import type { User } from '../store.ts';

const PASSWORD = 'correct horse battery';
const UNKNOWN_ID = '00000000-0000-4000-8000-00000000dead';
const ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id name role email lastLoginAt } } }`;
const USER = `query($id: ID!) { user(id: $id) { id name role email lastLoginAt } }`;
const LOGIN = `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token user { id name email role lastLoginAt } } }`;

const USER_READERS = ['super_admin', 'admin', 'data_admin'] as const;
/** Hold user:manage and user:read:email. */
const USER_MANAGERS = ['super_admin', 'admin'] as const;

for (const { backend, target } of await backends()) {
  contractSuite('users subgraph auth', target, () => {
    let running: Awaited<ReturnType<typeof startTestSubgraph<Stores>>>;
    let url: string;
    let passwordHash: string;
    let sequence = 0;

    /** A user who has signed in once, so `lastLoginAt` is set. */
    async function createUser(role: Role = 'user'): Promise<User> {
      sequence++;
      const user = await running.stores.users.create({ email: `auth${sequence}@example.com`, name: `Auth Person ${String(sequence).padStart(3, '0')}`, role, status: 'active', passwordHash });
      return (await running.stores.users.recordLogin(user.id))!;
    }
    const visible = (user: User) => ({ id: user.id, name: user.name, role: user.role.toUpperCase(), email: user.email, lastLoginAt: user.lastLoginAt!.toISOString() });

    beforeAll(async () => {
      running = await startTestSubgraph(users, backend);
      url = running.url;
      passwordHash = await hashPassword(PASSWORD);
    });
    afterAll(() => running?.stop());

    it('lets each role do exactly what the permission map says', async () => {
      const target = await createUser();
      const usersBefore = await running.stores.users.count();
      const entity = (fields: string) => ({
        query: `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { ${fields} } } }`,
        variables: { representations: [{ __typename: 'User', id: target.id }] },
      });
      const signedIn = ROLES;
      // The callers are a user id with no account, so they are never the target themselves.
      await checkMatrix(url, [
        { operation: 'Query.me', query: '{ me { id } }', allowed: CALLERS },
        { operation: 'Query.user', query: `{ user(id: "${target.id}") { id } }`, allowed: signedIn },
        { operation: 'Query.users', query: '{ users(first: 1) { totalCount edges { node { id } } } }', allowed: USER_READERS },
        { operation: 'Query.auditEvents', query: '{ auditEvents(first: 1) { totalCount edges { node { id action } } } }', allowed: USER_MANAGERS },
        { operation: 'User.id', ...entity('id'), allowed: CALLERS },
        { operation: 'User.name', ...entity('name'), allowed: signedIn },
        { operation: 'User.role', ...entity('role'), allowed: signedIn },
        { operation: 'User.status', ...entity('status'), allowed: signedIn },
        { operation: 'User.createdAt', ...entity('createdAt'), allowed: signedIn },
        { operation: 'User.updatedAt', ...entity('updatedAt'), allowed: signedIn },
        { operation: 'User.email', ...entity('email'), allowed: USER_MANAGERS },
        { operation: 'User.lastLoginAt', ...entity('lastLoginAt'), allowed: USER_READERS },
        // A valid registration would succeed once and then conflict; a too-short password shows the door is open without adding rows.
        { operation: 'Mutation.register', query: 'mutation { register(input: { email: "matrix@example.com", password: "short", name: "M" }) { token } }', allowed: CALLERS },
        // Whoever calls, the payload is read as the user who signed in, personal data included.
        {
          operation: 'Mutation.login',
          query: LOGIN,
          variables: { email: target.email, password: PASSWORD },
          allowed: CALLERS,
        },
        { operation: 'Mutation.updateUser', query: `mutation { updateUser(id: "${target.id}", input: { name: "Matrix Target" }) { id } }`, allowed: USER_MANAGERS },
        { operation: 'Mutation.setUserRole', query: `mutation { setUserRole(id: "${target.id}", role: USER) { id } }`, allowed: USER_MANAGERS },
        { operation: 'Mutation.setUserStatus', query: `mutation { setUserStatus(id: "${target.id}", status: ACTIVE) { id } }`, allowed: USER_MANAGERS },
        { operation: 'Mutation.deleteUser', query: `mutation { deleteUser(id: "${UNKNOWN_ID}") }`, allowed: USER_MANAGERS },
        { operation: 'Query.listApiKeys', query: '{ listApiKeys { id } }', allowed: signedIn },
        { operation: 'Query.listApiKeys(ownerId)', query: `{ listApiKeys(ownerId: "${target.id}") { id } }`, allowed: USER_MANAGERS },
        // A blank name fails validation once the caller is let through, so no key is made.
        { operation: 'Mutation.createApiKey', query: 'mutation { createApiKey(input: { name: " ", role: GUEST }) { secret } }', allowed: signedIn },
        { operation: 'Mutation.revokeApiKey', query: `mutation { revokeApiKey(id: "${UNKNOWN_ID}") { id } }`, allowed: signedIn },
        { operation: 'Mutation.logout', query: 'mutation { logout }', allowed: signedIn },
        { operation: 'Mutation.logoutEverywhere', query: 'mutation { logoutEverywhere }', allowed: signedIn },
        { operation: 'Mutation.rotateSigningKey', query: 'mutation { rotateSigningKey }', allowed: ['super_admin'] },
      ]);
      expect((await running.stores.users.getMany([target.id]))[0]).toMatchObject({ name: 'Matrix Target', role: 'user', status: 'active' });
      expect(await running.stores.users.count()).toBe(usersBefore); // no registration went through
    });

    it('shows an API key, through _entities too, to its owner alone', async () => {
      const owner = await createUser();
      const ownerToken = await tokenFor('user', owner.id);
      const made = await graphql<{ createApiKey: { apiKey: { id: string } } }>(url, 'mutation { createApiKey(input: { name: "Mine", role: USER }) { apiKey { id } } }', {}, ownerToken);
      const keyId = made.data!.createApiKey.apiKey.id;
      const entity = `{ _entities(representations: [{ __typename: "ApiKey", id: "${keyId}" }]) { ... on ApiKey { id name owner { id } } } }`;
      expect((await graphql(url, entity, {}, ownerToken)).data).toEqual({ _entities: [{ id: keyId, name: 'Mine', owner: { id: owner.id } }] });
      for (const stranger of [await tokenFor('admin'), await tokenFor('user'), undefined]) {
        expect((await graphql(url, entity, {}, stranger)).data).toEqual({ _entities: [null] });
      }
      expect((await graphql(url, '{ listApiKeys { id } }', {}, await tokenFor('user'))).data).toEqual({ listApiKeys: [] });
      expect((await graphql(url, `{ listApiKeys(ownerId: "${owner.id}") { id } }`, {}, await tokenFor('admin'))).data).toEqual({ listApiKeys: [{ id: keyId }] });
    });

    it('ends the session when two refreshes race with the same refresh token', async () => {
      const user = await createUser();
      const { refreshToken } = await running.stores.tokens.start(user);
      // Both refreshes have checked the token before either swaps it: the race a thief can win.
      let arrived = 0;
      let bothChecked!: () => void;
      const checked = new Promise<void>((resolve) => (bothChecked = resolve));
      const currentUser = async () => {
        if (++arrived === 2) bothChecked();
        await checked;
        return user;
      };
      const outcomes = await Promise.allSettled([running.stores.tokens.refresh(refreshToken, currentUser), running.stores.tokens.refresh(refreshToken, currentUser)]);
      expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(await running.stores.tokens.isLive(refreshToken.split('.')[0]!)).toBe(false);
    });

    it('changes a password only for a caller with their own token, not with an API key nor an identity taken mid-request', async () => {
      const user = await createUser();
      const viaKey = await signGatewayCredential({ userId: user.id, role: 'user', permissions: ROLE_PERMISSIONS.user });
      const change = 'mutation($password: String!) { changePassword(currentPassword: $password, newPassword: "a brand new secret") }';
      expect(codes(await graphql(url, change, { password: PASSWORD }, viaKey))).toEqual(['FORBIDDEN']);
      const afterLogin = await graphql(url, `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } changePassword(currentPassword: $password, newPassword: "a brand new secret") }`, { email: user.email, password: PASSWORD });
      expect(codes(afterLogin)).toEqual(['FORBIDDEN']);
      expect(await graphql(url, change, { password: PASSWORD }, await tokenFor('user', user.id))).toEqual({ data: { changePassword: true } });
    });

    it('lets only a super admin see or revoke the API keys of an admin or a super admin', async () => {
      const [superAdmin, admin, user] = [await createUser('super_admin'), await createUser('admin'), await createUser()];
      const keyOf = async (owner: User) =>
        (await graphql<{ createApiKey: { apiKey: { id: string } } }>(url, 'mutation { createApiKey(input: { name: "Integration", role: USER }) { apiKey { id } } }', {}, await tokenFor(owner.role, owner.id))).data!.createApiKey.apiKey.id;
      const list = (owner: User, token: string) => graphql(url, `{ listApiKeys(ownerId: "${owner.id}") { id } }`, {}, token);
      const revoke = (keyId: string, token: string) => graphql(url, `mutation { revokeApiKey(id: "${keyId}") { id } }`, {}, token);
      const [otherAdmin, boss] = [await tokenFor('admin'), await tokenFor('super_admin')];
      for (const owner of [superAdmin, admin]) {
        const keyId = await keyOf(owner);
        expect(codes(await list(owner, otherAdmin))).toEqual(['FORBIDDEN']);
        expect(codes(await revoke(keyId, otherAdmin))).toEqual(['FORBIDDEN']);
        expect(codes(await list(owner, boss))).toEqual([]);
        expect(codes(await revoke(keyId, boss))).toEqual([]);
      }
      const keyId = await keyOf(user);
      expect(codes(await list(user, otherAdmin))).toEqual([]);
      expect(codes(await revoke(keyId, otherAdmin))).toEqual([]);
    });

    it('refuses a permission name inherited from Object.prototype as unknown', async () => {
      const made = await graphql(url, 'mutation { createApiKey(input: { name: "Odd", permissions: ["read:public", "constructor"] }) { secret } }', {}, await tokenFor('admin'));
      expect(codes(made)).toEqual(['BAD_USER_INPUT']);
    });

    it('answers only the gateway on its auth routes, before reading any body', async () => {
      for (const path of ['/auth/api-key', '/auth/session-status']) {
        const response = await fetch(new URL(path, running.service.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
        expect(response.status).toBe(401);
        expect(await response.json()).toEqual({ error: 'Only the gateway may ask' });
      }
    });

    it('lets every signed-in user act on their own account, except on their own role, status or existence', async () => {
      const self = await createUser();
      const signedIn = ROLES;
      const selfEntity = { query: ENTITIES, variables: { representations: [{ __typename: 'User', id: self.id }] } };
      // Every caller, whatever role their token carries, is `self` here.
      await checkMatrix(
        url,
        [
          // Anonymous callers get `me: null`, which is no refusal.
          { operation: 'Query.me', query: '{ me { id name role status createdAt updatedAt email lastLoginAt } }', allowed: CALLERS },
          { operation: 'Query.user (own personal data)', query: USER, variables: { id: self.id }, allowed: signedIn },
          { operation: '_entities (own personal data)', ...selfEntity, allowed: signedIn },
          { operation: 'Mutation.updateUser (self)', query: `mutation { updateUser(id: "${self.id}", input: { name: "Still Me" }) { id name email } }`, allowed: signedIn },
          {
            operation: 'Mutation.changePassword',
            query: 'mutation($password: String!) { changePassword(currentPassword: $password, newPassword: $password) }',
            variables: { password: PASSWORD },
            allowed: signedIn,
          },
          { operation: 'Mutation.setUserRole (self)', query: `mutation { setUserRole(id: "${self.id}", role: USER) { id } }`, allowed: [] },
          { operation: 'Mutation.setUserStatus (self)', query: `mutation { setUserStatus(id: "${self.id}", status: ACTIVE) { id } }`, allowed: [] },
          { operation: 'Mutation.deleteUser (self)', query: `mutation { deleteUser(id: "${self.id}") }`, allowed: [] },
        ],
        self.id,
      );
      expect((await running.stores.users.getMany([self.id]))[0]).toMatchObject({ name: 'Still Me', role: 'user', status: 'active' });
    });

    it('reads the login and register payloads as the user who has just signed in', async () => {
      const user = await createUser('data_admin');
      const login = await graphql<{ login: { token: string; user: Record<string, unknown> } }>(url, LOGIN, { email: user.email, password: PASSWORD });
      expect(login.errors).toBeUndefined();
      const { lastLoginAt } = login.data!.login.user;
      expect(Date.parse(lastLoginAt as string)).toBeGreaterThanOrEqual(user.lastLoginAt!.getTime());
      expect(login.data!.login.user).toEqual({ id: user.id, name: user.name, email: user.email, role: 'DATA_ADMIN', lastLoginAt });

      const registered = await graphql(
        url,
        'mutation($input: RegisterInput!) { register(input: $input) { user { id name email role status lastLoginAt } } }',
        { input: { email: 'fresh@example.com', password: PASSWORD, name: 'Fresh Person' } },
      );
      expect(registered).toEqual({
        data: { register: { user: { id: expect.any(String), name: 'Fresh Person', email: 'fresh@example.com', role: 'USER', status: 'ACTIVE', lastLoginAt: null } } },
      });

      // A signed-in caller who signs in as someone else reads the payload as that someone.
      const asOtherUser = await graphql<{ login: { user: Record<string, unknown> } }>(url, LOGIN, { email: user.email, password: PASSWORD }, await tokenFor('guest'));
      expect(asOtherUser.errors).toBeUndefined();
      expect(asOtherUser.data!.login.user).toMatchObject({ id: user.id, email: user.email });

      // A failed sign-in lends nobody an identity.
      const failed = await graphql(url, LOGIN, { email: user.email, password: 'not the password' });
      expect(codes(failed)).toEqual(['UNAUTHENTICATED']);
      expect(failed.data).toBeNull();
    });

    it('refuses User entities to anonymous callers and hides personal data from those without the permission', async () => {
      const [first, second] = [await createUser(), await createUser('admin')];
      const representations = [first, second].map((user) => ({ __typename: 'User', id: user.id }));
      const read = async (token?: string) => graphql(url, ENTITIES, { representations }, token);

      // `id` is open, but every other field needs a signed-in caller: `name` is non-null, so the entity is null.
      const anonymous = await read();
      expect(anonymous.data).toEqual({ _entities: [null, null] });
      expect(authErrors(anonymous)).toEqual(expect.arrayContaining(['UNAUTHENTICATED at _entities.0.name', 'UNAUTHENTICATED at _entities.1.name']));
      expect(new Set(codes(anonymous))).toEqual(new Set(['UNAUTHENTICATED', 'FORBIDDEN']));
      const idsOnly = await graphql(url, `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id } } }`, { representations });
      expect(idsOnly).toEqual({ data: { _entities: [{ id: first.id }, { id: second.id }] } });

      const withoutPersonalData = (user: User) => ({ ...visible(user), email: null, lastLoginAt: null });
      const guest = await read(await tokenFor('guest'));
      expect(guest.data).toEqual({ _entities: [withoutPersonalData(first), withoutPersonalData(second)] });
      expect(authErrors(guest).sort()).toEqual([
        'FORBIDDEN at _entities.0.email',
        'FORBIDDEN at _entities.0.lastLoginAt',
        'FORBIDDEN at _entities.1.email',
        'FORBIDDEN at _entities.1.lastLoginAt',
      ]);

      const dataAdmin = await read(await tokenFor('data_admin'));
      expect(dataAdmin.data).toEqual({ _entities: [{ ...visible(first), email: null }, { ...visible(second), email: null }] });
      expect(authErrors(dataAdmin)).toEqual(['FORBIDDEN at _entities.0.email', 'FORBIDDEN at _entities.1.email']);

      for (const role of USER_MANAGERS) {
        expect(await read(await tokenFor(role))).toEqual({ data: { _entities: [visible(first), visible(second)] } });
      }
    });

    it('shows email and lastLoginAt to their owner and to holders of the permission, and only those fields to nobody else', async () => {
      const owner = await createUser('guest');
      const read = async (token: string) => graphql(url, USER, { id: owner.id }, token);

      // The owner sees their own personal data, even as a guest.
      expect(await read(await tokenFor('guest', owner.id))).toEqual({ data: { user: visible(owner) } });
      for (const role of USER_MANAGERS) expect(await read(await tokenFor(role))).toEqual({ data: { user: visible(owner) } });

      // user:read shows lastLoginAt but not the email.
      const dataAdmin = await read(await tokenFor('data_admin'));
      expect(dataAdmin.data).toEqual({ user: { ...visible(owner), email: null } });
      expect(authErrors(dataAdmin)).toEqual(['FORBIDDEN at user.email']);

      // Another signed-in user without either permission: both fields are null, the rest is untouched.
      for (const role of ['user', 'guest'] as const) {
        const stranger = await read(await tokenFor(role));
        expect(stranger.data).toEqual({ user: { ...visible(owner), email: null, lastLoginAt: null } });
        expect(authErrors(stranger).sort()).toEqual(['FORBIDDEN at user.email', 'FORBIDDEN at user.lastLoginAt']);
      }
    });

    it('hides emails in the user list from holders of user:read alone, row by row', async () => {
      const listed = [await createUser(), await createUser()];
      const query = `query($search: String) { users(filter: { search: $search }, orderBy: { field: CREATED_AT }) { totalCount edges { node { id name email lastLoginAt } } } }`;
      // Names are unique here ("Auth Person 007"), so searching one finds only that user.
      for (const user of listed) {
        const dataAdmin = await graphql(url, query, { search: user.name }, await tokenFor('data_admin'));
        expect(dataAdmin.data).toEqual({ users: { totalCount: 1, edges: [{ node: { id: user.id, name: user.name, email: null, lastLoginAt: user.lastLoginAt!.toISOString() } }] } });
        expect(authErrors(dataAdmin)).toEqual(['FORBIDDEN at users.edges.0.node.email']);
        const admin = await graphql(url, query, { search: user.name }, await tokenFor('admin'));
        expect(admin).toEqual({ data: { users: { totalCount: 1, edges: [{ node: { id: user.id, name: user.name, email: user.email, lastLoginAt: user.lastLoginAt!.toISOString() } }] } } });
      }
    });

    it('does not let holders of user:read alone find or sort users by email', async () => {
      const user = await createUser();
      const search = `query($search: String) { users(filter: { search: $search }) { totalCount } }`;
      const dataAdmin = await tokenFor('data_admin');
      expect((await graphql(url, search, { search: user.email }, dataAdmin)).data).toEqual({ users: { totalCount: 0 } });
      expect((await graphql(url, search, { search: user.email }, await tokenFor('admin'))).data).toEqual({ users: { totalCount: 1 } });
      const byEmail = await graphql(url, '{ users(orderBy: { field: EMAIL }) { totalCount } }', {}, dataAdmin);
      expect(authErrors(byEmail)).toEqual(['FORBIDDEN at users']);
      expect(authErrors(await graphql(url, '{ users(orderBy: { field: EMAIL }) { totalCount } }', {}, await tokenFor('admin')))).toEqual([]);
    });
  });
}
