import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../demo/load.ts';
import { DEMO_PASSWORD, generateDemoDataset } from '../../demo/dataset.ts';
import { signGatewayCredential, viewerWithRole } from '../../platform/auth/index.ts';
import { requireJwtSecret } from '../../platform/config.ts';
import { authErrors } from '../support/auth-matrix.ts';
import { codes, graphql } from '../support/client.ts';
import { startTestSupergraph } from '../support/services.ts';

/** Auth as a client meets it: through the gateway, and by trying to go around it. */
describe('auth through the gateway (demo dataset)', () => {
  const dataset = generateDemoDataset();
  let supergraph: Awaited<ReturnType<typeof startTestSupergraph>>;
  let url: string;
  const tokens = new Map<string, string>();

  const login = async (email: string) => {
    const result = await graphql<{ login: { token: string } }>(url, `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`, { email, password: DEMO_PASSWORD });
    expect(result.errors).toBeUndefined();
    return result.data!.login.token;
  };

  beforeAll(async () => {
    supergraph = await startTestSupergraph(loadDemoData);
    url = supergraph.url;
    for (const account of ['admin@looma.dev', 'alan.admin@looma.dev', 'dana.data@looma.dev', 'recruiter@looma.dev', 'guest@looma.dev']) {
      tokens.set(account, await login(account));
    }
  });
  afterAll(() => supergraph?.stop());

  describe('the gateway is the only door', () => {
    const subgraphUrls = () => [...supergraph.subgraphs.values()].map(({ service }) => service.url);
    const post = (target: string, headers: Record<string, string>) =>
      fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ _service { sdl } }' }) });

    it('every subgraph refuses a call without the gateway credential, whatever identity it claims', async () => {
      const forgedIdentity = { 'x-user-id': dataset.users[0]!.id, 'x-user-role': 'super_admin', 'x-looma-role': 'super_admin' };
      for (const target of subgraphUrls()) {
        const attempts: Record<string, string>[] = [{}, forgedIdentity, { authorization: `Bearer ${tokens.get('admin@looma.dev')}` }];
        for (const headers of attempts) {
          const response = await post(target, headers);
          expect(response.status, `${target} with ${JSON.stringify(headers)}`).toBe(401);
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

  describe('user tokens at the gateway', () => {
    const query = (token: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ me { id } }' }) });

    it('refuses expired, tampered and wrongly signed tokens with 401 UNAUTHENTICATED', async () => {
      const user = dataset.users.find((u) => u.email === 'guest@looma.dev')!;
      const sign = (secret: Uint8Array, expires: string | number) =>
        new SignJWT({ role: 'guest' }).setProtectedHeader({ alg: 'HS256' }).setSubject(user.id).setIssuer('looma').setIssuedAt().setExpirationTime(expires).sign(secret);
      const expired = await sign(requireJwtSecret(), Math.floor(Date.now() / 1000) - 60);
      const wrongSignature = await sign(new TextEncoder().encode('somebody-elses-signing-secret!!'), '1h');
      const [header, payload, signature] = tokens.get('guest@looma.dev')!.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, role: 'super_admin' })).toString('base64url')}.${signature}`;
      for (const token of [expired, wrongSignature, tampered]) {
        const response = await query(token);
        expect(response.status).toBe(401);
        const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
        expect(body.errors.map((e) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
      }
      expect((await query(tokens.get('guest@looma.dev')!)).status).toBe(200);
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
