import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN_EMAIL } from '../../demo/dataset.ts';
import { loadDemoData } from '../../demo/load.ts';
import { graphql } from '../support/client.ts';
import { signIn } from '../support/signed-in.ts';
import { eventually } from '../support/eventually.ts';
import { startTestSupergraph } from '../support/services.ts';

/**
 * SQL and Cypher injection strings in the free-text arguments, sent through the gateway (issue 9,
 * attack 20): each is stored and read back as the plain text it is, searched for as text, and
 * nothing else changes (no table or node is gone).
 */
const INJECTIONS = [
  "Robert'); DROP TABLE companies;--",
  "' OR '1'='1' --",
  '"; DELETE FROM talents WHERE "1"="1',
  "x'; SELECT pg_sleep(5); --",
  "'}) MATCH (n) DETACH DELETE n //",
  '") WITH 1 AS x MATCH (t:Talent) SET t.name = "pwned" //',
  '%_\\ $1 $$ :param {{}} ${name}',
];

describe('injection strings through the gateway', () => {
  let supergraph: Awaited<ReturnType<typeof startTestSupergraph>>;
  let url: string;
  let token: string;
  const as = <Data>(query: string, variables: Record<string, unknown> = {}) => graphql<Data>(url, query, variables, token);
  const counts = async () => {
    const { data, errors } = await as<{ companies: { totalCount: number }; talents: { totalCount: number }; jobs: { totalCount: number } }>(
      '{ companies { totalCount } talents { totalCount } jobs { totalCount } }',
    );
    expect(errors).toBeUndefined();
    return data!;
  };

  beforeAll(async () => {
    supergraph = await startTestSupergraph(loadDemoData);
    await supergraph.built();
    url = supergraph.url;
    token = await signIn(url, DEMO_ADMIN_EMAIL);
  });
  afterAll(() => supergraph?.stop());

  it('stores each as plain text, finds it as text, and changes nothing else', async () => {
    const before = await counts();
    const created: { company: string; talent: string; text: string }[] = [];
    for (const text of INJECTIONS) {
      const company = await as<{ createCompany: { id: string; name: string; description: string } }>(
        'mutation($text: String!) { createCompany(input: { name: $text, description: $text }) { id name description } }',
        { text },
      );
      expect(company.errors).toBeUndefined();
      expect(company.data!.createCompany).toMatchObject({ name: text, description: text });
      const talent = await as<{ createTalent: { id: string; name: string; headline: string } }>(
        'mutation($text: String!) { createTalent(input: { name: $text, headline: $text }) { id name headline } }',
        { text },
      );
      expect(talent.errors).toBeUndefined();
      expect(talent.data!.createTalent).toMatchObject({ name: text, headline: text });
      const job = await as<{ createJob: { title: string } }>(
        'mutation($company: ID!, $text: String!) { createJob(input: { companyId: $company, title: $text, description: $text, employmentType: FULL_TIME }) { title } }',
        { company: company.data!.createCompany.id, text },
      );
      expect(job.errors).toBeUndefined();
      expect(job.data!.createJob.title).toBe(text);
      created.push({ company: company.data!.createCompany.id, talent: talent.data!.createTalent.id, text });
    }

    for (const { company, talent, text } of created) {
      // Read back through the filters that take free text: matched as text, not as SQL.
      const byName = await as<{ companies: { edges: { node: { id: string } }[] } }>('query($text: String!) { companies(filter: { nameContains: $text }) { edges { node { id } } } }', { text });
      expect(byName.errors).toBeUndefined();
      expect(byName.data!.companies.edges.map((edge) => edge.node.id)).toContain(company);
      const talents = await as<{ talents: { edges: { node: { id: string } }[] } }>('query($text: String!) { talents(filter: { search: $text }) { edges { node { id } } } }', { text });
      expect(talents.errors).toBeUndefined();
      expect(talents.data!.talents.edges.map((edge) => edge.node.id)).toContain(talent);
      // The graph and the search index take the same text from the events, and answer as usual.
      const graph = await as<{ talentGraph: { nodes: { label: string }[] } | null }>('query($id: ID!) { talentGraph(centerId: $id) { nodes { label } } }', { id: talent });
      expect(graph.errors).toBeUndefined();
      for (const query of ['query($text: String!) { search(query: $text) { totalCount } }', 'query($text: String!) { suggest(prefix: $text) { text } }']) {
        const answer = await as(query, { text: text.slice(0, 200) });
        expect(answer.errors, `${query} ${text}`).toBeUndefined();
      }
    }
    // The first string's company is found by search as the words it holds.
    await eventually(
      async () => (await as<{ search: { edges: { node: { entity: { id?: string } | null } }[] } }>('query($text: String!) { search(query: $text, first: 50) { edges { node { entity { ... on Company { id } } } } } }', { text: INJECTIONS[0] })).data,
      (data) => data?.search.edges.some((edge) => edge.node.entity?.id === created[0]!.company) ?? false,
    );

    const after = await counts();
    expect(after).toEqual({
      companies: { totalCount: before.companies.totalCount + INJECTIONS.length },
      talents: { totalCount: before.talents.totalCount + INJECTIONS.length },
      jobs: { totalCount: before.jobs.totalCount + INJECTIONS.length },
    });
    // No talent's name was set by the Cypher string: "pwned" is only in the talent that holds that string.
    const pwned = await as<{ talents: { edges: { node: { id: string } }[] } }>('{ talents(filter: { search: "pwned" }) { edges { node { id } } } }');
    expect(pwned.data!.talents.edges.map((edge) => edge.node.id)).toEqual(created.filter(({ text }) => text.includes('pwned')).map(({ talent }) => talent));
  }, 120_000);
});
