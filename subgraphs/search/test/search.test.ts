import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../../demo/load.ts';
import { outboxEvent, type DomainEvent, type OutboxRow } from '../../../platform/events/index.ts';
import { encodeCursor } from '../../../platform/pagination.ts';
import { codes, graphql } from '../../../test/support/client.ts';
import { signIn } from '../../../test/support/signed-in.ts';
import { eventually } from '../../../test/support/eventually.ts';
import { startTestSupergraph } from '../../../test/support/services.ts';
import { evaluate, formatEvaluation, loadJudgments } from '../../../test/relevance/metrics.ts';
import { gatewaySearch } from './relevance.ts';
import type { Db } from '../../../platform/db/db.ts';
import { ELASTICSEARCH_URL, elasticsearchTarget } from '../../../test/support/elasticsearch.ts';
import { contractSuite } from '../../../test/support/contract.ts';
import { PGLITE_TARGET } from '../../../test/support/databases.ts';
import { search as searchSubgraph } from '../index.ts';
import { ElasticsearchSearchIndex } from '../store.elasticsearch.ts';
import { Taxonomy } from '../taxonomy.ts';

/**
 * Search through the gateway on the demo data, kept current by the owners' events: once with
 * the embedded index (the subgraph's PostgreSQL schema), once on Elasticsearch, the same suite.
 */

const indexBackends = [
  { target: { ...PGLITE_TARGET, label: 'its PostgreSQL schema (PGlite)' }, floors: { ndcg: 0.83, mrr: 0.95 }, start: () => startTestSupergraph(loadDemoData) },
  {
    target: await elasticsearchTarget(),
    floors: { ndcg: 0.82, mrr: 0.95 },
    start: async () => {
      const alias = `looma-e2e-${randomUUID().slice(0, 8)}`;
      const index = await ElasticsearchSearchIndex.create(ELASTICSEARCH_URL, alias);
      // The test owns the client: it deletes the test's indices after the supergraph has stopped.
      const replacement = { ...searchSubgraph, createStores: (db: Db) => ({ index, db, taxonomy: new Taxonomy(db) }), close: async () => {} };
      const started = await startTestSupergraph(loadDemoData, [replacement]);
      return {
        ...started,
        async stop() {
          await started.stop();
          await index.client.indices.delete({ index: `${alias}-*` }, { ignore: [404] });
          await index.close();
        },
      };
    },
  },
];

let supergraph: Awaited<ReturnType<typeof startTestSupergraph>>;
let url: string;
const tokens: Record<'admin' | 'recruiter' | 'guest', string> = { admin: '', recruiter: '', guest: '' };

const login = (email: string): Promise<string> => signIn(url, email);

async function ok<Data = Record<string, unknown>>(who: keyof typeof tokens | 'anonymous', query: string, variables: Record<string, unknown> = {}): Promise<Data> {
  const result = await graphql<Data>(url, query, variables, who === 'anonymous' ? undefined : tokens[who]);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!;
}


const SEARCH = `query($query: String!, $types: [SearchType!], $filters: SearchFilters, $first: Int) {
  search(query: $query, types: $types, filters: $filters, first: $first) {
    totalCount
    totalCountIsExact
    edges { node { score type highlights { field snippets } entity {
      __typename
      ... on Talent { id name }
      ... on Job { id title company { name } }
      ... on Company { id name }
      ... on Project { id name }
      ... on Skill { id name }
    } } }
    facets { skills { value count } location { value count } company { value count } employmentType { value count } seniority { value count } }
  }
}`;

interface Hit {
  score: number;
  type: string;
  highlights: { field: string; snippets: string[] }[];
  /** Null only for an entity deleted a moment ago (see the freshness tests). */
  entity: { __typename: string; id: string; name?: string; title?: string; company?: { name: string } };
}
interface Results {
  search: { totalCount: number; totalCountIsExact: boolean; edges: { node: Hit }[]; facets: Record<'skills' | 'location' | 'company' | 'employmentType' | 'seniority', { value: string; count: number }[]> };
}

const search = (who: keyof typeof tokens | 'anonymous', query: string, variables: Record<string, unknown> = {}) =>
  ok<Results>(who, SEARCH, { query, first: 20, ...variables }).then((data) => data.search);
const hits = (results: Results['search']) => results.edges.map((edge) => edge.node);

for (const backend of indexBackends) {
  contractSuite('search through the gateway', backend.target, () => {
    beforeAll(async () => {
      supergraph = await backend.start();
      url = supergraph.url;
      await supergraph.built();
      tokens.admin = await login('admin@looma.dev');
      tokens.recruiter = await login('recruiter@looma.dev');
      tokens.guest = await login('guest@looma.dev');
    }, 120_000);
    afterAll(() => supergraph?.stop());

    describe('search through the gateway', () => {
      it('finds every kind of entity, each resolved by its owner, with highlights and facets', async () => {
        const results = await search('recruiter', 'typescript');
        const found = hits(results);
        expect(results.totalCount).toBeGreaterThan(5);
        expect(results.totalCountIsExact).toBe(true);
        expect(new Set(found.map((hit) => hit.type))).toEqual(expect.objectContaining(new Set(['SKILL', 'TALENT', 'JOB'])));
        const skill = found.find((hit) => hit.type === 'SKILL')!;
        expect(skill.entity).toMatchObject({ __typename: 'Skill', name: 'TypeScript' });
        expect(skill.highlights.find((highlight) => highlight.field === 'title')!.snippets).toEqual(['<em>TypeScript</em>']);
        for (const hit of found) expect(hit.entity.name ?? hit.entity.title).toEqual(expect.any(String));
        const scores = found.map((hit) => hit.score);
        expect(scores).toEqual([...scores].sort((a, b) => b - a));
        expect(results.facets.skills[0]).toEqual({ value: 'TypeScript', count: expect.any(Number) });
        expect(results.facets.seniority.length).toBeGreaterThan(0);
      });

      it('answers the issue\'s request: talents for "senior typescript shanghai" with facets, each with their latest resume and colleagues', async () => {
        const { search: results } = await ok<{
          search: {
            facets: { location: { value: string; count: number }[] };
            edges: { node: { entity: { name: string; location: { city: string } | null; resumes: { title: string; skills: { skill: { name: string } }[] }[]; colleagueCount: number } } }[];
          };
        }>(
          'recruiter',
          `{ search(query: "senior typescript shanghai", types: [TALENT], first: 5) {
              facets { location { value count } seniority { value count } }
              edges { node { entity { ... on Talent { name location { city } resumes { title skills { skill { name } } } colleagueCount } } } } } }`,
        );
        const [best] = results.edges.map((edge) => edge.node.entity);
        expect(best!.location?.city).toBe('Shanghai');
        expect(best!.resumes[0]!.title).toMatch(/senior/i);
    expect(best!.resumes[0]!.skills.map((skill) => skill.skill.name)).toContain('TypeScript');
        expect(best!.colleagueCount).toEqual(expect.any(Number));
        expect(results.facets.location.map((facet) => facet.value)).toContain('Shanghai');
      });

      it('tolerates typos and understands skill aliases', async () => {
        const typo = hits(await search('recruiter', 'javscript', { types: ['SKILL'] }));
        expect(typo[0]!.entity.name).toBe('JavaScript');
        const alias = hits(await search('recruiter', 'k8s', { types: ['SKILL'] }));
        expect(alias[0]!.entity.name).toBe('Kubernetes');
      });

      it('narrows by type and by facet values', async () => {
        const all = await search('recruiter', 'engineer', { types: ['JOB'] });
        const [location] = all.facets.location;
        const narrowed = await search('recruiter', 'engineer', { types: ['JOB'], filters: { location: [location!.value] } });
        expect(narrowed.totalCount).toBe(location!.count);
        expect(hits(narrowed).every((hit) => hit.type === 'JOB')).toBe(true);
      });

      it('shows a guest public entities only: no talent is found, counted or highlighted', async () => {
        const asRecruiter = await search('recruiter', 'engineer');
        const asGuest = await search('guest', 'engineer');
        expect(hits(asRecruiter).some((hit) => hit.type === 'TALENT')).toBe(true);
        expect(hits(asGuest).some((hit) => hit.type === 'TALENT')).toBe(false);
        expect(asGuest.totalCount).toBeLessThan(asRecruiter.totalCount);
        const talentName = hits(asRecruiter).find((hit) => hit.type === 'TALENT')!.entity.name!;
        expect((await search('guest', talentName, { types: ['TALENT'] })).totalCount).toBe(0);
        expect((await search('anonymous', talentName)).edges.map((edge) => edge.node.type)).not.toContain('TALENT');
        const suggestions = await ok<{ suggest: { type: string }[] }>('guest', `query($p: String!) { suggest(prefix: $p) { type } }`, { p: talentName.slice(0, 4) });
        expect(suggestions.suggest.map((s) => s.type)).not.toContain('TALENT');
      });

      it('completes prefixes for type-ahead', async () => {
        const { suggest } = await ok<{ suggest: { text: string; type: string; entity: { name?: string } }[] }>(
          'recruiter',
          `query { suggest(prefix: "Typ", types: [SKILL]) { text type entity { ... on Skill { name } } } }`,
        );
        expect(suggest[0]).toEqual({ text: 'TypeScript', type: 'SKILL', entity: { name: 'TypeScript' } });
      });

      it('refuses an empty or overlong query with BAD_USER_INPUT and clamps the page size', async () => {
        for (const query of ['   ', 'x'.repeat(257)]) {
          const result = await graphql(url, SEARCH, { query }, tokens.recruiter);
          expect(codes(result)).toEqual(['BAD_USER_INPUT']);
          expect(result.errors![0]!.extensions!.field).toBe('query');
        }
        const big = await search('recruiter', 'engineer', { first: 1000 });
        expect(big.edges.length).toBeLessThanOrEqual(100);
      });

      it('refuses what the index bounds with BAD_USER_INPUT naming the argument: too many words, a long facet value, a page too deep', async () => {
        const SEARCH_AFTER = `query($query: String!, $filters: SearchFilters, $after: String) { search(query: $query, filters: $filters, after: $after) { totalCount } }`;
        const cases: [Record<string, unknown>, string][] = [
          [{ query: Array.from({ length: 17 }, (_, i) => `word${i}`).join(' ') }, 'query'],
          [{ query: 'engineer', filters: { location: ['x'.repeat(300)] } }, 'filters.location'],
          [{ query: 'engineer', after: encodeCursor(9_990) }, 'after'],
        ];
        for (const [variables, field] of cases) {
          const result = await graphql(url, SEARCH_AFTER, variables, tokens.recruiter);
          expect([field, codes(result), result.errors?.[0]?.extensions?.field]).toEqual([field, ['BAD_USER_INPUT'], field]);
        }
      });
    });

    describe('relevance on the judged query set (test/relevance)', () => {
      it('keeps nDCG@10 and MRR above their floors', async () => {
        const evaluation = await evaluate(await gatewaySearch(url), loadJudgments());
        // The floors sit just under what each backend measures (BENCHMARKS.md): room for ties, not for regressions.
        const report = formatEvaluation(backend.target.label!, evaluation);
        expect(evaluation.ndcg, report).toBeGreaterThanOrEqual(backend.floors.ndcg);
        expect(evaluation.mrr, report).toBeGreaterThanOrEqual(backend.floors.mrr);
      });
    });

    describe('freshness', () => {
      const JOB = `mutation($input: CreateJobInput!) { createJob(input: $input) { id } }`;
      let companyId: string;

      beforeAll(async () => {
        companyId = (await ok<{ createCompany: { id: string } }>('recruiter', `mutation { createCompany(input: { name: "Searchable Ltd" }) { id } }`)).createCompany.id;
      });

      it('finds a new job within 2 seconds, its new title after an update, and nothing once it is deleted', async () => {
        const title = `Quantum Gardener ${randomUUID().slice(0, 6)}`;
        const id = (await ok<{ createJob: { id: string } }>('recruiter', JOB, { input: { companyId, title, employmentType: 'FULL_TIME' } })).createJob.id;
        const created = await eventually(
          () => search('guest', title, { types: ['JOB'] }),
          (results) => hits(results).some((hit) => hit.entity.id === id),
        );
        expect(hits(created)[0]!.entity).toMatchObject({ id, title, company: { name: 'Searchable Ltd' } });

        await ok('recruiter', `mutation($id: ID!) { updateJob(id: $id, input: { title: "Orbital Florist" }) { id } }`, { id });
        await eventually(
          () => search('guest', 'orbital florist', { types: ['JOB'] }),
          (results) => hits(results).some((hit) => hit.entity.id === id),
        );
        expect(hits(await search('guest', 'quantum gardener', { types: ['JOB'] })).some((hit) => hit.entity.id === id)).toBe(false);

        await ok('admin', `mutation($id: ID!) { deleteJob(id: $id) }`, { id });
        // Until the index catches up, the hit is still there, its entity null (its owner has no such job).
        await eventually(
          () => search('guest', 'orbital florist', { types: ['JOB'] }),
          (results) => !results.edges.some(({ node }) => (node.entity as Hit['entity'] | null) === null || node.entity.id === id),
        );
      });

      it('finds Chinese text in a new job within 2 seconds', async () => {
        const input = { companyId, title: 'Senior Java Engineer / 高级 Java 工程师', description: '我们正在招聘高级Java工程师，负责核心交易系统。', employmentType: 'FULL_TIME' };
        const id = (await ok<{ createJob: { id: string } }>('recruiter', JOB, { input })).createJob.id;
        const results = await eventually(
          () => search('guest', '核心交易系统', { types: ['JOB'] }),
          (found) => hits(found).some((hit) => hit.entity.id === id),
        );
        expect(hits(results)[0]!.highlights.find((highlight) => highlight.field === 'body')!.snippets[0]).toContain('<em>');
        expect(hits(await search('guest', '高级 Java 工程师', { types: ['JOB'] })).map((hit) => hit.entity.id)).toContain(id);
      });

      it('rebuilds from the owners (npm run reindex) to the same index, searchable throughout', async () => {
        const before = await search('recruiter', 'engineer');
        const { service } = supergraph.subgraphs.get('search')!;
        const rebuilding = service.projection!.rebuild();
        let done = false;
        void rebuilding.then(
          () => (done = true),
          () => (done = true),
        );
        // Searches keep answering, all of them in full, while the new index is filled and swapped in.
        const during: number[] = [];
        while (!done) during.push((await search('recruiter', 'engineer')).totalCount);
        expect(during.length).toBeGreaterThan(0);
        expect(new Set(during)).toEqual(new Set([before.totalCount]));
        const result = await rebuilding;
        expect(result.events).toBeGreaterThan(500);
        const after = await search('recruiter', 'engineer');
        expect(after.totalCount).toBe(before.totalCount);
        expect(after.facets).toEqual(before.facets);
      });

      it('creates no duplicates when events are delivered again', async () => {
        const before = await search('recruiter', 'engineer');
        const { db } = supergraph.subgraphs.get('jobs')!;
        const rows = await db.query<OutboxRow>('select * from outbox order by position');
        const events: DomainEvent[] = rows.map((row) => outboxEvent(row, 'jobs'));
        expect(events.length).toBeGreaterThan(0);
        await supergraph.bus.publish(events);
        // Past the inbox too: fresh ids, as a redelivery after a lost inbox would be.
        await supergraph.bus.publish(events.map((event) => ({ ...event, id: randomUUID() })));
        const after = await search('recruiter', 'engineer');
        expect(after.totalCount).toBe(before.totalCount);
        expect(after.facets).toEqual(before.facets);
      });
    });
  });
}
