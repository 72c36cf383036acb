import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../../demo/dataset.ts';
import { loadDemoData } from '../../../demo/load.ts';
import { codes, graphql } from '../../../test/support/client.ts';
import { contractSuite } from '../../../test/support/contract.ts';
import { PGLITE_TARGET } from '../../../test/support/databases.ts';
import { eventually } from '../../../test/support/eventually.ts';
import { scrapeTotal } from '../../../test/support/metrics.ts';
import { NEO4J_URL, lockNeo4j, neo4jTarget } from '../../../test/support/neo4j.ts';
import { runScript } from '../../../test/support/processes.ts';
import { startTestSupergraph, tokenFor } from '../../../test/support/services.ts';
import { REBUILD_PATH } from '../../../platform/events/projection.ts';
import { relationships, type Stores } from '../index.ts';
import { Neo4jGraphStore } from '../store.neo4j.ts';

/**
 * The relationship graph through the gateway, built from the demo data and kept current by the
 * owners' events: once with the graph in the subgraph's PostgreSQL schema (the embedded
 * default), once in Neo4j (production), the same suite for both.
 */

let supergraph: Awaited<ReturnType<typeof startTestSupergraph>>;
let url: string;
const tokens: Record<'admin' | 'recruiter' | 'guest', string> = { admin: '', recruiter: '', guest: '' };

async function login(email: string): Promise<string> {
  const result = await graphql<{ login: { token: string } }>(url, `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`, {
    email,
    password: DEMO_PASSWORD,
  });
  expect(result.errors).toBeUndefined();
  return result.data!.login.token;
}

/** Runs an operation as `who`, failing the test on any error. */
async function ok<Data = Record<string, unknown>>(who: keyof typeof tokens, query: string, variables: Record<string, unknown> = {}): Promise<Data> {
  const result = await graphql<Data>(url, query, variables, tokens[who] || undefined);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!;
}


/** Cypher queries the Neo4j store has run: it opens one session per query. */
let neo4jQueries = 0;

const graphBackends = [
  { target: { ...PGLITE_TARGET, label: 'its PostgreSQL schema (PGlite)' }, neo4j: false, start: () => startTestSupergraph(loadDemoData) },
  {
    target: await neo4jTarget(),
    neo4j: true,
    start: async () => {
      const unlock = await lockNeo4j();
      const graph = await Neo4jGraphStore.create(NEO4J_URL);
      const session = graph.driver.session.bind(graph.driver);
      graph.driver.session = (...args) => {
        neo4jQueries++;
        return session(...args);
      };
      const started = await startTestSupergraph(loadDemoData, [{ ...relationships, createStores: (db) => ({ graph, db }) }]).catch(async (error: unknown) => {
        await graph.close();
        await unlock();
        throw error;
      });
      return {
        ...started,
        async stop() {
          await started.stop();
          await graph.close();
          await unlock();
        },
      };
    },
  },
];

for (const backend of graphBackends) {
  contractSuite('relationship graph through the gateway', backend.target, () => {
    beforeAll(async () => {
      supergraph = await backend.start();
      url = supergraph.url;
      // The demo data was bulk-loaded without events: the graph is first drawn from the owners' snapshots.
      await supergraph.built();
      tokens.admin = await login('admin@looma.dev');
      tokens.recruiter = await login('recruiter@looma.dev');
      tokens.guest = await login('guest@looma.dev');
    }, 120_000);
    afterAll(() => supergraph?.stop());

    const skillId = async (name: string) => (await ok<{ normalizeSkill: { id: string } }>('guest', `query($name: String!) { normalizeSkill(name: $name) { id } }`, { name })).normalizeSkill.id;

    async function createTalent(name: string): Promise<string> {
      const data = await ok<{ createTalent: { id: string } }>('recruiter', `mutation($input: CreateTalentInput!) { createTalent(input: $input) { id } }`, { input: { name } });
      return data.createTalent.id;
    }

    interface Stint {
      companyId: string;
      from: string;
      to: string | null;
    }

    const resumeInput = (stints: Stint[], skills: { skillId: string; level: string; years: number }[]) => ({
      title: 'Engineer',
      experience: stints.map((stint) => ({ ...stint, companyName: 'Somewhere', title: 'Engineer' })),
      skills,
    });

    const COLLEAGUES = `query($id: ID!) { talent(id: $id) { colleagues { talent { id name } company { id name } overlapMonths } } }`;
    const ALUMNI = `query($id: ID!) { company(id: $id) { alumni(first: 10) { totalCount edges { node { id } title startDate endDate current } } } }`;
    const PATH = `query($from: ID!, $to: ID!, $maxDepth: Int) { talent(id: $from) { pathTo(talentId: $to, maxDepth: $maxDepth) { length nodes { id kind entityId label } edges { kind source target } } } }`;

    // First, before the tests below write: events they cause would add statements to a measurement.
    describe('batching', () => {
      const PAGE = `query($first: Int!) {
        talents(first: $first) { edges { node { id colleagues { talent { id } company { id } overlapMonths } colleagueCount connections { totalCount } } } }
        companies(first: $first) { edges { node { id alumni { totalCount } } } }
      }`;
      type Page = {
        talents: { edges: { node: { id: string; colleagues: unknown[]; colleagueCount: number; connections: { totalCount: number } } }[] };
        companies: { edges: { node: { id: string; alumni: { totalCount: number } } }[] };
      };

      it('answers a page of 20 talents and companies with no more statements than a page of 2, the first 2 alike', async () => {
        const service = supergraph.subgraphs.get('relationships')!.service;
        const cost = async (first: number) => {
          const sqlBefore = await scrapeTotal(service.url, 'db_queries_total');
          const cypherBefore = neo4jQueries;
          const data = await ok<Page>('recruiter', PAGE, { first });
          return { data, sql: (await scrapeTotal(service.url, 'db_queries_total')) - sqlBefore, cypher: neo4jQueries - cypherBefore };
        };
        const small = await cost(2);
        const large = await cost(20);
        expect(large.data.talents.edges).toHaveLength(20);
        expect(large.data.companies.edges).toHaveLength(20);
        expect(large.data.talents.edges.slice(0, 2)).toEqual(small.data.talents.edges);
        expect(large.data.companies.edges.slice(0, 2)).toEqual(small.data.companies.edges);
        // The demo data gives the page something to answer.
        const talents = large.data.talents.edges.map((edge) => edge.node);
        expect(talents.some((talent) => talent.colleagues.length > 0)).toBe(true);
        expect(talents.some((talent) => talent.colleagueCount > 0)).toBe(true);
        expect(talents.some((talent) => talent.connections.totalCount > 0)).toBe(true);
        expect(large.data.companies.edges.some((edge) => edge.node.alumni.totalCount > 0)).toBe(true);

        expect(large.sql).toBe(small.sql);
        expect(large.cypher).toBe(small.cypher);
        // One read per field (colleagues, colleagueCount, connections, alumni) whatever the page
        // size: SQL on PostgreSQL; on Neo4j, Cypher, and no SQL (that side holds only the inbox and the facts).
        expect([large.sql, large.cypher]).toEqual(backend.neo4j ? [0, 4] : [4, 0]);
      });

      it('counts a talent’s colleagues: the distinct talents their colleagues list names', async () => {
        type Talents = { talents: { edges: { node: { id: string; colleagueCount: number; colleagues: { talent: { id: string } }[] } }[] } };
        const { talents } = await ok<Talents>('recruiter', `{ talents(first: 20) { edges { node { id colleagueCount colleagues(first: 100) { talent { id } } } } } }`);
        // The demo talent with the longest list that still fits in one (so it names everyone).
        const [demo] = talents.edges
          .map((edge) => edge.node)
          .filter((talent) => talent.colleagues.length < 100)
          .sort((a, b) => b.colleagues.length - a.colleagues.length);
        const distinct = new Set(demo!.colleagues.map((colleague) => colleague.talent.id)).size;
        expect(distinct).toBeGreaterThan(0);
        expect(demo!.colleagueCount).toBe(distinct);
        // One talent alone asks the same.
        const alone = await ok<{ talent: { colleagueCount: number } }>('recruiter', `query($id: ID!) { talent(id: $id) { colleagueCount } }`, { id: demo!.id });
        expect(alone.talent.colleagueCount).toBe(distinct);
      });
    });

    describe('the graph follows changes made through the owners', () => {
      let companyId: string;
      let typescript: string;
      let ana: string;
      let ben: string;
      let benResume: string;

      beforeAll(async () => {
        typescript = await skillId('TypeScript');
        companyId = (await ok<{ createCompany: { id: string } }>('recruiter', `mutation { createCompany(input: { name: "Graphwise GmbH" }) { id } }`)).createCompany.id;
        ana = await createTalent('Ana Graph');
        ben = await createTalent('Ben Graph');
        await ok('recruiter', `mutation($id: ID!, $input: ResumeInput!) { createResume(talentId: $id, input: $input) { id } }`, {
          id: ana,
          input: resumeInput([{ companyId, from: '2019-01', to: '2021-06' }], [{ skillId: typescript, level: 'EXPERT', years: 5 }]),
        });
        benResume = (
          await ok<{ createResume: { id: string } }>('recruiter', `mutation($id: ID!, $input: ResumeInput!) { createResume(talentId: $id, input: $input) { id } }`, {
            id: ben,
            input: resumeInput([{ companyId, from: '2020-01', to: null }], [{ skillId: typescript, level: 'ADVANCED', years: 8 }]),
          })
        ).createResume.id;
      });

      it('shows new people as alumni and colleagues within 2 seconds, with the overlap of their stints', async () => {
        const alumni = await eventually(
          () => ok<{ company: { alumni: { totalCount: number; edges: { node: { id: string }; current: boolean; startDate: string }[] } } }>('recruiter', ALUMNI, { id: companyId }),
          (data) => data.company.alumni.totalCount === 2,
        );
        expect(alumni.company.alumni.edges.map((edge) => [edge.node.id, edge.current, edge.startDate])).toEqual([
          [ben, true, '2020-01'],
          [ana, false, '2019-01'],
        ]);
        const { talent } = await ok<{ talent: { colleagues: { talent: { id: string; name: string }; company: { name: string }; overlapMonths: number }[] } }>('recruiter', COLLEAGUES, { id: ana });
        // 2020-01 … 2021-06, both ends counted; the names come from their owners through the gateway.
        expect(talent.colleagues).toEqual([{ talent: { id: ben, name: 'Ben Graph' }, company: { id: companyId, name: 'Graphwise GmbH' }, overlapMonths: 18 }]);
      });

      it('finds the shortest path between them, with its edges', async () => {
        const { talent } = await ok<{ talent: { pathTo: { length: number; nodes: { kind: string; entityId: string; label: string }[]; edges: { source: string; target: string }[] } } }>(
          'recruiter',
          PATH,
          { from: ana, to: ben },
        );
        const path = talent.pathTo;
        expect(path.length).toBe(2);
        expect(path.nodes.map((node) => node.entityId)).toEqual([ana, expect.any(String), ben]);
        expect(path.nodes[0]!.label).toBe('Ana Graph');
        expect(['COMPANY', 'SKILL']).toContain(path.nodes[1]!.kind);
        expect(path.edges).toHaveLength(2);
      });

      it('ranks experts by level, and a resume change moves people within 2 seconds', async () => {
        const EXPERTS = `query($id: ID!) { skill(id: $id) { experts(first: 100) { talent { id } level years endorsements } } }`;
        const experts = (await ok<{ skill: { experts: { talent: { id: string }; level: string }[] } }>('recruiter', EXPERTS, { id: typescript })).skill.experts;
        const anaRank = experts.findIndex((expert) => expert.talent.id === ana);
        const benRank = experts.findIndex((expert) => expert.talent.id === ben);
        expect(anaRank).toBeGreaterThanOrEqual(0);
        expect(benRank).toBeGreaterThan(anaRank);

        // Ben's new version drops the company and the skill.
        await ok('recruiter', `mutation($id: ID!, $input: ResumeInput!) { updateResume(id: $id, input: $input) { version } }`, { id: benResume, input: resumeInput([], []) });
        await eventually(
          () => ok<{ company: { alumni: { totalCount: number } } }>('recruiter', ALUMNI, { id: companyId }),
          (data) => data.company.alumni.totalCount === 1,
        );
        const after = (await ok<{ skill: { experts: { talent: { id: string } }[] } }>('recruiter', EXPERTS, { id: typescript })).skill.experts;
        expect(after.map((expert) => expert.talent.id)).not.toContain(ben);
        expect((await ok<{ talent: { colleagues: unknown[] } }>('recruiter', COLLEAGUES, { id: ana })).talent.colleagues).toEqual([]);
      });

      it('forgets a deleted talent within 2 seconds', async () => {
        const carl = await createTalent('Carl Graph');
        // Linking needs Carl in the graph: his talent.created event arrives within 2 s.
        await eventually(
          () => graphql(url, `mutation($a: ID!, $b: ID!) { connectTalents(talentId: $a, otherTalentId: $b) { strength } }`, { a: ana, b: carl }, tokens.recruiter),
          (result) => result.errors === undefined,
        );
        await ok('admin', `mutation($id: ID!) { deleteTalent(id: $id) }`, { id: carl });
        await eventually(
          () => ok<{ talent: { pathTo: unknown } }>('recruiter', PATH, { from: ana, to: carl }),
          (data) => data.talent.pathTo === null,
        );
        const connections = await ok<{ talent: { connections: { totalCount: number } } }>('recruiter', `query($id: ID!) { talent(id: $id) { connections { totalCount } } }`, { id: ana });
        expect(connections.talent.connections.totalCount).toBe(0);
      });

      it('draws nothing for a deleted talent, however late a resume naming them comes, and will not link them', async () => {
        const eve = await createTalent('Eve Gone');
        const company = (await ok<{ createCompany: { id: string } }>('recruiter', `mutation { createCompany(input: { name: "Eve Ltd" }) { id } }`)).createCompany.id;
        const TALENT_NODE = `query($id: ID!) { talentGraph(centerId: $id, depth: 1) { nodes { entityId } } }`;
        await eventually(() => ok<{ talentGraph: unknown }>('recruiter', TALENT_NODE, { id: eve }), (data) => data.talentGraph !== null);
        await ok('admin', `mutation($id: ID!) { deleteTalent(id: $id) }`, { id: eve });
        await eventually(() => ok<{ talentGraph: unknown }>('recruiter', TALENT_NODE, { id: eve }), (data) => data.talentGraph === null);

        // A resume never announced before, naming her: a write that crossed her deletion.
        const resume = randomUUID();
        await supergraph.bus.publish([
          {
            id: randomUUID(),
            type: 'resume.created',
            source: 'resumes',
            aggregate: { type: 'Resume', id: resume },
            payload: { id: resume, talentId: eve, experience: [{ companyId: company, title: 'Ghost', from: '2020-01', to: null }], skills: [] },
            occurredAt: new Date().toISOString(),
            position: Number.MAX_SAFE_INTEGER,
          },
        ]);
        expect(await ok('recruiter', TALENT_NODE, { id: eve })).toEqual({ talentGraph: null });
        const linked = await graphql(url, `mutation($a: ID!, $b: ID!) { connectTalents(talentId: $a, otherTalentId: $b) { strength } }`, { a: ana, b: eve }, tokens.recruiter);
        expect(codes(linked)).toEqual(['NOT_FOUND']);
      });

      it('keeps a deleted company out, however late an older event or a resume naming it comes', async () => {
        const go = await skillId('Go');
        const company = (await ok<{ createCompany: { id: string } }>('recruiter', `mutation { createCompany(input: { name: "Gone Ltd" }) { id } }`)).createCompany.id;
        const dora = await createTalent('Dora Gone');
        const resume = (
          await ok<{ createResume: { id: string } }>('recruiter', `mutation($id: ID!, $input: ResumeInput!) { createResume(talentId: $id, input: $input) { id } }`, {
            id: dora,
            input: resumeInput([{ companyId: company, from: '2020-01', to: null }], []),
          })
        ).createResume.id;
        const COMPANY_NODE = `query($id: ID!) { talentGraph(centerId: $id, centerKind: COMPANY, depth: 1) { nodes { entityId } } }`;
        await eventually(() => ok<{ talentGraph: { nodes: unknown[] } | null }>('recruiter', COMPANY_NODE, { id: company }), (data) => data.talentGraph?.nodes.length === 2);
        await ok('admin', `mutation($id: ID!) { deleteCompany(id: $id) }`, { id: company });
        await eventually(() => ok<{ talentGraph: unknown }>('recruiter', COMPANY_NODE, { id: company }), (data) => data.talentGraph === null);

        // Dora's resume still names the company; her next version adds Go, so we know when it is drawn.
        await ok('recruiter', `mutation($id: ID!, $input: ResumeInput!) { updateResume(id: $id, input: $input) { version } }`, {
          id: resume,
          input: resumeInput([{ companyId: company, from: '2020-01', to: null }], [{ skillId: go, level: 'EXPERT', years: 2 }]),
        });
        await eventually(
          () => ok<{ skill: { experts: { talent: { id: string } }[] } }>('recruiter', `query($id: ID!) { skill(id: $id) { experts(first: 100) { talent { id } } } }`, { id: go }),
          (data) => data.skill.experts.some((expert) => expert.talent.id === dora),
        );
        // An update from before the delete, delivered late (a fresh event id, so the inbox does not stop it).
        await supergraph.bus.publish([
          { id: randomUUID(), type: 'company.updated', source: 'companies', aggregate: { type: 'Company', id: company }, payload: { id: company, name: 'Gone Ltd' }, occurredAt: new Date().toISOString(), position: 1 },
        ]);
        expect(await ok('recruiter', COMPANY_NODE, { id: company })).toEqual({ talentGraph: null });
        const around = await ok<{ talentGraph: { nodes: { entityId: string }[] } }>('recruiter', `query($id: ID!) { talentGraph(centerId: $id, depth: 1) { nodes { entityId } } }`, { id: dora });
        expect(around.talentGraph.nodes.map((node) => node.entityId)).not.toContain(company);
      });
    });

    describe('links and endorsements made here', () => {
      let ana: string;
      let ben: string;
      let typescript: string;

      beforeAll(async () => {
        typescript = await skillId('TypeScript');
        ana = await createTalent('Ana Link');
        ben = await createTalent('Ben Link');
        await ok('recruiter', `mutation($id: ID!, $input: ResumeInput!) { createResume(talentId: $id, input: $input) { id } }`, {
          id: ana,
          input: resumeInput([], [{ skillId: typescript, level: 'INTERMEDIATE', years: 1 }]),
        });
        // Both are in the graph once Ben's node is there and Ana is an expert.
        await eventually(
          () => ok<{ talentGraph: unknown }>('recruiter', `query($id: ID!) { talentGraph(centerId: $id, depth: 0) { truncated } }`, { id: ben }),
          (data) => data.talentGraph !== null,
        );
        await eventually(
          () => ok<{ skill: { experts: { talent: { id: string } }[] } }>('recruiter', `query($id: ID!) { skill(id: $id) { experts(first: 100) { talent { id } } } }`, { id: typescript }),
          (data) => data.skill.experts.some((expert) => expert.talent.id === ana),
        );
      });

      const CONNECTIONS = `query($id: ID!) { talent(id: $id) { connections(first: 5) { totalCount edges { node { id name } strength } } } }`;

      it('connects two talents both ways, updates the strength, and disconnects them', async () => {
        const connect = `mutation($a: ID!, $b: ID!, $s: Float) { connectTalents(talentId: $a, otherTalentId: $b, strength: $s) { talent { name } other { name } strength } }`;
        expect(await ok('recruiter', connect, { a: ana, b: ben, s: 0.4 })).toEqual({ connectTalents: { talent: { name: 'Ana Link' }, other: { name: 'Ben Link' }, strength: 0.4 } });
        await ok('recruiter', connect, { a: ben, b: ana, s: 0.9 });
        const fromBen = await ok<{ talent: { connections: unknown } }>('recruiter', CONNECTIONS, { id: ben });
        expect(fromBen.talent.connections).toEqual({ totalCount: 1, edges: [{ node: { id: ana, name: 'Ana Link' }, strength: 0.9 }] });
        const disconnect = `mutation($a: ID!, $b: ID!) { disconnectTalents(talentId: $a, otherTalentId: $b) }`;
        expect(await ok('recruiter', disconnect, { a: ana, b: ben })).toEqual({ disconnectTalents: true });
        expect(await ok('recruiter', disconnect, { a: ana, b: ben })).toEqual({ disconnectTalents: false });
        expect((await ok<{ talent: { connections: { totalCount: number } } }>('recruiter', CONNECTIONS, { id: ana })).talent.connections.totalCount).toBe(0);
      });

      it('counts one endorsement per user, and the experts list shows it', async () => {
        const endorse = `mutation($t: ID!, $s: ID!) { endorseSkill(talentId: $t, skillId: $s) { talent { name } skill { name } endorsements } }`;
        expect(await ok('recruiter', endorse, { t: ana, s: typescript })).toEqual({ endorseSkill: { talent: { name: 'Ana Link' }, skill: { name: 'TypeScript' }, endorsements: 1 } });
        expect(await ok('admin', endorse, { t: ana, s: typescript })).toEqual({ endorseSkill: { talent: { name: 'Ana Link' }, skill: { name: 'TypeScript' }, endorsements: 2 } });
        const experts = await ok<{ skill: { experts: { talent: { id: string }; endorsements: number; level: string }[] } }>(
          'recruiter',
          `query($id: ID!) { skill(id: $id) { experts(first: 100) { talent { id } level endorsements } } }`,
          { id: typescript },
        );
        expect(experts.skill.experts.find((expert) => expert.talent.id === ana)).toEqual({ talent: { id: ana }, level: 'INTERMEDIATE', endorsements: 2 });
      });

      it('refuses bad input with BAD_USER_INPUT and unknown talents with NOT_FOUND, changing nothing', async () => {
        const connect = `mutation($a: ID!, $b: ID!, $s: Float) { connectTalents(talentId: $a, otherTalentId: $b, strength: $s) { strength } }`;
        const cases: [string, Record<string, unknown>, string][] = [
          [connect, { a: ana, b: ben, s: 1.5 }, 'BAD_USER_INPUT'],
          [connect, { a: ana, b: ana, s: 0.5 }, 'BAD_USER_INPUT'],
          [connect, { a: ana, b: 'not-an-id', s: 0.5 }, 'BAD_USER_INPUT'],
          [connect, { a: ana, b: '00000000-0000-4000-8000-00000000dead', s: 0.5 }, 'NOT_FOUND'],
          [`mutation($t: ID!, $s: ID!) { endorseSkill(talentId: $t, skillId: $s) { endorsements } }`, { t: ben, s: typescript }, 'BAD_USER_INPUT'],
        ];
        for (const [query, variables, code] of cases) {
          const result = await graphql(url, query, variables, tokens.recruiter);
          expect(codes(result), JSON.stringify(variables)).toEqual([code]);
          expect(JSON.stringify(result)).not.toMatch(/at .*\.ts|stack/);
        }
        expect((await ok<{ talent: { connections: { totalCount: number } } }>('recruiter', CONNECTIONS, { id: ana })).talent.connections.totalCount).toBe(0);
      });
    });

    describe('npm run reindex', () => {
      it('rebuilds the graph from the owners while keeping the links made here', async () => {
        const stores = supergraph.subgraphs.get('relationships')!.stores as Stores;
        const service = supergraph.subgraphs.get('relationships')!.service;
        const { talents } = await ok<{ talents: { edges: { node: { id: string; name: string } }[] } }>('recruiter', `{ talents(first: 2) { edges { node { id name } } } }`);
        const [ana, ben] = talents.edges.map((edge) => edge.node);
        await ok('recruiter', `mutation($a: ID!, $b: ID!) { connectTalents(talentId: $a, otherTalentId: $b, strength: 0.7) { strength } }`, { a: ana!.id, b: ben!.id });
        // A link that crossed its talent's deletion (written as the deletion was being applied).
        const gone = await createTalent('Gus Gone');
        await eventually(() => stores.graph.neighbourhood('Talent', gone, 0, 1), (node) => node !== null);
        await ok('admin', `mutation($id: ID!) { deleteTalent(id: $id) }`, { id: gone });
        await eventually(() => stores.graph.neighbourhood('Talent', gone, 0, 1), (node) => node === null);
        await supergraph.subgraphs
          .get('relationships')!
          .db.query('insert into acquaintances (talent_id, other_id, strength) values ($1, $2, 0.5)', [ana!.id < gone ? ana!.id : gone, ana!.id < gone ? gone : ana!.id]);
        // Lose part of the graph behind the owners' backs.
        await stores.graph.removeNode({ kind: 'Talent', id: ana!.id });
        expect((await stores.graph.neighbourhood('Talent', ana!.id, 0, 1))).toBeNull();

        const run = await runScript('scripts/reindex.ts', ['relationships'], { RELATIONSHIPS_URL: service.url }, /rebuilt from (\d+) owner records/);
        expect(await run.exited).toBe(0);
        expect(Number(run.match[1])).toBeGreaterThan(500);
        const node = await stores.graph.neighbourhood('Talent', ana!.id, 0, 1);
        expect(node?.nodes[0]?.label).toBe(ana!.name);
        const connections = await ok<{ talent: { connections: { edges: { node: { id: string }; strength: number }[] } } }>(
          'recruiter',
          `query($id: ID!) { talent(id: $id) { connections(first: 100) { edges { node { id } strength } } } }`,
          { id: ana!.id },
        );
        expect(connections.talent.connections.edges).toContainEqual({ node: { id: ben!.id }, strength: 0.7 });
        expect(await stores.graph.neighbourhood('Talent', gone, 0, 1)).toBeNull();
        // A child process (tsx starting up) and a whole rebuild: on Neo4j, beside another suite on two cores, over 30 s.
      }, 120_000);

      it('is refused without a credential holding events:replay, and names the subgraphs it knows', async () => {
        const service = supergraph.subgraphs.get('relationships')!.service;
        const rebuild = (authorization?: string) => fetch(new URL(REBUILD_PATH, service.url), { method: 'POST', headers: authorization ? { authorization } : {} });
        expect((await rebuild()).status).toBe(401);
        expect((await rebuild(`Bearer ${await tokenFor('data_admin')}`)).status).toBe(403);
        const unknown = await runScript('scripts/reindex.ts', ['companies'], {}, /Usage: npm run reindex -- <subgraph>, where <subgraph> is one built from events: relationships/);
        expect(await unknown.exited).toBe(2);
      });
    });

    describe('limits', () => {
      it('answers traversals beyond their depth and size limits with BAD_USER_INPUT naming the argument', async () => {
        const [first, second] = (await ok<{ talents: { edges: { node: { id: string } }[] } }>('recruiter', `{ talents(first: 2) { edges { node { id } } } }`)).talents.edges.map((e) => e.node.id);
        const cases: [string, Record<string, unknown>, string][] = [
          [PATH, { from: first, to: second, maxDepth: 7 }, 'maxDepth'],
          [PATH, { from: first, to: second, maxDepth: 0 }, 'maxDepth'],
          [`query($id: ID!) { talentGraph(centerId: $id, depth: 4) { truncated } }`, { id: first }, 'depth'],
          [`query($id: ID!) { talentGraph(centerId: $id, limit: 501) { truncated } }`, { id: first }, 'limit'],
          [`query($id: ID!) { talent(id: $id) { colleagues(first: 101) { overlapMonths } } }`, { id: first }, 'first'],
          [`{ skills(first: 1) { edges { node { experts(first: 0) { level } } } } }`, {}, 'first'],
        ];
        for (const [query, variables, field] of cases) {
          const result = await graphql(url, query, variables, tokens.recruiter);
          expect(codes(result), query).toEqual(['BAD_USER_INPUT']);
          expect(result.errors![0]!.extensions!.field).toBe(field);
        }
      });

      it('runs at most 10 pathTo searches per request: beyond them BAD_USER_INPUT, the rest of the response answered', async () => {
        const { talents } = await ok<{ talents: { edges: { node: { id: string } }[] } }>('recruiter', `{ talents(first: 12) { edges { node { id } } } }`);
        const [from, ...targets] = talents.edges.map((edge) => edge.node.id) as [string, ...string[]];
        const aliases = targets.map((to, index) => `p${index + 1}: pathTo(talentId: "${to}") { length }`).join('\n');
        type Talent = Record<string, { length: number } | null> & { name: string; colleagueCount: number };
        const asked = await graphql<{ talent: Talent }>(url, `query($id: ID!) { talent(id: $id) { name colleagueCount ${aliases} } }`, { id: from }, tokens.recruiter);
        expect(codes(asked)).toEqual(['BAD_USER_INPUT']);
        expect(asked.errors![0]!.path).toEqual(['talent', 'p11']);
        expect(asked.errors![0]!.message).toMatch(/pathTo .*10/);
        const answered = asked.data!.talent;
        expect(answered.p11).toBeNull();
        expect(answered.name).toEqual(expect.any(String));
        expect(answered.colleagueCount).toEqual(expect.any(Number));
        // The first ten answer as each does alone (a request of its own, with a budget of its own).
        const SHORT_PATH = `query($from: ID!, $to: ID!) { talent(id: $from) { pathTo(talentId: $to) { length } } }`;
        for (const [index, to] of targets.slice(0, 10).entries()) {
          const alone = await ok<{ talent: { pathTo: unknown } }>('recruiter', SHORT_PATH, { from, to });
          expect(answered[`p${index + 1}`], to).toEqual(alone.talent.pathTo);
        }
        expect(targets.slice(0, 10).some((_, index) => answered[`p${index + 1}`] !== null)).toBe(true);

        // List items count alike: on a page of 12 talents, the 11th and 12th are refused.
        const page = await graphql<{ talents: { edges: { node: { id: string; pathTo: unknown } }[] } }>(
          url,
          `query($to: ID!) { talents(first: 12) { edges { node { id pathTo(talentId: $to) { length } } } } }`,
          { to: from },
          tokens.recruiter,
        );
        expect(codes(page)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
        expect(page.errors!.map((error) => error.path)).toEqual([10, 11].map((index) => ['talents', 'edges', index, 'node', 'pathTo']));
        expect(page.data!.talents.edges.map((edge) => edge.node.id)).toEqual([from, ...targets]);
      });

      it('draws a talent neighbourhood for a visualization, truncated at the limit', async () => {
        const { talents } = await ok<{ talents: { edges: { node: { id: string } }[] } }>('recruiter', `{ talents(first: 1) { edges { node { id } } } }`);
        const center = talents.edges[0]!.node.id;
        const GRAPH = `query($id: ID!, $limit: Int) { talentGraph(centerId: $id, depth: 2, limit: $limit) {
          center { id kind label } nodes { id kind depth entity { __typename ... on Company { name } ... on Talent { name } } } edges { kind source target } truncated } }`;
        type Graph = { talentGraph: { center: { id: string; kind: string }; nodes: { id: string; depth: number; kind: string; entity: { __typename: string } }[]; edges: { source: string; target: string }[]; truncated: boolean } };
        const full = (await ok<Graph>('recruiter', GRAPH, { id: center, limit: 500 })).talentGraph;
        expect(full.center).toMatchObject({ id: `TALENT:${center}`, kind: 'TALENT' });
        expect(full.nodes.length).toBeGreaterThan(5);
        const ids = new Set(full.nodes.map((node) => node.id));
        for (const edge of full.edges) expect(ids.has(edge.source) && ids.has(edge.target)).toBe(true);
        for (const node of full.nodes) expect(node.entity.__typename.toUpperCase()).toBe(node.kind);
        const cut = (await ok<Graph>('recruiter', GRAPH, { id: center, limit: 3 })).talentGraph;
        expect(cut.nodes).toHaveLength(3);
        expect(cut.truncated).toBe(true);
      });
    });

    describe('auth', () => {
      it('lets a guest walk only public links, and never see a talent', async () => {
        const typescript = await skillId('TypeScript');
        const GRAPH = `query($id: ID!, $kind: GraphNodeKind) { talentGraph(centerId: $id, centerKind: $kind, depth: 2, limit: 500) { nodes { kind } edges { kind } } }`;
        const asGuest = await ok<{ talentGraph: { nodes: { kind: string }[]; edges: { kind: string }[] } }>('guest', GRAPH, { id: typescript, kind: 'SKILL' });
        expect(new Set(asGuest.talentGraph.nodes.map((node) => node.kind))).toEqual(new Set(['SKILL', 'JOB']));
        expect(new Set(asGuest.talentGraph.edges.map((edge) => edge.kind))).toEqual(new Set(['REQUIRES']));
        const asRecruiter = await ok<{ talentGraph: { nodes: { kind: string }[] } }>('recruiter', GRAPH, { id: typescript, kind: 'SKILL' });
        expect(asRecruiter.talentGraph.nodes.map((node) => node.kind)).toContain('TALENT');

        const { talents } = await ok<{ talents: { edges: { node: { id: string } }[] } }>('recruiter', `{ talents(first: 1) { edges { node { id } } } }`);
        const talentCenter = await graphql<{ talentGraph: unknown }>(url, GRAPH, { id: talents.edges[0]!.node.id, kind: 'TALENT' }, tokens.guest);
        expect(talentCenter).toEqual({ data: { talentGraph: null } });
      });

      it('keeps alumni, experts and the mutations from guests and anonymous callers', async () => {
        const typescript = await skillId('TypeScript');
        const experts = await graphql<{ skill: { name: string; experts: unknown } }>(url, `query($id: ID!) { skill(id: $id) { name experts { level } } }`, { id: typescript }, tokens.guest);
        expect(codes(experts)).toEqual(['FORBIDDEN']);
        expect(experts.data!.skill).toEqual({ name: 'TypeScript', experts: null });
        const connect = `mutation { connectTalents(talentId: "00000000-0000-4000-8000-000000000001", otherTalentId: "00000000-0000-4000-8000-000000000002") { strength } }`;
        expect(codes(await graphql(url, connect, {}, tokens.guest))).toEqual(['FORBIDDEN']);
        expect(codes(await graphql(url, connect))).toEqual(['UNAUTHENTICATED']);
      });
    });
  });
}
