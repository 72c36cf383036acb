import { SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS, type Role } from '../platform/auth/index.ts';
import { FAKE_ZERVIGO_ACCOUNTS, startFakeZervigo, type FakeZervigo } from '../test/fake-zervigo/server.ts';
import { ZERVIGO_ROLES, loomaRoleOf } from './zervigo-roles.ts';
import { ZervigoTokenVerifier, acceptsZervigoTokens, zervigoTokenOptionsFromEnv, type ZervigoTokenOptions } from './zervigo-tokens.ts';

const account = (username: string) => FAKE_ZERVIGO_ACCOUNTS.find((candidate) => candidate.username === username)!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a rejected verify carried: its code and HTTP status (the gateway answers with both). */
async function refusal(verifying: Promise<unknown>): Promise<{ code: unknown; status: unknown; message: string }> {
  const error = (await verifying.then(
    () => expect.fail('the token was accepted'),
    (caught: unknown) => caught,
  )) as { message: string; extensions: { code?: unknown; http?: { status?: unknown } } };
  return { code: error.extensions.code, status: error.extensions.http?.status, message: error.message };
}

describe('the Zervigo role table', () => {
  it('maps every listed Zervigo role as documented', () => {
    const expected: Record<string, Role> = {
      super_admin: 'super_admin',
      admin: 'admin',
      system_admin: 'admin',
      data_admin: 'data_admin',
      hr_admin: 'data_admin',
      recruiter: 'user',
      hr: 'user',
      company_admin: 'user',
      user: 'user',
      candidate: 'user',
      guest: 'guest',
    };
    expect(ZERVIGO_ROLES).toEqual(expected);
    for (const [zervigoRole, role] of Object.entries(expected)) expect(loomaRoleOf(zervigoRole)).toBe(role);
  });

  it('gives any other role, and anything that is not a role, guest access', () => {
    for (const unknown of ['astronaut', 'Admin', 'SUPER_ADMIN', '', 'constructor', 'toString', '__proto__', undefined, null, 42, ['admin']]) {
      expect(loomaRoleOf(unknown), JSON.stringify(unknown)).toBe('guest');
    }
  });
});

describe('Zervigo token settings', () => {
  it('is accepted with a secret or an auth service, not with other services only', () => {
    expect(acceptsZervigoTokens({ urls: {}, timeoutMs: 1000 })).toBe(false);
    expect(acceptsZervigoTokens({ urls: { user: 'http://127.0.0.1:1', ai: 'http://127.0.0.1:2' }, timeoutMs: 1000 })).toBe(false);
    expect(acceptsZervigoTokens({ urls: { auth: 'http://127.0.0.1:1' }, timeoutMs: 1000 })).toBe(true);
    expect(acceptsZervigoTokens({ urls: {}, jwtSecret: 's', timeoutMs: 1000 })).toBe(true);
  });

  it('reads ZERVIGO_TOKEN_CACHE_SECONDS, 60 by default, and refuses a value that is not a duration', () => {
    expect(zervigoTokenOptionsFromEnv({})).toEqual({ cacheSeconds: 60, maxEntries: 10_000 });
    expect(zervigoTokenOptionsFromEnv({ ZERVIGO_TOKEN_CACHE_SECONDS: '0.5' }).cacheSeconds).toBe(0.5);
    expect(zervigoTokenOptionsFromEnv({ ZERVIGO_TOKEN_CACHE_SECONDS: '0' }).cacheSeconds).toBe(0);
    expect(() => zervigoTokenOptionsFromEnv({ ZERVIGO_TOKEN_CACHE_SECONDS: 'a minute' })).toThrow(/ZERVIGO_TOKEN_CACHE_SECONDS/);
    expect(() => zervigoTokenOptionsFromEnv({ ZERVIGO_TOKEN_CACHE_SECONDS: '-1' })).toThrow(/ZERVIGO_TOKEN_CACHE_SECONDS/);
  });
});

describe('ZervigoTokenVerifier against a fake Zervigo', () => {
  let fake: FakeZervigo;
  const validations = () => fake.requests('auth').filter((request) => request.path === '/api/v1/auth/validate').length;
  const asking = (options: Partial<ZervigoTokenOptions> = {}, timeoutMs?: number) =>
    new ZervigoTokenVerifier(fake.config(timeoutMs === undefined ? {} : { timeoutMs }), { cacheSeconds: 60, maxEntries: 10_000, ...options });

  beforeAll(async () => {
    fake = await startFakeZervigo();
  });
  afterAll(() => fake?.stop());
  beforeEach(async () => {
    await fake.up('auth').catch(() => undefined); // a test that took it down may have failed before bringing it back
    fake.reset();
  });

  describe('asking the auth service', () => {
    it('turns each seeded account into a viewer with its mapped role, that role’s permissions and no session', async () => {
      const verifier = asking();
      const expected: Record<string, Role> = { super: 'super_admin', admin: 'admin', hr_admin: 'data_admin', recruiter: 'user', visitor: 'guest' };
      for (const [username, role] of Object.entries(expected)) {
        const viewer = await verifier.verify(await fake.issueToken(account(username)));
        expect(viewer).toEqual({ userId: `zervigo:${account(username).id}`, role, permissions: ROLE_PERMISSIONS[role] });
      }
    });

    it('gives an account whose role Looma does not know guest access', async () => {
      const viewer = await asking().verify(await fake.issueToken({ id: 'zu-99', username: 'pilot', role: 'astronaut', permissions: ['system:admin'] }));
      expect(viewer).toEqual({ userId: 'zervigo:zu-99', role: 'guest', permissions: ROLE_PERMISSIONS.guest });
    });

    it('refuses a tampered, an expired and a foreign token with 401 UNAUTHENTICATED', async () => {
      const verifier = asking();
      const genuine = await fake.issueToken(account('visitor'));
      const [header, payload, signature] = genuine.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, role: 'super_admin' })).toString('base64url')}.${signature}`;
      const expired = await fake.issueToken(account('admin'), -60);
      const foreign = await new SignJWT({ role: 'super_admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('zu-1').setIssuer('zervigo').setExpirationTime('1h').sign(new TextEncoder().encode('another-secret-entirely-0123456789'));
      for (const token of [tampered, expired, foreign, 'not-a-jwt']) {
        expect(await refusal(verifier.verify(token))).toMatchObject({ code: 'UNAUTHENTICATED', status: 401, message: expect.stringMatching(/Zervigo did not accept the token/) });
      }
    });

    it('asks once for a token used again and again, and once for concurrent uses of it', async () => {
      const verifier = asking();
      const token = await fake.issueToken(account('recruiter'));
      for (let i = 0; i < 3; i++) await verifier.verify(token);
      expect(validations()).toBe(1);
      const other = await fake.issueToken(account('hr_admin'));
      fake.slow('auth', 100); // all five are waiting while the one call is under way
      const viewers = await Promise.all(Array.from({ length: 5 }, () => verifier.verify(other)));
      expect(new Set(viewers.map((viewer) => viewer.userId))).toEqual(new Set(['zervigo:zu-3']));
      expect(validations()).toBe(2);
    });

    it('keeps a refusal too, for the same time', async () => {
      const verifier = asking();
      const expired = await fake.issueToken(account('admin'), -60);
      await Promise.all([refusal(verifier.verify(expired)), refusal(verifier.verify(expired))]);
      expect((await refusal(verifier.verify(expired))).code).toBe('UNAUTHENTICATED');
      expect(validations()).toBe(1);
    });

    it('asks again once the cached answer is older than the cache time', async () => {
      const verifier = asking({ cacheSeconds: 0.2 });
      const token = await fake.issueToken(account('recruiter'));
      await verifier.verify(token);
      await verifier.verify(token);
      expect(validations()).toBe(1);
      await sleep(300);
      await verifier.verify(token);
      expect(validations()).toBe(2);
    });

    it('never keeps a valid answer past the token’s expiry: it asks again and hears the token expired', async () => {
      const verifier = asking({ cacheSeconds: 60 });
      const token = await fake.issueToken(account('recruiter'), 1);
      await verifier.verify(token);
      const expiresAt = (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp * 1000;
      await sleep(Math.max(0, expiresAt - Date.now()) + 50);
      expect((await refusal(verifier.verify(token))).code).toBe('UNAUTHENTICATED');
      expect(validations()).toBe(2);
    });

    it('asks every time with a cache time of 0', async () => {
      const verifier = asking({ cacheSeconds: 0 });
      const token = await fake.issueToken(account('recruiter'));
      await verifier.verify(token);
      await verifier.verify(token);
      expect(validations()).toBe(2);
    });

    it('keeps at most maxEntries answers, dropping the least recently used', async () => {
      const verifier = asking({ maxEntries: 2 });
      const [a, b, c] = await Promise.all(['recruiter', 'admin', 'visitor'].map((username) => fake.issueToken(account(username))));
      for (const token of [a!, b!, a!, c!]) await verifier.verify(token); // c pushes out b, the least recently used
      expect(validations()).toBe(3);
      await verifier.verify(a!);
      expect(validations()).toBe(3);
      await verifier.verify(b!);
      expect(validations()).toBe(4);
    });

    it('fails with 503 SERVICE_UNAVAILABLE when the auth service is down, answers 5xx or is too slow, and keeps no such failure', async () => {
      const token = await fake.issueToken(account('recruiter'));
      const verifier = asking({}, 200);

      await fake.down('auth');
      expect(await refusal(verifier.verify(token))).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503, message: expect.stringMatching(/Zervigo's auth service could not check the token \(it cannot be reached\)/) });
      await fake.up('auth');

      fake.failNext('auth', 1, 502);
      expect(await refusal(verifier.verify(token))).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503, message: expect.stringMatching(/HTTP 502/) });

      fake.slow('auth', 400);
      expect(await refusal(verifier.verify(token))).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503, message: expect.stringMatching(/did not answer in time/) });
      fake.slow('auth', 0);

      // None of the failures was kept: the next use asks, and is let in.
      const before = validations();
      expect((await verifier.verify(token)).role).toBe('user');
      expect(validations()).toBe(before + 1);
    });
  });

  describe('with Zervigo’s secret', () => {
    const local = () => new ZervigoTokenVerifier(fake.config({ jwtSecret: fake.secret }), { cacheSeconds: 60, maxEntries: 10_000 });
    const sign = (claims: Record<string, unknown>, { secret = fake.secret, issuer = 'zervigo', exp = '1h' as string | null } = {}) => {
      const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('zu-4').setIssuer(issuer);
      if (exp) jwt.setExpirationTime(exp);
      return jwt.sign(new TextEncoder().encode(secret));
    };

    it('verifies tokens itself: the right viewer, and no call to the auth service', async () => {
      const verifier = local();
      expect(await verifier.verify(await fake.issueToken(account('hr_admin')))).toEqual({ userId: 'zervigo:zu-3', role: 'data_admin', permissions: ROLE_PERMISSIONS.data_admin });
      expect(await verifier.verify(await fake.issueToken(account('recruiter')))).toMatchObject({ userId: 'zervigo:zu-4', role: 'user' });
      await fake.down('auth'); // not needed at all
      expect((await verifier.verify(await fake.issueToken(account('super')))).role).toBe('super_admin');
      expect(validations()).toBe(0);
    });

    it('refuses a token signed with another secret, from another issuer, expired, without an expiry or without a subject', async () => {
      const verifier = local();
      const cases: [string, Promise<string>, RegExp][] = [
        ['another secret', sign({ role: 'admin' }, { secret: 'not-zervigos-secret-0123456789abcdef' }), /The Zervigo token is invalid/],
        ['another issuer', sign({ role: 'admin' }, { issuer: 'looma' }), /The Zervigo token is invalid/],
        ['expired', fake.issueToken(account('admin'), -60), /has expired/],
        ['no expiry', sign({ role: 'admin' }, { exp: null }), /The Zervigo token is invalid/],
        ['no subject', new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('zervigo').setExpirationTime('1h').sign(new TextEncoder().encode(fake.secret)), /names no account/],
      ];
      for (const [what, token, message] of cases) {
        expect(await refusal(verifier.verify(await token)), what).toMatchObject({ code: 'UNAUTHENTICATED', status: 401, message: expect.stringMatching(message) });
      }
      expect(validations()).toBe(0);
    });
  });
});
