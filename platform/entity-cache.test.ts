import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { graphql } from '../test/support/client.ts';
import { contractSuite } from '../test/support/contract.ts';
import { freshDb } from '../test/support/databases.ts';
import { eventually } from '../test/support/eventually.ts';
import { scrape } from '../test/support/metrics.ts';
import { REDIS_URL, openTestRedis } from '../test/support/redis.ts';
import { anonymousToken, tokenFor } from '../test/support/services.ts';
import { companies, type Stores as CompanyStores } from '../subgraphs/companies/index.ts';
import { skills, type Stores as SkillStores } from '../subgraphs/skills/index.ts';
import { EntityCache } from './entity-cache.ts';
import { RedisStreamBus } from './events/index.ts';
import { prepareStores, startSubgraph, type RunningSubgraphService, type SubgraphDefinition } from './subgraph.ts';

const { redis, target } = await openTestRedis();

contractSuite('entity cache', target, () => {
  // Each run its own keys and its own event stream, so parallel runs on one Redis do not meet.
  const run = randomBytes(4).toString('hex');
  const prefix = `looma:cache:test-${run}`;
  const stream = `looma:events:test-${run}`;
  const TTL = 120;
  const GUARD = 1;
  let bus: RedisStreamBus;
  let busRedis: Redis;
  const stops: (() => Promise<void>)[] = [];
  let skillsService: RunningSubgraphService<SkillStores>;
  let skillStores: SkillStores;
  let companiesService: RunningSubgraphService<CompanyStores>;
  let companyStores: CompanyStores;
  let admin: string;
  let anonymous: string;

  async function start<Stores>(definition: SubgraphDefinition<Stores>) {
    const { db, drop } = await freshDb('pglite', definition.name);
    const stores = await prepareStores(definition, db);
    const service = await startSubgraph(definition, { db, stores, host: '127.0.0.1', port: 0, bus, cache: { url: REDIS_URL, prefix, ttlSeconds: TTL, guardSeconds: GUARD } });
    service.publish();
    stops.push(async () => {
      await service.stop();
      await drop();
    });
    return { service, stores };
  }

  beforeAll(async () => {
    busRedis = redis!.duplicate();
    bus = new RedisStreamBus(busRedis, { stream, batchSize: 100, blockMs: 100, claimIdleMs: 1_000 });
    ({ service: skillsService, stores: skillStores } = await start(skills));
    ({ service: companiesService, stores: companyStores } = await start(companies));
    admin = await tokenFor('admin');
    anonymous = await anonymousToken();
  });

  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    await bus?.close();
    busRedis?.disconnect();
    const keys = await redis!.keys(`${prefix}:*`);
    if (keys.length) await redis!.del(...keys);
    await redis!.del(stream);
    redis!.disconnect();
  });

  const skillName = async (id: string) =>
    (await graphql<{ skill: { name: string; updatedAt: string } | null }>(skillsService.url, `query($id: ID!) { skill(id: $id) { name updatedAt } }`, { id }, anonymous)).data!
      .skill;
  const companyName = async (id: string) =>
    (
      await graphql<{ _entities: ({ name: string } | null)[] }>(
        companiesService.url,
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Company { name } } }`,
        { r: [{ __typename: 'Company', id }] },
        anonymous,
      )
    ).data!._entities[0];
  const requests = async (url: string, type: string, outcome: 'hit' | 'miss') =>
    (await scrape(url)).samples.find((s) => s.name === 'entity_cache_requests_total' && s.labels.type === type && s.labels.outcome === outcome)?.value ?? 0;
  /**
   * Reads until the entity is cached: a key written within GUARD seconds of the entity's last event refuses the fill.
   * First waits for the tombstone its `*.created` event leaves, or a fill made before that event arrived would be
   * replaced by it, and the next read would miss.
   */
  const cachedAfterReading = async (key: string, read: () => Promise<unknown>) => {
    await eventually(() => redis!.get(key), (value) => value !== null, 5_000);
    return eventually(
      async () => {
        await read();
        return redis!.get(key);
      },
      (value) => value?.startsWith('{') ?? false,
      GUARD * 1_000 + 3_000,
    );
  };

  it('serves a second lookup from the cache, as JSON under looma:cache:<subgraph>:<Type>:<id> with the TTL', async () => {
    const skill = await skillStores.skills.create({ name: `Cached ${run}`, category: 'TOOL', aliases: [], description: null, relatedIds: [] });
    const key = `${prefix}:skills:Skill:${skill.id}`;
    await cachedAfterReading(key, () => skillName(skill.id));
    const hits = await requests(skillsService.url, 'Skill', 'hit');
    expect(await skillName(skill.id)).toEqual({ name: `Cached ${run}`, updatedAt: skill.updatedAt.toISOString() });
    expect(await requests(skillsService.url, 'Skill', 'hit')).toBe(hits + 1);
    expect(await requests(skillsService.url, 'Skill', 'miss')).toBeGreaterThan(0);
    const ttl = await redis!.ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(TTL);
  });

  it('shows an update through GraphQL on the next read', async () => {
    const skill = await skillStores.skills.create({ name: `Renamed ${run}`, category: 'TOOL', aliases: [], description: null, relatedIds: [] });
    await cachedAfterReading(`${prefix}:skills:Skill:${skill.id}`, () => skillName(skill.id));
    const updated = await graphql(skillsService.url, `mutation($id: ID!) { updateSkill(id: $id, input: { name: "Renamed again ${run}" }) { id } }`, { id: skill.id }, admin);
    expect(updated.errors).toBeUndefined();
    expect((await skillName(skill.id))?.name).toBe(`Renamed again ${run}`);

    const company = await companyStores.companies.create({ name: `Acme ${run}`, industry: null, size: null, website: null, location: null, description: null });
    await cachedAfterReading(`${prefix}:companies:Company:${company.id}`, () => companyName(company.id));
    const hits = await requests(companiesService.url, 'Company', 'hit');
    expect(await companyName(company.id)).toEqual({ name: `Acme ${run}` });
    expect(await requests(companiesService.url, 'Company', 'hit')).toBe(hits + 1);
    await graphql(companiesService.url, `mutation($id: ID!) { updateCompany(id: $id, input: { name: "Acme Two ${run}" }) { id } }`, { id: company.id }, admin);
    expect(await companyName(company.id)).toEqual({ name: `Acme Two ${run}` });
  });

  it('invalidates on the domain event of a change made elsewhere (another replica, a related skill)', async () => {
    const skill = await skillStores.skills.create({ name: `Elsewhere ${run}`, category: 'TOOL', aliases: [], description: null, relatedIds: [] });
    await cachedAfterReading(`${prefix}:skills:Skill:${skill.id}`, () => skillName(skill.id));
    // Straight to the store: no resolver invalidates, only the skill.updated event can.
    await skillStores.skills.update(skill.id, { name: `Changed elsewhere ${run}` });
    await eventually(() => skillName(skill.id), (read) => read?.name === `Changed elsewhere ${run}`);

    // Giving B the relation to A changes A too (its updatedAt): the write path invalidates B, A's own event A.
    const other = await skillStores.skills.create({ name: `Other ${run}`, category: 'TOOL', aliases: [], description: null, relatedIds: [] });
    const before = await cachedAfterReading(`${prefix}:skills:Skill:${skill.id}`, () => skillName(skill.id));
    const related = await graphql(
      skillsService.url,
      `mutation($id: ID!, $other: ID!) { updateSkill(id: $id, input: { relatedSkillIds: [$other] }) { id } }`,
      { id: other.id, other: skill.id },
      admin,
    );
    expect(related.errors).toBeUndefined();
    const after = await eventually(() => skillName(skill.id), (read) => read?.updatedAt !== JSON.parse(before!).updatedAt);
    expect(after?.updatedAt).toBe((await skillStores.skills.getMany([skill.id]))[0]!.updatedAt.toISOString());
  });

  it('does not serve a deleted entity from the cache', async () => {
    const viaGraphql = await skillStores.skills.create({ name: `Doomed ${run}`, category: 'TOOL', aliases: [], description: null, relatedIds: [] });
    await cachedAfterReading(`${prefix}:skills:Skill:${viaGraphql.id}`, () => skillName(viaGraphql.id));
    expect((await graphql(skillsService.url, `mutation($id: ID!) { deleteSkill(id: $id) }`, { id: viaGraphql.id }, admin)).errors).toBeUndefined();
    expect(await skillName(viaGraphql.id)).toBeNull();

    const viaEvent = await companyStores.companies.create({ name: `Gone ${run}`, industry: null, size: null, website: null, location: null, description: null });
    await cachedAfterReading(`${prefix}:companies:Company:${viaEvent.id}`, () => companyName(viaEvent.id));
    await companyStores.companies.delete(viaEvent.id);
    await eventually(() => companyName(viaEvent.id), (read) => read === null);
  });

  it('refuses a fill of what was read before an invalidation, for the guard period', async () => {
    const cache = new EntityCache(redis!.duplicate(), { subgraph: 'race', prefix, ttlSeconds: TTL, guardSeconds: GUARD });
    try {
      const id = randomBytes(8).toString('hex');
      // A reader has read the old row; the change commits and is invalidated; the reader fills.
      await cache.invalidate('Thing', [id]);
      await cache.setMany('Thing', [{ id, value: { name: 'old' } }]);
      expect(await cache.getMany('Thing', [id])).toEqual([undefined]);
      // Once the guard has passed, a fill caches again.
      await new Promise((resolve) => setTimeout(resolve, GUARD * 1_000 + 100));
      await cache.setMany('Thing', [{ id, value: { name: 'new' } }]);
      expect(await cache.getMany('Thing', [id])).toEqual([{ name: 'new' }]);
      // A fill never overwrites a cached entity (a later reader's fresher one, say).
      await cache.setMany('Thing', [{ id, value: { name: 'older' } }]);
      expect(await cache.getMany('Thing', [id])).toEqual([{ name: 'new' }]);
    } finally {
      await cache.close();
    }
  });
});
