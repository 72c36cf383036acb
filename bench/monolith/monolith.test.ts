import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN_EMAIL } from '../../demo/dataset.ts';
import { loadDemoData } from '../../demo/load.ts';
import type { RunningService } from '../../platform/http.ts';
import { ROOT } from '../../platform/registry.ts';
import { graphql, type GraphQLResponse } from '../../test/support/client.ts';
import { signIn } from '../../test/support/signed-in.ts';
import { FLAGSHIP } from '../../test/e2e/flagship.ts';
import { scrapeTotal } from '../../test/support/metrics.ts';
import { startTestSupergraph } from '../../test/support/services.ts';
import { startMonolith } from './server.ts';

const operation = (name: string) => readFileSync(join(ROOT, 'operations', `${name}.graphql`), 'utf8');

/** What a client can compare of an error: its code and where it is. */
const errorsOf = (response: GraphQLResponse<unknown>) => (response.errors ?? []).map((error) => ({ code: error.extensions?.code, path: error.path }));

describe('the monolith baseline answers as Looma\'s gateway does (demo dataset)', () => {
  let supergraph: Awaited<ReturnType<typeof startTestSupergraph>>;
  let monolith: RunningService;
  const tokens = { admin: '', guest: '' };

  const signInAt = (email: string) => signIn(supergraph.url, email);

  /** The same operation through the gateway and through the monolith. */
  const both = async <Data = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, token?: string) => {
    const [gateway, direct] = await Promise.all([graphql<Data>(supergraph.url, query, variables, token), graphql<Data>(monolith.url, query, variables, token)]);
    return { gateway, monolith: direct };
  };

  /** Asserts one answer, errors none, and returns its data. */
  const same = async <Data = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, token = tokens.admin) => {
    const answers = await both<Data>(query, variables, token);
    expect(answers.gateway.errors, JSON.stringify(answers.gateway.errors)).toBeUndefined();
    expect(answers.monolith).toEqual(answers.gateway);
    return answers.gateway.data!;
  };

  beforeAll(async () => {
    supergraph = await startTestSupergraph(loadDemoData);
    await supergraph.built();
    monolith = await startMonolith({ stores: new Map([...supergraph.subgraphs].map(([name, running]) => [name, running.stores])), port: 0, host: '127.0.0.1' });
    tokens.admin = await signInAt(DEMO_ADMIN_EMAIL);
    tokens.guest = await signInAt('guest@looma.dev');
  });
  afterAll(async () => {
    await monolith?.stop();
    await supergraph?.stop();
  });

  it('shows clients the same schema: every type, field, argument and description', async () => {
    const data = await same<{ __schema: { types: unknown[] } }>(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }));
    expect(data.__schema.types.length).toBeGreaterThan(100);
  });

  it.each([5, 50])('answers the flagship query for %i talents with exactly the same data', async (first) => {
    const data = await same<{ talents: { edges: { node: { resumes: unknown[]; applications: { edges: unknown[] } } }[] } }>(FLAGSHIP, { first });
    const talents = data.talents.edges.map((edge) => edge.node);
    expect(talents).toHaveLength(first);
    // Five subgraphs' worth of data, not a page of nulls answered alike.
    expect(talents.some((talent) => talent.resumes.length > 0 && talent.applications.edges.length > 0)).toBe(true);
  });

  it('resolves the same entities from a search, each by the subgraph that owns it', async () => {
    type Hit = { node: { type: string; entity: { id: string; name?: string; title?: string } | null } };
    const data = await same<{ search: { edges: Hit[] } }>(operation('Search'), { query: 'java', first: 30 });
    const entities = data.search.edges.map((edge) => edge.node);
    expect(entities.find((hit) => hit.type === 'TALENT')?.entity?.name).toEqual(expect.any(String));
    expect(entities.find((hit) => hit.type === 'JOB')?.entity?.title).toEqual(expect.any(String));
  });

  it('answers job matches both ways: a talent\'s jobs and a job\'s talents', async () => {
    const { talents } = await same<{ talents: { edges: { node: { id: string } }[] } }>('{ talents(first: 3) { edges { node { id } } } }');
    const talentMatches = await same<{ talent: { matchingJobs: { job: { company: { name: string } } }[] } }>(operation('TalentMatches'), { id: talents.edges[0]!.node.id, first: 5 });
    expect(talentMatches.talent.matchingJobs.length).toBeGreaterThan(0);
    const jobMatches = await same<{ jobs: { edges: { node: { matchingTalents: { talent: { name: string } }[] } }[] } }>(
      '{ jobs(first: 3) { edges { node { id title matchingTalents(first: 5) { score talent { id name headline } explanation { parts { name value weight } matchedSkills { __typename } } } } } } }',
    );
    expect(jobMatches.jobs.edges.some((edge) => edge.node.matchingTalents.length > 0)).toBe(true);
  });

  it('writes through the same stores: a company created through either reads back alike through both', async () => {
    const create = 'mutation($input: CreateCompanyInput!) { createCompany(input: $input) { id name industry size } }';
    const read = 'query($id: ID!) { company(id: $id) { id name industry size createdAt } }';
    const throughMonolith = await graphql<{ createCompany: { id: string; name: string } }>(monolith.url, create, { input: { name: 'Monolith Made Ltd', industry: 'Benchmarks', size: 'SMALL' } }, tokens.admin);
    expect(throughMonolith.errors).toBeUndefined();
    expect(throughMonolith.data!.createCompany).toMatchObject({ name: 'Monolith Made Ltd', industry: 'Benchmarks', size: 'SMALL' });
    const throughGateway = await graphql<{ createCompany: { id: string } }>(supergraph.url, create, { input: { name: 'Gateway Made Ltd', size: 'LARGE' } }, tokens.admin);
    for (const created of [throughMonolith.data!.createCompany, throughGateway.data!.createCompany]) {
      const data = await same<{ company: { id: string } | null }>(read, { id: created.id });
      expect(data.company?.id).toBe(created.id);
    }
  });

  it('refuses what the subgraphs refuse, with the same codes at the same paths', async () => {
    const protectedFields = '{ jobs(first: 3) { edges { node { title statusHistory { to at } matchingTalents(first: 2) { score } } } } }';
    const createCompany = 'mutation { createCompany(input: { name: "Nobody Ltd" }) { id } }';
    for (const [query, token, code] of [
      [protectedFields, undefined, 'UNAUTHENTICATED'],
      [createCompany, undefined, 'UNAUTHENTICATED'],
      [protectedFields, tokens.guest, 'FORBIDDEN'],
      [createCompany, tokens.guest, 'FORBIDDEN'],
    ] as const) {
      const answers = await both(query, {}, token);
      expect(errorsOf(answers.gateway).map((error) => error.code)).toContain(code);
      expect(errorsOf(answers.monolith)).toEqual(errorsOf(answers.gateway));
      expect(answers.monolith.data).toEqual(answers.gateway.data);
    }
  });

  it('refuses a bad token with 401 before anything runs, as the gateway does', async () => {
    const statuses = await Promise.all(
      [supergraph.url, monolith.url].map(async (url) => {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-token' }, body: '{"query":"{ __typename }"}' });
        return { status: response.status, codes: errorsOf((await response.json()) as GraphQLResponse<unknown>).map((error) => error.code) };
      }),
    );
    expect(statuses[0]).toEqual({ status: 401, codes: ['UNAUTHENTICATED'] });
    expect(statuses[1]).toEqual(statuses[0]);
  });

  it('batches entity resolution as _entities does: 50 talents cost no more SQL statements than 5', async () => {
    const statements = async () => {
      let total = 0;
      for (const { service } of supergraph.subgraphs.values()) total += await scrapeTotal(service.url, 'db_queries_total');
      return total;
    };
    const cost = async (first: number) => {
      const before = await statements();
      const result = await graphql(monolith.url, FLAGSHIP, { first }, tokens.admin);
      expect(result.errors).toBeUndefined();
      return (await statements()) - before;
    };
    await cost(5); // warms the caches a first request fills
    expect(await cost(50)).toBe(await cost(5));
  });
});
