import { SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../demo/load.ts';
import { startGateway } from '../../gateway/gateway.ts';
import { composeRegistry } from '../../platform/compose.ts';
import type { RunningService } from '../../platform/http.ts';
import { loadRegistry } from '../../platform/registry.ts';
import type { ZervigoConfig } from '../../platform/zervigo-client.ts';
import { FAKE_ZERVIGO_ACCOUNTS, startFakeZervigo, type FakeZervigo } from '../fake-zervigo/server.ts';
import { codes, type GraphQLResponse } from '../support/client.ts';
import { signIn } from '../support/signed-in.ts';
import { startTestSupergraph } from '../support/services.ts';

/** Posts one operation with a bearer token and keeps the HTTP status. */
async function post<Data = Record<string, unknown>>(url: string, query: string, token?: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse<Data> };
}

const TALENTS = '{ talents(first: 5) { totalCount edges { node { id contact { email } } } } }';
const AUDIT = '{ auditEvents(first: 1) { totalCount } }';
type Talents = { talents: { totalCount: number; edges: { node: { id: string; contact: { email: string | null } | null } }[] } };

/** Zervigo accounts calling Looma through a real gateway, with the fake Zervigo as their auth service. */
describe('Zervigo tokens through the gateway (demo dataset, fake Zervigo)', () => {
  let fake: FakeZervigo;
  let supergraph: Awaited<ReturnType<typeof startTestSupergraph>>;
  let url: string;
  const extraGateways: RunningService[] = [];
  const validations = () => fake.requests('auth').filter((request) => request.path === '/api/v1/auth/validate').length;

  // The gateway keeps answers 60 s: a token no earlier test used (tokens of one account issued in one second are equal otherwise).
  let issued = 0;
  const tokenOf = (username: string, ttlSeconds = 3_600) =>
    fake.issueToken(FAKE_ZERVIGO_ACCOUNTS.find((account) => account.username === username)!, ttlSeconds + (ttlSeconds > 0 ? issued++ : -issued++));

  /** Another gateway over the same subgraphs, with its own Zervigo settings. */
  async function gatewayWith(zervigo: ZervigoConfig): Promise<string> {
    const composed = composeRegistry(loadRegistry());
    if (!composed.ok) throw new Error(composed.errors.join('\n'));
    const gateway = await startGateway({
      supergraphSdl: composed.supergraphSdl,
      urls: Object.fromEntries([...supergraph.subgraphs].map(([name, running]) => [name, running.service.url])),
      host: '127.0.0.1',
      port: 0,
      usersUrl: supergraph.subgraphs.get('users')!.service.url,
      zervigo,
    });
    extraGateways.push(gateway);
    return gateway.url;
  }

  const loomaLogin = (email: string) => signIn(url, email);

  beforeAll(async () => {
    fake = await startFakeZervigo();
    supergraph = await startTestSupergraph(loadDemoData, [], { zervigo: fake.config({ timeoutMs: 5_000 }) });
    await supergraph.built();
    url = supergraph.url;
  });
  afterAll(async () => {
    for (const gateway of extraGateways) await gateway.stop();
    await supergraph?.stop();
    await fake?.stop();
  });
  beforeEach(async () => {
    await fake.up('auth');
    fake.reset();
  });

  describe('each Zervigo role acts as its Looma role', () => {
    it('recruiter → user: reads talents, but not the contact details of talents it does not own', async () => {
      const { status, body } = await post<Talents>(url, TALENTS, await tokenOf('recruiter'));
      expect(status).toBe(200);
      expect(body.data!.talents.totalCount).toBeGreaterThan(0);
      expect(body.data!.talents.edges.every(({ node }) => node.contact === null)).toBe(true);
      expect(new Set(codes(body))).toEqual(new Set(['FORBIDDEN']));
    });

    it('hr_admin → data_admin: reads contact details, but not the audit log', async () => {
      const token = await tokenOf('hr_admin');
      const { body } = await post<Talents>(url, TALENTS, token);
      expect(body.errors).toBeUndefined();
      expect(body.data!.talents.edges.some(({ node }) => typeof node.contact?.email === 'string')).toBe(true);
      expect(codes((await post(url, AUDIT, token)).body)).toEqual(['FORBIDDEN']);
    });

    it('admin → admin and super → super_admin: read the audit log', async () => {
      for (const username of ['admin', 'super']) {
        const { body } = await post<{ auditEvents: { totalCount: number } }>(url, AUDIT, await tokenOf(username));
        expect(body.errors, username).toBeUndefined();
        expect(typeof body.data!.auditEvents.totalCount).toBe('number');
      }
    });

    it('visitor → guest: public data only; a protected field is FORBIDDEN, as it is UNAUTHENTICATED without a token', async () => {
      const token = await tokenOf('visitor');
      const { status, body } = await post(url, TALENTS, token);
      expect(status).toBe(200);
      expect(body.data ?? null).toBeNull();
      expect(codes(body)).toEqual(['FORBIDDEN']);
      expect(codes((await post(url, TALENTS)).body)).toEqual(['UNAUTHENTICATED']);
      const skills = await post<{ skills: unknown }>(url, '{ skills(first: 1) { totalCount } }', token);
      expect(skills.body.errors).toBeUndefined();
    });
  });

  it('refuses an invalid and an expired Zervigo token with 401 UNAUTHENTICATED', async () => {
    const valid = await tokenOf('admin');
    const [header, payload, signature] = valid.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, role: 'super_admin', sub: 'zu-1' })).toString('base64url')}.${signature}`;
    for (const token of [tampered, await tokenOf('admin', -60), 'opaque-garbage']) {
      const { status, body } = await post(url, '{ skills(first: 1) { totalCount } }', token);
      expect(status).toBe(401);
      expect(codes(body)).toEqual(['UNAUTHENTICATED']);
      expect(body.errors![0]!.message).toMatch(/Zervigo did not accept the token/);
    }
  });

  it('asks Zervigo once for a token used on several requests', async () => {
    const token = await tokenOf('recruiter');
    for (let i = 0; i < 3; i++) expect((await post(url, TALENTS, token)).body.data).toBeTruthy();
    await Promise.all(Array.from({ length: 3 }, () => post(url, TALENTS, token)));
    expect(validations()).toBe(1);
  });

  it('fails with 503 SERVICE_UNAVAILABLE while Zervigo’s auth service is down or failing; Looma tokens keep working', async () => {
    const loomaToken = await loomaLogin('recruiter@looma.dev');
    await fake.down('auth');
    const down = await post(url, TALENTS, await tokenOf('recruiter'));
    expect(down.status).toBe(503);
    expect(codes(down.body)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(down.body.errors![0]!.message).toMatch(/Zervigo's auth service could not check the token/);

    const looma = await post<Talents>(url, TALENTS, loomaToken);
    expect(looma.status).toBe(200);
    expect(looma.body.data!.talents.totalCount).toBeGreaterThan(0);

    await fake.up('auth');
    fake.failNext('auth', 1, 500);
    const failing = await post(url, TALENTS, await tokenOf('recruiter'));
    expect([failing.status, codes(failing.body)]).toEqual([503, ['SERVICE_UNAVAILABLE']]);
    // Looma's tokens never reach Zervigo.
    const asked = fake.requests('auth').length;
    expect((await post(url, TALENTS, loomaToken)).status).toBe(200);
    expect(fake.requests('auth').length).toBe(asked);
  });

  describe('a Zervigo account is no Looma user, and the user-bound operations say so cleanly', () => {
    it('me is null', async () => {
      const { status, body } = await post<{ me: unknown }>(url, '{ me { id name } }', await tokenOf('admin'));
      expect(status).toBe(200);
      expect(body).toEqual({ data: { me: null } });
    });

    it('owns no API keys, cannot sign out everywhere in Looma, and its logout ends nothing', async () => {
      const token = await tokenOf('recruiter');
      expect((await post(url, '{ listApiKeys { id } }', token)).body).toEqual({ data: { listApiKeys: [] } });
      const everywhere = await post(url, 'mutation { logoutEverywhere }', token);
      expect(codes(everywhere.body)).toEqual(['FORBIDDEN']);
      expect(everywhere.body.errors![0]!.message).toMatch(/signed in outside Looma/);
      expect((await post(url, 'mutation { logout }', token)).body).toEqual({ data: { logout: false } });
      expect(codes((await post(url, 'mutation { createApiKey(input: { name: "k", role: USER }) { secret } }', token)).body)).toEqual(['FORBIDDEN']);
    });

    it('creates talents and resumes with no Looma owner or author', async () => {
      const token = await tokenOf('recruiter');
      const created = await post<{ createTalent: { id: string; owner: unknown } }>(url, 'mutation { createTalent(input: { name: "Zoe Zervigo" }) { id owner { id } } }', token);
      expect(created.body.errors).toBeUndefined();
      expect(created.body.data!.createTalent.owner).toBeNull();
      const resume = await post<{ createResume: { versions: { author: unknown }[] } }>(
        url,
        'mutation($talentId: ID!) { createResume(talentId: $talentId, input: { title: "Engineer" }) { versions { author { id } } } }',
        token,
        { talentId: created.body.data!.createTalent.id },
      );
      expect(resume.body.errors).toBeUndefined();
      expect(resume.body.data!.createResume.versions).toEqual([{ author: null }]);
    });
  });

  describe('with Zervigo’s secret, the gateway verifies tokens itself', () => {
    it('lets a Zervigo token in without asking the auth service, and refuses one signed with another secret', async () => {
      const local = await gatewayWith(fake.config({ jwtSecret: fake.secret }));
      await fake.down('auth');
      const ok = await post<Talents>(local, TALENTS, await tokenOf('hr_admin'));
      expect(ok.body.errors).toBeUndefined();
      expect(ok.body.data!.talents.totalCount).toBeGreaterThan(0);

      const forged = await new SignJWT({ role: 'super_admin' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('zu-1')
        .setIssuer('zervigo')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('somebody-elses-secret-0123456789abcdef'));
      const refused = await post(local, AUDIT, forged);
      expect([refused.status, codes(refused.body)]).toEqual([401, ['UNAUTHENTICATED']]);
      expect(validations()).toBe(0);
    });
  });

  it('without Zervigo settings, a Zervigo token is just an invalid token', async () => {
    const plain = await gatewayWith({ urls: {}, timeoutMs: 1_000 });
    const { status, body } = await post(plain, TALENTS, await tokenOf('admin'));
    expect([status, codes(body), body.errors![0]!.message]).toEqual([401, ['UNAUTHENTICATED'], 'The token is invalid']);
    expect(validations()).toBe(0);
  });
});
