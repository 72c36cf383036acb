import { SignJWT, createLocalJWKSet, generateKeyPair, importJWK, jwtVerify, type JWK } from 'jose';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../demo/load.ts';
import { DEMO_PASSWORD, generateDemoDataset } from '../../demo/dataset.ts';
import { signGatewayCredential, viewerWithRole } from '../../platform/auth/index.ts';
import { PostgresSigningKeyStore } from '../../subgraphs/users/sessions/store.postgres.ts';
import { authErrors } from '../support/auth-matrix.ts';
import { codes, graphql } from '../support/client.ts';
import { signIn } from '../support/signed-in.ts';
import { startTestSupergraph } from '../support/services.ts';

const TOKENS = 'token expiresAt refreshToken refreshTokenExpiresAt';
interface Tokens {
  token: string;
  expiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
}

/**
 * Posts to the gateway from a loopback address of its own (127.0.0.0/8 is all loopback), so a
 * test spends its own per-address login budget rather than the rest of the file's.
 */
function postFrom(localAddress: string, target: string, body: unknown, authorization?: string): Promise<{ status: number; codes: (string | undefined)[] }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)), ...(authorization ? { authorization: `Bearer ${authorization}` } : {}) };
    const sent = httpRequest(target, { method: 'POST', localAddress, headers }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => {
        const parsed = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] };
        resolve({ status: response.statusCode!, codes: (parsed.errors ?? []).map((error) => error.extensions?.code) });
      });
    });
    sent.on('error', reject);
    sent.end(payload);
  });
}

/** Auth as a client meets it: through the gateway, and by trying to go around it. */
describe('auth through the gateway (demo dataset)', () => {
  const dataset = generateDemoDataset();
  let supergraph: Awaited<ReturnType<typeof startTestSupergraph>>;
  let url: string;
  const tokens = new Map<string, string>();

  const login = (email: string) => signIn(url, email);

  beforeAll(async () => {
    supergraph = await startTestSupergraph(loadDemoData);
    await supergraph.built();
    url = supergraph.url;
    for (const account of ['admin@looma.dev', 'alan.admin@looma.dev', 'dana.data@looma.dev', 'recruiter@looma.dev', 'guest@looma.dev']) {
      tokens.set(account, await login(account));
    }
  });
  afterAll(() => supergraph?.stop());

  describe('the gateway is the only door', () => {
    const subgraphUrls = () => [...supergraph.subgraphs.values()].map(({ service }) => service.url);
    const SUBGRAPH_ONLY = ['{ _service { sdl } }', '{ _entities(representations: [{ __typename: "Company", id: "00000000-0000-4000-8000-000000000000" }]) { __typename } }'];
    const post = (target: string, headers: Record<string, string>, query = SUBGRAPH_ONLY[0]) =>
      fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });

    it('every subgraph refuses a call without the gateway credential, whatever identity it claims', async () => {
      const forgedIdentity = { 'x-user-id': dataset.users[0]!.id, 'x-user-role': 'super_admin', 'x-looma-role': 'super_admin' };
      for (const target of subgraphUrls()) {
        const attempts: Record<string, string>[] = [{}, forgedIdentity, { authorization: `Bearer ${tokens.get('admin@looma.dev')}` }];
        for (const [headers, query] of attempts.flatMap((headers) => SUBGRAPH_ONLY.map((query) => [headers, query] as const))) {
          const response = await post(target, headers, query);
          expect(response.status, `${target} with ${JSON.stringify(headers)}: ${query}`).toBe(401);
          expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
        }
      }
    });

    it('every subgraph refuses a gateway credential that is forged, tampered with or expired', async () => {
      const admin = viewerWithRole(dataset.users[0]!.id, 'super_admin');
      const forged = await signGatewayCredential(admin, new TextEncoder().encode('not-the-gateway-secret-at-all!!'));
      const genuine = await signGatewayCredential(viewerWithRole(dataset.users[0]!.id, 'guest'));
      const [header, payload, signature] = genuine.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, role: 'super_admin' })).toString('base64url')}.${signature}`;
      for (const target of subgraphUrls()) {
        for (const credential of [forged, tampered]) expect((await post(target, { authorization: `Bearer ${credential}` })).status).toBe(401);
        expect((await post(target, { authorization: `Bearer ${genuine}` })).status).toBe(200);
      }
    });

    it('ignores identity headers a client sends to the gateway', async () => {
      const result = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-user-role': 'super_admin', 'x-user-id': dataset.users[0]!.id, 'x-looma-gateway-credential': 'x' },
        body: JSON.stringify({ query: '{ me { id } users(first: 1) { totalCount } }' }),
      });
      const body = (await result.json()) as { data: { me: null } | null; errors?: { extensions: { code: string } }[] };
      expect(body.data?.me ?? null).toBeNull();
      expect(body.errors?.map((e) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
    });
  });

  describe('access and refresh tokens', () => {
    const post = (body: unknown, authorization?: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization: `Bearer ${authorization}` } : {}) }, body: JSON.stringify(body) });
    const me = async (token: string) => {
      const response = await post({ query: '{ me { id } }' }, token);
      return { status: response.status, body: (await response.json()) as { data?: { me: { id: string } | null }; errors?: { extensions: { code: string } }[] } };
    };
    const signIn = async (email: string) => {
      const result = await graphql<{ login: Tokens }>(url, `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { ${TOKENS} } }`, { email, password: DEMO_PASSWORD });
      expect(result.errors).toBeUndefined();
      return result.data!.login;
    };
    const refresh = (refreshToken: string) =>
      graphql<{ refreshToken: Tokens }>(url, `mutation($refreshToken: String!) { refreshToken(refreshToken: $refreshToken) { ${TOKENS} } }`, { refreshToken });
    const usersDb = () => supergraph.subgraphs.get('users')!.db;

    it('publishes the signing keys at the gateway and signs access tokens with them (ES256)', async () => {
      const jwks = (await (await fetch(new URL('/.well-known/jwks.json', url))).json()) as { keys: { kid: string; alg: string; kty: string; d?: string }[] };
      expect(jwks.keys.length).toBeGreaterThan(0);
      for (const key of jwks.keys) expect(key).toMatchObject({ alg: 'ES256', kty: 'EC' });
      expect(jwks.keys.some((key) => 'd' in key)).toBe(false);
      const { token } = await signIn('guest@looma.dev');
      const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks as never), { issuer: 'looma' });
      expect(protectedHeader.alg).toBe('ES256');
      expect(jwks.keys.map((k) => k.kid)).toContain(protectedHeader.kid);
      expect(payload).toMatchObject({ role: 'guest', sid: expect.any(String) });
      expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(15 * 60);
    });

    it('refuses expired, tampered and wrongly signed access tokens with 401 UNAUTHENTICATED', async () => {
      const { token } = await signIn('guest@looma.dev');
      const [header, payload, signature] = token.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string };
      const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, role: 'super_admin' })).toString('base64url')}.${signature}`;
      const impostor = await generateKeyPair('ES256');
      const sign = (key: Parameters<SignJWT['sign']>[0], exp: number) =>
        new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid }).setIssuedAt().setExpirationTime(exp).sign(key);
      const wrongSignature = await sign(impostor.privateKey, Math.floor(Date.now() / 1000) + 600);
      const [current] = await new PostgresSigningKeyStore(usersDb()).list();
      const expired = await sign(await importJWK(current!.privateJwk as JWK, 'ES256'), Math.floor(Date.now() / 1000) - 60);
      for (const bad of [expired, wrongSignature, tampered, 'not-a-jwt']) {
        const answer = await me(bad);
        expect(answer.status).toBe(401);
        expect(answer.body.errors!.map((e) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
      }
      expect((await me(token)).status).toBe(200);
    });

    it('rotates refresh tokens, and a reused refresh token ends the session', async () => {
      const first = await signIn('recruiter@looma.dev');
      const second = await refresh(first.refreshToken);
      expect(second.errors).toBeUndefined();
      expect(second.data!.refreshToken.refreshToken).not.toBe(first.refreshToken);
      expect((await me(second.data!.refreshToken.token)).body.data!.me).not.toBeNull();

      // The replaced refresh token is refused, and presenting it ends the session for everyone holding it.
      expect(codes(await refresh(first.refreshToken))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await refresh(second.data!.refreshToken.refreshToken))).toEqual(['UNAUTHENTICATED']);
      expect((await me(second.data!.refreshToken.token)).status).toBe(401);
      expect(codes(await refresh('garbage'))).toEqual(['UNAUTHENTICATED']);
    });

    it('logout ends one session, logoutEverywhere every session, at once', async () => {
      const candidate = dataset.users.find((u) => u.role === 'user' && u.email !== 'recruiter@looma.dev')!.email;
      const [phone, laptop, tablet] = [await signIn(candidate), await signIn(candidate), await signIn(candidate)];
      expect((await graphql(url, 'mutation { logout }', {}, phone.token)).data).toEqual({ logout: true });
      expect((await me(phone.token)).status).toBe(401);
      expect(codes(await refresh(phone.refreshToken))).toEqual(['UNAUTHENTICATED']);
      expect((await me(laptop.token)).status).toBe(200);

      expect((await graphql(url, 'mutation { logoutEverywhere }', {}, laptop.token)).data).toEqual({ logoutEverywhere: true });
      for (const session of [laptop, tablet]) {
        expect((await me(session.token)).status).toBe(401);
        expect(codes(await refresh(session.refreshToken))).toEqual(['UNAUTHENTICATED']);
      }
    });

    it('changing the password signs out every other session of the user', async () => {
      const person = dataset.users.filter((u) => u.role === 'user' && u.email !== 'recruiter@looma.dev').at(-4)!;
      const [here, elsewhere] = [await signIn(person.email), await signIn(person.email)];
      const changed = await graphql(url, `mutation { changePassword(currentPassword: "${DEMO_PASSWORD}", newPassword: "a-brand-new-password") }`, {}, here.token);
      expect(changed.data).toEqual({ changePassword: true });
      expect((await me(here.token)).status).toBe(200);
      expect((await me(elsewhere.token)).status).toBe(401);
      expect(codes(await refresh(elsewhere.refreshToken))).toEqual(['UNAUTHENTICATED']);
    });

    it('a suspended user loses access immediately, and a deleted one too', async () => {
      const [suspendee, deletee] = dataset.users.filter((u) => u.role === 'user' && u.email !== 'recruiter@looma.dev').slice(-2);
      const suspended = await signIn(suspendee!.email);
      const deleted = await signIn(deletee!.email);
      const admin = tokens.get('admin@looma.dev')!;
      expect(codes(await graphql(url, `mutation { setUserStatus(id: "${suspendee!.id}", status: SUSPENDED) { status } }`, {}, admin))).toEqual([]);
      expect((await me(suspended.token)).status).toBe(401);
      expect(codes(await refresh(suspended.refreshToken))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await graphql(url, `mutation { login(email: "${suspendee!.email}", password: "${DEMO_PASSWORD}") { token } }`))).toEqual(['UNAUTHENTICATED']);

      expect(codes(await graphql(url, `mutation { deleteUser(id: "${deletee!.id}") }`, {}, admin))).toEqual([]);
      expect((await me(deleted.token)).status).toBe(401);
      expect(codes(await refresh(deleted.refreshToken))).toEqual(['UNAUTHENTICATED']);
    });

    it('rotating the signing key keeps earlier tokens valid and signs new ones with the new key', async () => {
      const before = await signIn('alan.admin@looma.dev');
      expect(codes(await graphql(url, 'mutation { rotateSigningKey }', {}, tokens.get('alan.admin@looma.dev')))).toEqual(['FORBIDDEN']);
      const rotated = await graphql<{ rotateSigningKey: string }>(url, 'mutation { rotateSigningKey }', {}, tokens.get('admin@looma.dev'));
      const kid = rotated.data!.rotateSigningKey;
      const kidOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;
      // Published at once, signing only after the activation delay (1 s in tests).
      const published = (await (await fetch(new URL('/.well-known/jwks.json', url))).json()) as { keys: { kid: string }[] };
      expect(published.keys.map((key) => key.kid)).toEqual(expect.arrayContaining([kid, kidOf(before.token)]));
      expect(kidOf((await signIn('alan.admin@looma.dev')).token)).toBe(kidOf(before.token));
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const after = await signIn('alan.admin@looma.dev');
      expect(kidOf(after.token)).toBe(kid);
      expect((await me(after.token)).status).toBe(200);
      expect((await me(before.token)).status).toBe(200);
    });
  });

  describe('API keys', () => {
    const CREATE = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id name role permissions lastUsedAt owner { email } } } }`;
    const withKey = async (key: string, query: string, extra: Record<string, string> = {}) => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key, ...extra }, body: JSON.stringify({ query }) });
      return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown> | null; errors?: { extensions: { code: string } }[] } };
    };
    const create = (token: string, input: Record<string, unknown>) =>
      graphql<{ createApiKey: { secret: string; apiKey: { id: string; role: string | null; permissions: string[] | null; lastUsedAt: string | null } } }>(url, CREATE, { input }, token);

    it('acts for its owner with no more than its permissions, and stops at once when revoked', async () => {
      const recruiter = tokens.get('recruiter@looma.dev')!;
      const created = await create(recruiter, { name: 'CI export', permissions: ['read:public', 'talent:read'] });
      expect(created.errors).toBeUndefined();
      const { secret, apiKey } = created.data!.createApiKey;
      expect(secret).toMatch(/^looma_[0-9a-f]{32}_/);
      expect(apiKey).toMatchObject({ role: null, permissions: ['read:public', 'talent:read'], lastUsedAt: null });

      const read = await withKey(secret, '{ talents(first: 1) { totalCount } me { email } }');
      expect(read.status).toBe(200);
      expect(read.body.errors).toBeUndefined();
      expect(read.body.data).toMatchObject({ me: { email: 'recruiter@looma.dev' } });
      const write = await withKey(secret, 'mutation { createCompany(input: { name: "Via key" }) { id } }');
      expect(write.body.errors!.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
      const listed = await graphql<{ listApiKeys: { id: string; lastUsedAt: string | null }[] }>(url, '{ listApiKeys { id lastUsedAt } }', {}, recruiter);
      expect(listed.data!.listApiKeys.find((key) => key.id === apiKey.id)!.lastUsedAt).not.toBeNull();

      expect((await withKey(secret, '{ me { id } }', { authorization: `Bearer ${recruiter}` })).status).toBe(401);
      expect((await withKey(`${secret.slice(0, -4)}AAAA`, '{ me { id } }')).status).toBe(401);
      expect(codes(await graphql(url, `mutation { revokeApiKey(id: "${apiKey.id}") { revokedAt } }`, {}, tokens.get('guest@looma.dev')))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(url, `mutation { revokeApiKey(id: "${apiKey.id}") { revokedAt } }`, {}, recruiter))).toEqual([]);
      const revoked = await withKey(secret, '{ me { id } }');
      expect(revoked.status).toBe(401);
      expect(revoked.body.errors!.map((e) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
    });

    it('never holds more than its creator, and is created only with a signed-in user token', async () => {
      const recruiter = tokens.get('recruiter@looma.dev')!;
      expect(codes(await create(recruiter, { name: 'Too much', role: 'ADMIN' }))).toEqual(['FORBIDDEN']);
      expect(codes(await create(recruiter, { name: 'Too much', permissions: ['user:manage'] }))).toEqual(['FORBIDDEN']);
      expect(codes(await create(recruiter, { name: 'Typo', permissions: ['talent:raed'] }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await create(recruiter, { name: 'Both', role: 'USER', permissions: ['talent:read'] }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await create(recruiter, { name: 'Past', role: 'USER', expiresAt: '2020-01-01T00:00:00Z' }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await create(tokens.get('alan.admin@looma.dev')!, { name: 'Escalate', role: 'SUPER_ADMIN' }))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(url, CREATE, { input: { name: 'Anon', role: 'GUEST' } }))).toEqual(['UNAUTHENTICATED']);

      const own = await create(recruiter, { name: 'Role key', role: 'USER' });
      const viaKey = await withKey(own.data!.createApiKey.secret, `mutation { createApiKey(input: { name: "Child", role: GUEST }) { secret } }`);
      expect(viaKey.body.errors!.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
    });

    it('stops working when it expires or its owner is suspended', async () => {
      const owner = dataset.users.filter((u) => u.role === 'user' && u.email !== 'recruiter@looma.dev').at(-3)!;
      const ownerToken = await login(owner.email);
      const lasting = await create(ownerToken, { name: 'Lasting', role: 'USER' });
      const brief = await create(ownerToken, { name: 'Brief', role: 'USER', expiresAt: new Date(Date.now() + 1_000).toISOString() });
      expect((await withKey(brief.data!.createApiKey.secret, '{ me { id } }')).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect((await withKey(brief.data!.createApiKey.secret, '{ me { id } }')).status).toBe(401);

      expect((await withKey(lasting.data!.createApiKey.secret, '{ me { id } }')).status).toBe(200);
      await graphql(url, `mutation { setUserStatus(id: "${owner.id}", status: SUSPENDED) { status } }`, {}, tokens.get('admin@looma.dev'));
      expect((await withKey(lasting.data!.createApiKey.secret, '{ me { id } }')).status).toBe(401);
    });
  });

  it('rate-limits failed logins per account with 429 and a retry-after hint', async () => {
    const candidate = dataset.users.find((u) => u.role === 'user' && u.email !== 'recruiter@looma.dev' && dataset.talents.some((t) => t.userId === u.id))!;
    const attempt = (password: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }', variables: { email: candidate.email, password } }),
      });
    for (let i = 0; i < 5; i++) {
      const refused = (await (await attempt('wrong-password')).json()) as { errors: { extensions: { code: string } }[] };
      expect(refused.errors.map((e) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
    }
    const limited = await attempt(DEMO_PASSWORD);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await limited.json()) as { errors: { message: string; extensions: { code: string; retryAfter: number } }[] };
    expect(body.errors[0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    expect(body.errors[0]!.message).toMatch(/try again in \d+ seconds/);
  });

  describe('password checks at the door', () => {
    const LOGIN = 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }';
    // Accounts nobody else in this file signs in with.
    const accounts = () => dataset.users.filter((u) => u.role === 'user' && u.email !== 'recruiter@looma.dev').slice(1, 4);

    it('counts logins sent all at once, so no more than the budget get a password checked', async () => {
      const victim = accounts()[0]!;
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => postFrom('127.0.0.11', url, { query: LOGIN, variables: { email: victim.email, password: `guess ${i}` } })));
      expect(answers.filter((answer) => answer.codes[0] === 'UNAUTHENTICATED')).toHaveLength(5);
      expect(answers.filter((answer) => answer.status === 429)).toHaveLength(7);
    });

    it('counts a login whose email is a variable\'s default value against that account', async () => {
      const victim = accounts()[1]!;
      const byDefault = `mutation($email: String! = ${JSON.stringify(victim.email)}, $password: String!) { login(email: $email, password: $password) { token } }`;
      for (let i = 0; i < 5; i++) expect((await postFrom('127.0.0.12', url, { query: byDefault, variables: { password: `guess ${i}` } })).codes).toEqual(['UNAUTHENTICATED']);
      const sixth = await postFrom('127.0.0.12', url, { query: LOGIN, variables: { email: victim.email, password: DEMO_PASSWORD } });
      expect(sixth.status).toBe(429);
    });

    it('counts a wrong current password in changePassword like a failed login', async () => {
      const victim = accounts()[2]!;
      const stolen = await login(victim.email);
      const change = (current: string) =>
        postFrom('127.0.0.13', url, { query: 'mutation($current: String!) { changePassword(currentPassword: $current, newPassword: "a brand new secret") }', variables: { current } }, stolen);
      for (let i = 0; i < 5; i++) expect((await change(`guess ${i}`)).codes).toEqual(['BAD_USER_INPUT']);
      expect((await change(DEMO_PASSWORD)).status).toBe(429);
    });
    it('hashes one password per request: many aliased registers are refused before any runs', async () => {
      const bulk = Array.from({ length: 3 }, (_, i) => `r${i}: register(input: { email: "bulk${i}@example.com", password: "long-enough-1", name: "Bulk" }) { token }`);
      const refused = await postFrom('127.0.0.14', url, { query: `mutation { ${bulk[0]} ...more } fragment more on Mutation { ${bulk[1]} ${bulk[2]} }` });
      expect(refused).toEqual({ status: 400, codes: ['BAD_USER_INPUT'] });
      expect(codes(await graphql(url, `mutation { ${bulk[0]} }`))).toEqual([]);
    });
  });

  describe('one talent query, five callers', () => {
    const TALENTS = `query($owner: ID) {
      talents(first: 3, filter: { ownerId: $owner }) { edges { node { id name headline contact { email } } } }
    }`;

    it('shows each caller exactly what the permission map says', async () => {
      const recruiter = dataset.users.find((u) => u.email === 'recruiter@looma.dev')!;
      const owned = dataset.talents.filter((t) => t.ownerId === recruiter.id);
      expect(owned.length).toBeGreaterThan(0);
      const someoneElses = dataset.talents.find((t) => t.ownerId !== recruiter.id)!;

      // guest: no talent:read at all
      const guest = await graphql(url, TALENTS, {}, tokens.get('guest@looma.dev'));
      expect(authErrors(guest)).toEqual(['FORBIDDEN at talents']);

      // a recruiter (role user) reads profiles; contact details only for the talents they own
      const own = await graphql<{ talents: { edges: { node: { contact: { email: string } | null } }[] } }>(url, TALENTS, { owner: recruiter.id }, tokens.get('recruiter@looma.dev'));
      expect(own.errors).toBeUndefined();
      expect(own.data!.talents.edges.every((e) => e.node.contact?.email)).toBe(true);
      const others = await graphql<{ talents: { edges: { node: { name: string; contact: unknown } }[] } }>(url, TALENTS, { owner: someoneElses.ownerId }, tokens.get('recruiter@looma.dev'));
      expect(others.data!.talents.edges.length).toBeGreaterThan(0);
      for (const { node } of others.data!.talents.edges) {
        expect(node.name).toEqual(expect.any(String));
        expect(node.contact).toBeNull();
      }
      expect(new Set(authErrors(others).map((e) => e.replace(/\.\d+\./, '.N.')))).toEqual(new Set(['FORBIDDEN at talents.edges.N.node.contact']));

      // data_admin and admin read everyone's contact details
      for (const account of ['dana.data@looma.dev', 'alan.admin@looma.dev']) {
        const result = await graphql<{ talents: { edges: { node: { contact: { email: string } | null } }[] } }>(url, TALENTS, { owner: someoneElses.ownerId }, tokens.get(account));
        expect(result.errors, account).toBeUndefined();
        expect(result.data!.talents.edges.every((e) => e.node.contact?.email)).toBe(true);
      }
    });

    it('refuses anonymous callers', async () => {
      expect(codes(await graphql(url, TALENTS))).toEqual(['UNAUTHENTICATED']);
    });
  });
});
