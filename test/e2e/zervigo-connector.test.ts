import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../demo/dataset.ts';
import { loadDemoData } from '../../demo/load.ts';
import { integrationsSubgraph } from '../../subgraphs/integrations/index.ts';
import { optionsFor } from '../../subgraphs/integrations/test/setup.ts';
import { ZERVIGO_SERVICES, ZervigoClient } from '../../platform/zervigo-client.ts';
import { FAKE_ZERVIGO_JOBS, FAKE_ZERVIGO_PASSWORD, startFakeZervigo, type FakeZervigo } from '../fake-zervigo/server.ts';
import { codes, graphql } from '../support/client.ts';
import { eventually } from '../support/eventually.ts';
import { FLAGSHIP } from './flagship.ts';
import { startTestSupergraph } from '../support/services.ts';

const TALENTS = `{ talents(first: 3, orderBy: { field: NAME, direction: ASC }) { totalCount edges { node { id name platformSync { status externalId } } } } }`;
const WITH_SKILLS = `{ talents(first: 50) { edges { node { id name platformSync { status externalId } resumes { skills { skill { name } } } } } } }`;
const SYNC = `mutation($id: ID!) { syncTalentToPlatform(talentId: $id) { status externalId lastSyncedAt lastError talent { id name } } }`;
const TALENT = `query($id: ID!) { talent(id: $id) { name platformSync { status externalId } platformMatches(first: 3) { externalJobId title companyName score reasons } } }`;
const SYNC_ALL = `mutation { syncAllTalents { id status total } }`;
const JOB = `query($id: ID!) { syncJob(id: $id) { status total done failed pending } }`;
const STATUS = `query { externalPlatformStatus(refresh: true) { healthy services { name healthy latencyMs checkedAt error } } }`;

type TalentNode = { id: string; name: string; platformSync: { status: string; externalId: string | null } };

/**
 * Issue 10 end to end, as the README walks it: a Zervigo account signs in to (the fake) Zervigo,
 * queries Looma through the gateway with that token, syncs one talent, watches a full sync
 * finish; then Zervigo goes down and the rest of the supergraph carries on.
 */
describe('the Zervigo connector through the gateway (demo dataset, fake Zervigo)', () => {
  let fake: FakeZervigo;
  let supergraph: Awaited<ReturnType<typeof startTestSupergraph>>;
  let url: string;
  let hrAdmin: string;

  // Timeouts of 5 s, not the fake's 1 s: this suite shares a busy CI machine with a whole supergraph.
  beforeAll(async () => {
    fake = await startFakeZervigo();
    supergraph = await startTestSupergraph(loadDemoData, [integrationsSubgraph(() => optionsFor(fake, { zervigo: fake.config({ timeoutMs: 5_000 }) }))], { zervigo: fake.config({ timeoutMs: 5_000 }) });
    await supergraph.built();
    url = supergraph.url;
    // The README's first step: sign in to Zervigo (its login endpoint) and keep the token.
    hrAdmin = (await new ZervigoClient(fake.config({ timeoutMs: 5_000 })).login('hr_admin', FAKE_ZERVIGO_PASSWORD)).token;
  });
  afterAll(async () => {
    await supergraph?.stop();
    await fake?.stop();
  });

  it('a Zervigo data admin syncs a talent, sees its state and its Zervigo job matches', async () => {
    // A talent whose latest resume names a skill some Zervigo job asks for.
    const jobSkills = new Set(FAKE_ZERVIGO_JOBS.flatMap((job) => job.skills.map((skill) => skill.toLowerCase())));
    const listed = await graphql<{ talents: { edges: { node: TalentNode & { resumes: { skills: { skill: { name: string } }[] }[] } }[] } }>(url, WITH_SKILLS, {}, hrAdmin);
    expect(listed.errors).toBeUndefined();
    const talent = listed.data!.talents.edges.map((edge) => edge.node).find((node) => node.resumes[0]?.skills.some(({ skill }) => jobSkills.has(skill.name.toLowerCase())))!;
    expect(talent).toBeDefined();
    expect(talent.platformSync).toEqual({ status: 'NOT_SYNCED', externalId: null });

    const synced = await graphql<{ syncTalentToPlatform: { status: string; externalId: string; talent: { id: string; name: string } } }>(url, SYNC, { id: talent.id }, hrAdmin);
    expect(synced.errors).toBeUndefined();
    expect(synced.data!.syncTalentToPlatform).toMatchObject({ status: 'SYNCED', talent: { id: talent.id, name: talent.name } });
    const candidate = fake.candidates().find((record) => record.external_ref === talent.id)!;
    expect(candidate).toMatchObject({ id: synced.data!.syncTalentToPlatform.externalId, name: talent.name });
    expect(fake.resumes().filter((resume) => resume.user_id === candidate.id)).toHaveLength(1);

    const read = await graphql<{ talent: { name: string; platformSync: { status: string }; platformMatches: { title: string | null; score: number }[] } }>(url, TALENT, { id: talent.id }, hrAdmin);
    expect(read.errors).toBeUndefined();
    expect(read.data!.talent.platformSync.status).toBe('SYNCED');
    const matches = read.data!.talent.platformMatches;
    expect(matches.length).toBeGreaterThan(0);
    expect(matches.length).toBeLessThanOrEqual(3);
    for (const match of matches) expect(match.title).toBeTruthy();
    expect([...matches].sort((a, b) => b.score - a.score)).toEqual(matches);

    // Syncing again updates the same Zervigo record.
    await graphql(url, SYNC, { id: talent.id }, hrAdmin);
    expect(fake.candidates().filter((record) => record.external_ref === talent.id)).toHaveLength(1);
  });

  it('a full sync finishes with every talent on Zervigo once, and the gateway shows Zervigo healthy', async () => {
    const total = (await graphql<{ talents: { totalCount: number } }>(url, TALENTS, {}, hrAdmin)).data!.talents.totalCount;
    const started = await graphql<{ syncAllTalents: { id: string; total: number } }>(url, SYNC_ALL, {}, hrAdmin);
    expect(started.errors).toBeUndefined();
    expect(started.data!.syncAllTalents.total).toBe(total);
    const done = await eventually(
      async () => (await graphql<{ syncJob: { status: string; done: number; failed: number; pending: number; total: number } }>(url, JOB, { id: started.data!.syncAllTalents.id }, hrAdmin)).data!.syncJob,
      (job) => job.status === 'COMPLETED',
      30_000,
    );
    expect(done).toEqual({ status: 'COMPLETED', total, done: total, failed: 0, pending: 0 });
    const refs = fake.candidates().map((record) => record.external_ref);
    expect(refs).toHaveLength(total);
    expect(new Set(refs).size).toBe(total);

    const status = await graphql<{ externalPlatformStatus: { healthy: boolean; services: { name: string; healthy: boolean }[] } }>(url, STATUS, {}, hrAdmin);
    expect(status.data!.externalPlatformStatus.healthy).toBe(true);
    const health = (await (await fetch(new URL('/health/subgraphs', url))).json()) as { subgraphs: { name: string; status: string; external?: { zervigo: { service: string; healthy: boolean }[] } }[] };
    const integrations = health.subgraphs.find((subgraph) => subgraph.name === 'integrations')!;
    expect(integrations.status).toBe('ready');
    expect(integrations.external!.zervigo.map((service) => service.service)).toEqual([...ZERVIGO_SERVICES]);
    expect(integrations.external!.zervigo.every((service) => service.healthy)).toBe(true);
  });

  it('only data_admin and above may sync: a Zervigo recruiter and a guest are refused', async () => {
    const talentId = (await graphql<{ talents: { edges: { node: TalentNode }[] } }>(url, TALENTS, {}, hrAdmin)).data!.talents.edges[1]!.node.id;
    const client = new ZervigoClient(fake.config({ timeoutMs: 5_000 }));
    for (const username of ['recruiter', 'visitor']) {
      const { token } = await client.login(username, FAKE_ZERVIGO_PASSWORD);
      expect(codes(await graphql(url, SYNC, { id: talentId }, token))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(url, SYNC_ALL, {}, token))).toEqual(['FORBIDDEN']);
    }
  });

  it('with Zervigo down, the rest of the supergraph is unaffected and the connector says what is wrong', async () => {
    const admin = (await graphql<{ login: { token: string } }>(url, `mutation { login(email: "admin@looma.dev", password: "${DEMO_PASSWORD}") { token } }`)).data!.login.token;
    const before = await graphql(url, FLAGSHIP, { first: 5 }, admin);
    expect(before.errors).toBeUndefined();
    for (const service of ZERVIGO_SERVICES) await fake.down(service);
    try {
      const during = await graphql(url, FLAGSHIP, { first: 5 }, admin);
      expect(during).toEqual(before);
      // What the connector keeps locally still answers; what needs Zervigo says it is unavailable.
      const listed = await graphql<{ talents: { edges: { node: TalentNode }[] } }>(url, TALENTS, {}, admin);
      expect(listed.errors).toBeUndefined();
      expect(listed.data!.talents.edges[0]!.node.platformSync.status).toBe('SYNCED');
      expect(codes(await graphql(url, SYNC, { id: listed.data!.talents.edges[0]!.node.id }, admin))).toEqual(['SERVICE_UNAVAILABLE']);
      const status = await graphql<{ externalPlatformStatus: { healthy: boolean; services: { healthy: boolean; error: string | null }[] } }>(url, STATUS, {}, admin);
      expect(status.data!.externalPlatformStatus.healthy).toBe(false);
      expect(status.data!.externalPlatformStatus.services.every((service) => !service.healthy && service.error)).toBe(true);
      // A Zervigo token cannot be checked now (503), a Looma token works as ever.
      const refused = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${await fake.issueToken({ id: 'zu-9', username: 'late', role: 'admin' })}` }, body: JSON.stringify({ query: '{ __typename }' }) });
      expect(refused.status).toBe(503);
      const health = (await (await fetch(new URL('/health/ready', url))).json()) as { status: string };
      expect(health.status).toBe('ready');
    } finally {
      for (const service of ZERVIGO_SERVICES) await fake.up(service);
    }
  });
});
