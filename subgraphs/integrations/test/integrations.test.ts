import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { codes, graphql } from '../../../test/support/client.ts';
import { eventually } from '../../../test/support/eventually.ts';
import { scrape } from '../../../test/support/metrics.ts';
import { startTestSubgraph, tokenFor } from '../../../test/support/services.ts';
import { startFakeZervigo, type FakeZervigo } from '../../../test/fake-zervigo/server.ts';
import { integrationsSubgraph, type Stores } from '../index.ts';
import { changeTalent, optionsFor, seedSkills, seedTalent } from './setup.ts';

const SYNC = `mutation($id: ID!) { syncTalentToPlatform(talentId: $id) { talent { id } status externalId lastSyncedAt lastError } }`;
const PLATFORM_SYNC = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Talent { platformSync { status externalId lastSyncedAt lastError } } } }`;
const MATCHES = `query($reps: [_Any!]!, $first: Int) { _entities(representations: $reps) { ... on Talent { platformMatches(first: $first) { externalJobId score reasons title companyName location url } } } }`;
const STATUS = `query($refresh: Boolean) { externalPlatformStatus(refresh: $refresh) { name configured healthy services { name configured healthy latencyMs checkedAt error } } }`;
const SYNC_ALL = `mutation($filter: SyncTalentsFilter) { syncAllTalents(filter: $filter) { id status total done failed pending } }`;
const JOB = `query($id: ID!) { syncJob(id: $id) { id status total done failed pending finishedAt failures { talent { id } error } } }`;

type Sync = { status: string; externalId: string | null; lastSyncedAt: string | null; lastError: string | null };
type Job = { id: string; status: string; total: number; done: number; failed: number; pending: number; finishedAt: string | null; failures: { talent: { id: string }; error: string }[] };

describe('the integrations subgraph against a fake Zervigo', () => {
  let fake: FakeZervigo;
  let subgraph: Awaited<ReturnType<typeof startTestSubgraph<Stores>>>;
  let dataAdmin: string;
  const send = <Data>(query: string, variables: Record<string, unknown> = {}, token = dataAdmin) => graphql<Data>(subgraph.url, query, variables, token);
  const syncOf = async (id: string) => (await send<{ _entities: { platformSync: Sync }[] }>(PLATFORM_SYNC, { reps: [{ __typename: 'Talent', id }] })).data!._entities[0]!.platformSync;

  beforeAll(async () => {
    fake = await startFakeZervigo();
    subgraph = await startTestSubgraph(integrationsSubgraph(() => optionsFor(fake)));
    await seedSkills(subgraph.db);
    dataAdmin = await tokenFor('data_admin');
  });
  afterAll(async () => {
    await subgraph?.stop();
    await fake?.stop();
  });
  afterEach(async () => {
    for (const service of ['auth', 'user', 'resume', 'company', 'job', 'ai'] as const) await fake.up(service);
    fake.reset();
  });

  it('pushes a talent and their latest resume, records the external id, and updates on a second sync', async () => {
    const talent = await seedTalent(subgraph.db, 'Ada Lovelace', { email: 'ada@example.com' });
    expect(await syncOf(talent.id)).toMatchObject({ status: 'NOT_SYNCED', externalId: null, lastSyncedAt: null });

    const first = await send<{ syncTalentToPlatform: Sync & { talent: { id: string } } }>(SYNC, { id: talent.id });
    expect(first.errors).toBeUndefined();
    const synced = first.data!.syncTalentToPlatform;
    expect(synced).toMatchObject({ talent: { id: talent.id }, status: 'SYNCED', lastError: null });
    expect(synced.externalId).toBeTruthy();
    expect(fake.candidates()).toEqual([expect.objectContaining({ id: synced.externalId, external_ref: talent.id, name: 'Ada Lovelace', email: 'ada@example.com', location: 'Berlin, DE' })]);
    expect(fake.resumes()).toEqual([expect.objectContaining({ external_ref: talent.resumeId, user_id: synced.externalId, skills: ['TypeScript', 'GraphQL'] })]);

    await changeTalent(subgraph.db, talent.id, 'Ada King');
    expect((await syncOf(talent.id)).status).toBe('OUT_OF_DATE');

    const second = (await send<{ syncTalentToPlatform: Sync }>(SYNC, { id: talent.id })).data!.syncTalentToPlatform;
    expect(second).toMatchObject({ status: 'SYNCED', externalId: synced.externalId });
    expect(fake.candidates()).toHaveLength(1);
    expect(fake.candidates()[0]!.name).toBe('Ada King');
    expect(await syncOf(talent.id)).toMatchObject({ status: 'SYNCED', externalId: synced.externalId });
  });

  it("returns Zervigo's job matches with the jobs' and companies' details", async () => {
    const talent = await seedTalent(subgraph.db, 'Grace Hopper');
    const reps = [{ __typename: 'Talent', id: talent.id }];
    const before = await send(MATCHES, { reps });
    expect(codes(before)).toEqual(['NOT_FOUND']);
    expect(before.errors![0]!.message).toMatch(/sync them first/);

    await send(SYNC, { id: talent.id });
    const result = await send<{ _entities: { platformMatches: { externalJobId: string; score: number; reasons: string[]; title: string; companyName: string }[] }[] }>(MATCHES, { reps, first: 2 });
    expect(result.errors).toBeUndefined();
    const matches = result.data!._entities[0]!.platformMatches;
    expect(matches).toHaveLength(2);
    expect(matches[0]).toMatchObject({ externalJobId: 'zj-1', title: 'Senior TypeScript Engineer', companyName: 'Northwind Labs' });
    expect(matches[0]!.score).toBeGreaterThanOrEqual(matches[1]!.score);
    expect(matches[0]!.reasons.join(' ')).toMatch(/TypeScript/);

    const tooMany = await send(MATCHES, { reps, first: 51 });
    expect(codes(tooMany)).toEqual(['BAD_USER_INPUT']);
  });

  it('reports each service: healthy with its latency, and one that is down', async () => {
    const healthy = await send<{ externalPlatformStatus: { healthy: boolean; services: { name: string; healthy: boolean; latencyMs: number | null; checkedAt: string | null }[] } }>(STATUS, { refresh: true });
    expect(healthy.errors).toBeUndefined();
    expect(healthy.data!.externalPlatformStatus.healthy).toBe(true);
    expect(healthy.data!.externalPlatformStatus.services.map((service) => service.name)).toEqual(['auth', 'user', 'resume', 'company', 'job', 'ai']);
    for (const service of healthy.data!.externalPlatformStatus.services) {
      expect(service).toMatchObject({ healthy: true });
      expect(service.latencyMs).toBeGreaterThanOrEqual(0);
      expect(Date.parse(service.checkedAt!)).toBeGreaterThan(Date.now() - 10_000);
    }

    await fake.down('resume');
    const degraded = await send<{ externalPlatformStatus: { healthy: boolean; services: { name: string; healthy: boolean; latencyMs: number | null; error: string | null }[] } }>(STATUS, { refresh: true });
    expect(degraded.data!.externalPlatformStatus.healthy).toBe(false);
    expect(degraded.data!.externalPlatformStatus.services.find((service) => service.name === 'resume')).toMatchObject({ healthy: false, latencyMs: null, error: expect.stringMatching(/cannot be reached/) });

    // The subgraph itself stays ready, and its readiness shows the platform's state.
    const ready = await fetch(new URL('/health/ready', subgraph.service.url));
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { external: { zervigo: { service: string; healthy: boolean }[] } };
    expect(body.external.zervigo.find((service) => service.service === 'resume')).toMatchObject({ healthy: false });

    // Operators see the same on /metrics.
    const up = (await scrape(subgraph.service.url)).samples.filter((sample) => sample.name === 'zervigo_service_up');
    expect(Object.fromEntries(up.map((sample) => [sample.labels.zervigo_service, sample.value]))).toEqual({ auth: 1, user: 1, resume: 0, company: 1, job: 1, ai: 1 });
  });

  it('a service that is down: the sync fails with SERVICE_UNAVAILABLE and the failure is recorded', async () => {
    const talent = await seedTalent(subgraph.db, 'Alan Turing');
    await fake.down('user');
    const result = await send(SYNC, { id: talent.id });
    expect(codes(result)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(result.errors![0]!.message).toMatch(/user service cannot be reached/);
    expect(await syncOf(talent.id)).toMatchObject({ status: 'FAILED', externalId: null, lastError: expect.stringMatching(/cannot be reached/) });

    await fake.up('user');
    expect((await send<{ syncTalentToPlatform: Sync }>(SYNC, { id: talent.id })).data!.syncTalentToPlatform).toMatchObject({ status: 'SYNCED', lastError: null });
  });

  it('a slow service hits the timeout (each attempt), and the call fails cleanly', async () => {
    const talent = await seedTalent(subgraph.db, 'Slow Sam');
    fake.slow('user', 1_500);
    const started = Date.now();
    const result = await send(SYNC, { id: talent.id });
    expect(codes(result)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(result.errors![0]!.message).toMatch(/did not answer within 400 ms/);
    // Three attempts of 400 ms and two short backoffs: bounded, not the service's 1.5 s per call.
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(fake.requests('user').filter((request) => request.method === 'PUT')).toHaveLength(3);
  });

  it('500 answers are retried with backoff until one succeeds', async () => {
    const talent = await seedTalent(subgraph.db, 'Retry Rita');
    fake.failNext('user', 2, 500);
    const result = await send<{ syncTalentToPlatform: Sync }>(SYNC, { id: talent.id });
    expect(result.errors).toBeUndefined();
    expect(result.data!.syncTalentToPlatform.status).toBe('SYNCED');
    expect(fake.requests('user').filter((request) => request.method === 'PUT')).toHaveLength(3);
    expect(fake.candidates()).toHaveLength(1);
  });

  it('counts pushes by outcome on /metrics', async () => {
    const count = async (outcome: string) => (await scrape(subgraph.service.url)).samples.find((sample) => sample.name === 'zervigo_pushes_total' && sample.labels.outcome === outcome)?.value ?? 0;
    const [synced, failed] = [await count('synced'), await count('failed')];
    const talent = await seedTalent(subgraph.db, 'Counted Carla');
    await send(SYNC, { id: talent.id });
    fake.failNext('user', 1, 422);
    await send(SYNC, { id: talent.id });
    expect([await count('synced'), await count('failed')]).toEqual([synced + 1, failed + 1]);
  });

  it('a 4xx refusal is not retried and says what Zervigo refused', async () => {
    const talent = await seedTalent(subgraph.db, 'Refused Rob');
    fake.failNext('user', 1, 422);
    const result = await send(SYNC, { id: talent.id });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(fake.requests('user').filter((request) => request.method === 'PUT')).toHaveLength(1);
  });

  it('sync needs platform:sync (data_admin and above); status needs a signed-in caller', async () => {
    const talent = await seedTalent(subgraph.db, 'Role Mix');
    for (const role of ['super_admin', 'admin', 'data_admin'] as const) {
      expect(codes(await send(SYNC, { id: talent.id }, await tokenFor(role)))).toEqual([]);
    }
    for (const role of ['user', 'guest'] as const) {
      expect(codes(await send(SYNC, { id: talent.id }, await tokenFor(role)))).toEqual(['FORBIDDEN']);
      expect(codes(await send(SYNC_ALL, {}, await tokenFor(role)))).toEqual(['FORBIDDEN']);
    }
    expect(codes(await send(STATUS, {}, await tokenFor('guest')))).toEqual([]);
    expect(codes(await graphql(subgraph.url, STATUS, {}))).toEqual(['UNAUTHENTICATED']);
  });

  it('bad input: an id that is not one, an unknown talent, an unknown job', async () => {
    expect(codes(await send(SYNC, { id: 'nope' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await send(SYNC, { id: '00000000-0000-4000-8000-00000000abcd' }))).toEqual(['NOT_FOUND']);
    expect(codes(await send(SYNC_ALL, { filter: { tags: ['x'.repeat(60)] } }))).toEqual(['BAD_USER_INPUT']);
    const job = await send<{ syncJob: null }>(JOB, { id: '00000000-0000-4000-8000-00000000abcd' });
    expect(job.errors).toBeUndefined();
    expect(job.data!.syncJob).toBeNull();
  });

  it('syncs every talent matching a filter in a background job, listing failures without stopping', async () => {
    const tag = `batch-${Date.now()}`;
    const talents = [];
    for (let index = 0; index < 6; index++) talents.push(await seedTalent(subgraph.db, `Batch ${index}`, { tags: [tag] }));
    await seedTalent(subgraph.db, 'Not In The Batch');
    // The job's first push is refused outright (422): that talent fails, the rest go on; each push takes 100 ms.
    fake.failNext('user', 1, 422);
    fake.slow('user', 100);
    const started = await send<{ syncAllTalents: Job }>(SYNC_ALL, { filter: { tags: [tag] } });
    expect(started.errors).toBeUndefined();
    expect(started.data!.syncAllTalents).toMatchObject({ status: 'RUNNING', total: 6 });

    const again = await send(SYNC_ALL, {});
    expect(codes(again)).toEqual(['CONFLICT']);
    expect(again.errors![0]!.message).toContain(started.data!.syncAllTalents.id);

    const done = await eventually(
      async () => (await send<{ syncJob: Job }>(JOB, { id: started.data!.syncAllTalents.id })).data!.syncJob,
      (job) => job.status === 'COMPLETED',
      10_000,
    );
    expect(done).toMatchObject({ total: 6, done: 5, failed: 1, pending: 0 });
    expect(done.finishedAt).toBeTruthy();
    expect(done.failures).toHaveLength(1);
    expect(done.failures[0]!.error).toMatch(/422/);
    const failedId = done.failures[0]!.talent.id;
    expect(talents.map((talent) => talent.id)).toContain(failedId);
    expect(await syncOf(failedId)).toMatchObject({ status: 'FAILED' });

    const refs = fake.candidates().map((candidate) => candidate.external_ref);
    expect(new Set(refs).size).toBe(refs.length);
    expect(refs.sort()).toEqual(talents.map((talent) => talent.id).filter((id) => id !== failedId).sort());

    // Catching up: only the failed talent is in a job over FAILED ones.
    const retry = await send<{ syncAllTalents: Job }>(SYNC_ALL, { filter: { statuses: ['FAILED'], tags: [tag] } });
    expect(retry.data!.syncAllTalents.total).toBe(1);
    await eventually(
      async () => (await send<{ syncJob: Job }>(JOB, { id: retry.data!.syncAllTalents.id })).data!.syncJob,
      (job) => job.status === 'COMPLETED' && job.done === 1,
      10_000,
    );
  });
});

describe('the circuit breaker in front of a failing Zervigo service', () => {
  let fake: FakeZervigo;
  let subgraph: Awaited<ReturnType<typeof startTestSubgraph<Stores>>>;
  beforeAll(async () => {
    fake = await startFakeZervigo();
    const options = optionsFor(fake);
    subgraph = await startTestSubgraph(integrationsSubgraph({ ...options, policy: { ...options.policy, attempts: 1, breakerThreshold: 2, breakerCooldownMs: 400 } }));
  });
  afterAll(async () => {
    await subgraph?.stop();
    await fake?.stop();
  });

  it('opens after consecutive failures (no calls while open), then lets a trial through and closes', async () => {
    const token = await tokenFor('data_admin');
    const talent = await seedTalent(subgraph.db, 'Breaker Bea');
    await fake.down('user');
    for (let attempt = 0; attempt < 2; attempt++) expect(codes(await graphql(subgraph.url, SYNC, { id: talent.id }, token))).toEqual(['SERVICE_UNAVAILABLE']);
    await fake.up('user');
    const calls = fake.requests('user').length;
    const open = await graphql(subgraph.url, SYNC, { id: talent.id }, token);
    expect(codes(open)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(open.errors![0]!.message).toMatch(/calls to it are paused/);
    expect(open.errors![0]!.extensions!.retryAfterMs).toBeGreaterThan(0);
    expect(fake.requests('user')).toHaveLength(calls);

    await new Promise((resolve) => setTimeout(resolve, 450));
    const trial = await graphql<{ syncTalentToPlatform: { status: string } }>(subgraph.url, SYNC, { id: talent.id }, token);
    expect(trial.data?.syncTalentToPlatform.status).toBe('SYNCED');
  });
});

describe('the integrations subgraph with no Zervigo configured', () => {
  let subgraph: Awaited<ReturnType<typeof startTestSubgraph<Stores>>>;
  beforeAll(async () => {
    subgraph = await startTestSubgraph(
      integrationsSubgraph({
        zervigo: { urls: {}, timeoutMs: 1000 },
        policy: { attempts: 1, initialBackoffMs: 1, maxBackoffMs: 1, breakerThreshold: 1, breakerCooldownMs: 1 },
        jobs: { ratePerSecond: 1, idleMs: 1000 },
        healthIntervalMs: 1000,
      }),
    );
  });
  afterAll(() => subgraph?.stop());

  it('answers NOT_CONFIGURED on every field, saying what to set, and stays ready', async () => {
    const token = await tokenFor('admin');
    const talent = '00000000-0000-4000-8000-000000000042';
    for (const [query, variables] of [
      [STATUS, {}],
      [SYNC, { id: talent }],
      [SYNC_ALL, {}],
      [JOB, { id: talent }],
      [PLATFORM_SYNC, { reps: [{ __typename: 'Talent', id: talent }] }],
      [MATCHES, { reps: [{ __typename: 'Talent', id: talent }] }],
    ] as const) {
      const result = await graphql(subgraph.url, query, variables, token);
      expect(codes(result), query).toEqual(['NOT_CONFIGURED']);
      expect(result.errors![0]!.message).toMatch(/not configured: set ZERVIGO_BASE_URL/);
    }
    const ready = await fetch(new URL('/health/ready', subgraph.service.url));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ external: { zervigo: 'not configured' } });
  });
});
