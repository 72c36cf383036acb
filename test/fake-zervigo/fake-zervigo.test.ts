import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ZERVIGO_SERVICES,
  ZervigoClient,
  ZervigoError,
  type CandidateInput,
  type ResumeInput,
} from '../../platform/zervigo-client.ts';
import { FAKE_ZERVIGO_PASSWORD, startFakeZervigo, type FakeZervigo } from './server.ts';

const ada: CandidateInput = { name: 'Ada Lovelace', headline: 'Engineer', location: 'London', email: 'ada@example.com', phone: null, tags: ['analytical'] };

function resumeFor(userId: string, skills: string[]): ResumeInput {
  return {
    user_id: userId,
    title: 'Engineer',
    summary: null,
    skills,
    experience: [{ title: 'Engineer', company: 'Analytical Engines', start: '2020-01', end: null, description: null }],
    education: [{ institution: 'University of London', degree: null, field: 'Mathematics' }],
  };
}

/** The ZervigoError a call failed with; fails the test when the call succeeded or failed otherwise. */
async function failureOf(call: Promise<unknown>): Promise<ZervigoError> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ZervigoError);
  return error as ZervigoError;
}

describe('fake Zervigo, driven through ZervigoClient', () => {
  let fake: FakeZervigo;
  let client: ZervigoClient;

  beforeAll(async () => {
    fake = await startFakeZervigo();
    client = new ZervigoClient(fake.config());
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  it('serves GET /health on all six services, each on its own port, and slow() shows in the latency', async () => {
    expect(new Set(Object.values(fake.urls)).size).toBe(6);
    for (const service of ZERVIGO_SERVICES) {
      const { latencyMs } = await client.health(service);
      expect(latencyMs).toBeGreaterThanOrEqual(0);
    }
    expect(fake.requests().map((request) => `${request.service} ${request.method} ${request.path}`)).toEqual(ZERVIGO_SERVICES.map((service) => `${service} GET /health`));
    fake.slow('job', 150);
    expect((await client.health('job')).latencyMs).toBeGreaterThanOrEqual(140);
    fake.slow('job', 0);
    expect((await client.health('job')).latencyMs).toBeLessThan(140);
  });

  it('logs in a seeded account and validates the token it issued', async () => {
    const login = await client.login('recruiter', FAKE_ZERVIGO_PASSWORD);
    expect(login.user).toMatchObject({ id: 'zu-4', username: 'recruiter', role: 'recruiter' });
    expect(login.user.permissions).toContain('resume:read');
    expect(Date.parse(login.expires_at)).toBeGreaterThan(Date.now());

    const validation = await client.validateToken(login.token);
    expect(validation).toEqual({ valid: true, user: login.user, expires_at: login.expires_at });
  });

  it('refuses a wrong password (401) and a malformed login (400)', async () => {
    expect((await failureOf(client.login('recruiter', 'wrong'))).status).toBe(401);
    expect((await failureOf(client.login('nobody', FAKE_ZERVIGO_PASSWORD))).status).toBe(401);
    const response = await fetch(`${fake.urls.auth}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin' }) });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: expect.stringContaining('password') });
  });

  it('answers valid:false for a tampered, a foreign, an expired or a garbage token', async () => {
    const user = { id: 'zu-2', username: 'admin', role: 'admin' };
    const token = await fake.issueToken(user);
    expect(await client.validateToken(token)).toMatchObject({ valid: true, user: { ...user, permissions: expect.arrayContaining(['user:write']) } });

    const [header, payload, signature] = token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'super_admin' })).toString('base64url');
    const other = await startFakeZervigo();
    try {
      const foreign = await other.issueToken(user);
      for (const bad of [`${header}.${forgedPayload}.${signature}`, foreign, await fake.issueToken(user, -60), 'not-a-token']) {
        const validation = await client.validateToken(bad);
        expect(validation.valid).toBe(false);
        expect(validation.user).toBeUndefined();
        expect(validation.error).toEqual(expect.any(String));
      }
    } finally {
      await other.stop();
    }
    expect((await client.validateToken(await fake.issueToken(user, -60))).error).toBe('token expired');
  });

  it('upserts a candidate by external ref: created once, then updated in place', async () => {
    const created = await client.upsertCandidate('talent-1', ada);
    expect(created).toMatchObject({ ...ada, external_ref: 'talent-1' });
    const updated = await client.upsertCandidate('talent-1', { ...ada, headline: 'Mathematician' });
    expect(updated.id).toBe(created.id);
    expect(updated.created_at).toBe(created.created_at);
    expect(Date.parse(updated.updated_at)).toBeGreaterThan(Date.parse(created.updated_at));
    expect(fake.candidates()).toEqual([updated]);

    const statuses = await Promise.all(
      ['new-ref', 'new-ref-2'].map(async (ref) => (await fetch(`${fake.urls.user}/api/v1/users/external/${ref}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ada) })).status),
    );
    expect(statuses).toEqual([201, 201]);
    const again = await fetch(`${fake.urls.user}/api/v1/users/external/new-ref`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ada) });
    expect(again.status).toBe(200);
  });

  it('refuses a body that is not a CandidateInput with 400', async () => {
    for (const bad of [{ ...ada, name: '' }, { ...ada, tags: 'x' }, { name: 'Only a name' }]) {
      expect((await failureOf(client.upsertCandidate('talent-x', bad as CandidateInput))).status).toBe(400);
    }
    expect(fake.candidates()).toEqual([]);
  });

  it('upserts a resume for a known candidate and answers 422 for an unknown one', async () => {
    const candidate = await client.upsertCandidate('talent-1', ada);
    const resume = await client.upsertResume('resume-1', resumeFor(candidate.id, ['TypeScript']));
    expect(resume).toMatchObject({ external_ref: 'resume-1', user_id: candidate.id, skills: ['TypeScript'] });
    expect((await client.upsertResume('resume-1', resumeFor(candidate.id, ['Go']))).id).toBe(resume.id);

    const error = await failureOf(client.upsertResume('resume-2', resumeFor('zc-404', ['Go'])));
    expect(error.failure).toBe('status');
    expect(error.status).toBe(422);
    expect(error.retryable).toBe(false);
    expect(fake.resumes().map((stored) => stored.external_ref)).toEqual(['resume-1']);
  });

  it('ranks jobs by the skills of the candidate\'s latest resume, best first, at most limit', async () => {
    const candidate = await client.upsertCandidate('talent-1', ada);
    await client.upsertResume('resume-old', resumeFor(candidate.id, ['Java']));
    await client.upsertResume('resume-new', resumeFor(candidate.id, ['typescript', 'GraphQL', 'postgresql', 'React']));

    const { matches } = await client.jobMatches(candidate.id, 10);
    // zj-1 shares all 3 skills, zj-2 2 of 3, zj-6 1 of 3 (PostgreSQL), zj-3 and zj-11 1 of 4 (ties in catalog order); the Java resume is older.
    expect(matches.map((match) => [match.job_id, match.score])).toEqual([
      ['zj-1', 1],
      ['zj-2', 0.667],
      ['zj-6', 0.333],
      ['zj-3', 0.25],
      ['zj-11', 0.25],
    ]);
    expect(matches[0]!.reasons).toEqual(['shared skill: TypeScript', 'shared skill: GraphQL', 'shared skill: PostgreSQL']);
    expect((await client.jobMatches(candidate.id, 2)).matches.map((match) => match.job_id)).toEqual(['zj-1', 'zj-2']);
    expect(await client.jobMatches(candidate.id, 10)).toEqual({ matches });
  });

  it('answers job matching for an unknown candidate with 404, and a candidate without resume with no matches', async () => {
    expect((await failureOf(client.jobMatches('zc-404', 5))).status).toBe(404);
    const candidate = await client.upsertCandidate('talent-1', ada);
    expect(await client.jobMatches(candidate.id, 5)).toEqual({ matches: [] });
  });

  it('serves the seeded jobs and companies, 404 for unknown ids', async () => {
    const job = await client.job('zj-1');
    expect(job).toMatchObject({ id: 'zj-1', title: 'Senior TypeScript Engineer', company_id: 'zco-1' });
    expect(await client.company(job.company_id!)).toEqual({ id: 'zco-1', name: 'Northwind Labs' });
    expect((await failureOf(client.job('zj-404'))).status).toBe(404);
    expect((await failureOf(client.company('zco-404'))).status).toBe(404);
  });

  it('chat answers with the fact sharing the most words with the question, or null when none shares one', async () => {
    const facts = [
      { field: 'location', text: 'Lives in London' },
      { field: 'experience', text: 'Five years building GraphQL gateways at Analytical Engines' },
      { field: 'education', text: 'Studied mathematics at the University of London' },
    ];
    expect(await client.chat({ question: 'Where did she study mathematics?', subject: 'talent-1', facts })).toEqual({ answer: facts[2]!.text, fields: ['education'] });
    expect(await client.chat({ question: 'How many years of GraphQL experience?', subject: 'talent-1', facts })).toEqual({ answer: facts[1]!.text, fields: ['experience'] });
    expect(await client.chat({ question: 'Is she fond of cats?', subject: 'talent-1', facts })).toEqual({ answer: null, fields: [] });
  });

  it('failNext(2): two retryable failures, then success; every attempt is logged', async () => {
    fake.failNext('company', 2);
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await failureOf(client.company('zco-1'));
      expect(error.failure).toBe('status');
      expect(error.status).toBe(500);
      expect(error.retryable).toBe(true);
    }
    expect((await client.company('zco-1')).name).toBe('Northwind Labs');
    expect(fake.requests('company')).toHaveLength(3);

    fake.failNext('auth', 1, 503);
    expect((await failureOf(client.health('auth'))).status).toBe(503);
    await client.health('auth');
  });

  it('slow(500) with a 200 ms timeout fails with timeout', async () => {
    const impatient = new ZervigoClient(fake.config({ timeoutMs: 200 }));
    fake.slow('ai', 500);
    const error = await failureOf(impatient.chat({ question: 'anything', subject: 's', facts: [] }));
    expect(error.failure).toBe('timeout');
    expect(error.retryable).toBe(true);
  });

  it('down refuses connections (unreachable); up serves again on the same URL', async () => {
    const url = fake.urls.job;
    await client.health('job');
    await fake.down('job');
    const error = await failureOf(client.health('job'));
    expect(error.failure).toBe('unreachable');
    await fake.up('job');
    expect(fake.urls.job).toBe(url);
    await client.health('job');
    expect((await client.job('zj-2')).title).toBe('Frontend Developer');
  });
});

describe('fake Zervigo with a service token', () => {
  let fake: FakeZervigo;

  beforeAll(async () => {
    fake = await startFakeZervigo({ serviceToken: 'looma-service-token' });
  });
  afterAll(() => fake.stop());

  it('demands the bearer token everywhere but /health and the auth service', async () => {
    const withToken = new ZervigoClient(fake.config());
    const wrongToken = new ZervigoClient(fake.config({ serviceToken: 'wrong' }));
    const noToken = new ZervigoClient(fake.config({ serviceToken: undefined }));

    expect((await withToken.upsertCandidate('talent-1', ada)).name).toBe(ada.name);
    expect((await withToken.job('zj-1')).id).toBe('zj-1');
    for (const client of [wrongToken, noToken]) {
      expect((await failureOf(client.upsertCandidate('talent-1', ada))).status).toBe(401);
      expect((await failureOf(client.job('zj-1'))).status).toBe(401);
      await client.health('user');
      expect((await client.login('admin', FAKE_ZERVIGO_PASSWORD)).user.role).toBe('admin');
    }
    expect(fake.candidates()).toHaveLength(1);
  });
});
