import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BULK_ROWS,
  EDGE_ENDPOINTS,
  MAX_LIMIT,
  type EdgeInput,
  type EdgeKind,
  type GraphNode,
  type GraphPath,
  type GraphStore,
  type NodeKind,
  type NodeRef,
} from '../store.ts';

/** What a backend hands the contract: a store over an empty graph, and how to throw it away. */
export interface GraphStoreUnderTest {
  store: GraphStore;
  dispose(): Promise<void>;
}

/** Every backend gets this clock, so current stints (`to` null) end in June 2024. */
export const CONTRACT_NOW = new Date('2024-06-15T12:00:00Z');

export type GraphStoreFactory = (options: { now: () => Date }) => Promise<GraphStoreUnderTest>;

const names = ['ana', 'ben', 'cat', 'dan', 'eve', 'fay'] as const;
type Name = (typeof names)[number];

/** The hand-made graph every test starts from; ids are fresh per test. */
function makeGraph() {
  const id = () => randomUUID();
  const talents = Object.fromEntries(names.map((name) => [name, id()])) as Record<Name, string>;
  const chain = Array.from({ length: 8 }, id); // c0 KNOWS c1 KNOWS … c7: 7 hops end to end
  const ids = { acme: id(), globex: id(), ts: id(), go: id(), apollo: id(), job: id() };
  const nodes: { kind: NodeKind; id: string; label: string }[] = [
    ...names.map((name) => ({ kind: 'Talent' as const, id: talents[name], label: name })),
    ...chain.map((chainId, index) => ({ kind: 'Talent' as const, id: chainId, label: `c${index}` })),
    { kind: 'Company', id: ids.acme, label: 'Acme' },
    { kind: 'Company', id: ids.globex, label: 'Globex' },
    { kind: 'Skill', id: ids.ts, label: 'TypeScript' },
    { kind: 'Skill', id: ids.go, label: 'Go' },
    { kind: 'Project', id: ids.apollo, label: 'Apollo' },
    { kind: 'Job', id: ids.job, label: 'Backend engineer' },
  ];
  const { ana, ben, cat, dan, fay } = talents;
  const worked = (fromId: string, toId: string, from: string, to: string | null, title = 'Engineer'): EdgeInput => ({
    kind: 'WORKED_AT', fromId, toId, properties: { title, from, to },
  });
  const edges: EdgeInput[] = [
    worked(ana, ids.acme, '2019-01', '2021-06'),
    worked(ben, ids.acme, '2020-01', '2020-12'), // ana: 12 months
    worked(cat, ids.acme, '2021-06-15', null), // ana: June 2021 only; ben: none
    worked(dan, ids.acme, '2015-01', '2016-12'), // nobody
    worked(ana, ids.globex, '2021-07', null),
    worked(ben, ids.globex, '2022-01-10', '2022-03-31'), // ana: 3 months
    worked(fay, ids.globex, '2023-01', null), // ana: 2023-01 … 2024-06 = 18 months
    { kind: 'HAS_SKILL', fromId: ana, toId: ids.ts, properties: { level: 'EXPERT', years: 5 } },
    { kind: 'HAS_SKILL', fromId: ben, toId: ids.ts, properties: { level: 'ADVANCED', years: 8 } },
    { kind: 'HAS_SKILL', fromId: cat, toId: ids.ts, properties: { level: 'EXPERT', years: 2 } },
    { kind: 'HAS_SKILL', fromId: dan, toId: ids.ts, properties: { level: 'BEGINNER', years: 10 } },
    { kind: 'HAS_SKILL', fromId: ana, toId: ids.go, properties: { level: 'INTERMEDIATE', years: 3 } },
    { kind: 'KNOWS', fromId: ana, toId: ben, properties: { strength: 0.9 } },
    { kind: 'KNOWS', fromId: ben, toId: cat, properties: { strength: 0.5 } },
    { kind: 'KNOWS', fromId: cat, toId: ana, properties: { strength: 0.2 } }, // closes a cycle
    { kind: 'KNOWS', fromId: dan, toId: fay, properties: { strength: 0.7 } },
    { kind: 'MEMBER_OF', fromId: cat, toId: ids.apollo, properties: { role: 'lead' } },
    { kind: 'MEMBER_OF', fromId: dan, toId: ids.apollo, properties: { role: 'dev' } },
    { kind: 'REQUIRES', fromId: ids.job, toId: ids.ts, properties: { level: 'ADVANCED' } },
    ...chain.slice(1).map((chainId, index): EdgeInput => ({ kind: 'KNOWS', fromId: chain[index]!, toId: chainId, properties: { strength: 1 } })),
  ];
  return { talents, chain, ids, nodes, edges };
}

type Graph = ReturnType<typeof makeGraph>;

/** A small seeded PRNG (mulberry32), so a generated graph is the same on every run and backend. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A generated graph: `talents` talents over `companies` companies, `skills` skills and a few
 * jobs, each talent with about `knows` random KNOWS edges, `skillsEach` skills and `jobsEach`
 * stints (repeats dropped; a fraction is a chance of one more, so 0.3 = sometimes one).
 */
interface GraphSize {
  talents: number;
  companies: number;
  skills: number;
  knows: number;
  skillsEach: number;
  jobsEach: number;
}

function generatedGraph(seed: number, size: GraphSize) {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const ids = (n: number) => Array.from({ length: n }, () => randomUUID());
  const talents = ids(size.talents);
  const companies = ids(size.companies);
  const skills = ids(size.skills);
  const jobs = ids(3);
  const times = (mean: number) => Math.floor(mean) + (next() < mean % 1 ? 1 : 0);
  const edges: EdgeInput[] = [];
  const seen = new Set<string>();
  const add = (edge: EdgeInput) => {
    const pair = edge.kind === 'KNOWS' ? [edge.fromId, edge.toId].sort().join() : `${edge.fromId},${edge.toId}`;
    if (edge.fromId === edge.toId || seen.has(`${edge.kind}:${pair}`)) return;
    seen.add(`${edge.kind}:${pair}`);
    edges.push(edge);
  };
  for (const talent of talents) {
    for (let i = times(size.knows); i > 0; i--) {
      add({ kind: 'KNOWS', fromId: talent, toId: pick(talents), properties: { strength: 0.5 } });
    }
    for (let i = times(size.skillsEach); i > 0; i--) {
      add({ kind: 'HAS_SKILL', fromId: talent, toId: pick(skills), properties: { level: 'EXPERT', years: 1 } });
    }
    for (let i = times(size.jobsEach); i > 0; i--) {
      add({ kind: 'WORKED_AT', fromId: talent, toId: pick(companies), properties: { from: '2020-01', to: null } });
    }
  }
  for (const job of jobs) add({ kind: 'REQUIRES', fromId: job, toId: pick(skills), properties: { level: 'ADVANCED' } });
  return { talents, companies, skills, jobs, edges };
}

/** Writes edges with one replaceEdgesFrom per (node, kind): far fewer round trips than upsertEdge each. */
async function writeBatched(store: GraphStore, edges: readonly EdgeInput[]): Promise<void> {
  const groups = new Map<string, { kind: EdgeKind; fromId: string; targets: { toId: string; properties?: EdgeInput['properties'] }[] }>();
  for (const edge of edges) {
    // KNOWS replaces the pairs touching the talent from either end, so those go one by one.
    if (edge.kind === 'KNOWS') continue;
    const group = groups.get(`${edge.kind}:${edge.fromId}`) ?? { kind: edge.kind, fromId: edge.fromId, targets: [] };
    group.targets.push({ toId: edge.toId, properties: edge.properties });
    groups.set(`${edge.kind}:${edge.fromId}`, group);
  }
  for (const group of groups.values()) await store.replaceEdgesFrom(EDGE_ENDPOINTS[group.kind].from, group.fromId, group.kind, group.targets);
  for (const edge of edges) if (edge.kind === 'KNOWS') await store.upsertEdge(edge);
}

/** Hop counts from `from` over the edges taken as undirected (breadth first, in memory). */
function distancesFrom(from: string, edges: readonly EdgeInput[]): Map<string, number> {
  const adjacent = new Map<string, string[]>();
  const link = (a: string, b: string) => adjacent.set(a, [...(adjacent.get(a) ?? []), b]);
  for (const edge of edges) {
    link(edge.fromId, edge.toId);
    link(edge.toId, edge.fromId);
  }
  const distance = new Map([[from, 0]]);
  let frontier = [from];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const node of frontier) {
      for (const other of adjacent.get(node) ?? []) {
        if (!distance.has(other)) {
          distance.set(other, distance.get(node)! + 1);
          next.push(other);
        }
      }
    }
    frontier = next;
  }
  return distance;
}

/** Checks that `path` is a walk from `from` to `to` over `edges` as written, with no node twice. */
function expectValidPath(path: GraphPath, from: string, to: string, edges: readonly EdgeInput[]): void {
  const written = new Map(edges.map((edge) => {
    const [a, b] = edge.kind === 'KNOWS' ? [edge.fromId, edge.toId].sort() : [edge.fromId, edge.toId];
    return [`${edge.kind}:${a}:${b}`, edge.properties ?? {}];
  }));
  expect(path.nodes[0]!.id).toBe(from);
  expect(path.nodes.at(-1)!.id).toBe(to);
  expect(path.edges).toHaveLength(path.nodes.length - 1);
  expect(new Set(path.nodes.map((node) => `${node.kind}:${node.id}`)).size).toBe(path.nodes.length);
  path.edges.forEach((edge, i) => {
    const ends = [path.nodes[i]!, path.nodes[i + 1]!];
    expect(ends.some((node) => node.kind === edge.from.kind && node.id === edge.from.id)).toBe(true);
    expect(ends.some((node) => node.kind === edge.to.kind && node.id === edge.to.id)).toBe(true);
    expect(edge.properties).toEqual(written.get(`${edge.kind}:${edge.from.id}:${edge.to.id}`));
  });
}

/**
 * The GraphStore contract. Call it from a test file once per backend; every backend
 * (PostgreSQL/PGlite, Neo4j) must pass the same tests.
 */
export function graphStoreContract(name: string, factory: GraphStoreFactory): void {
  describe(`GraphStore contract on ${name}`, () => {
    let subject: GraphStoreUnderTest;
    let store: GraphStore;
    let g: Graph;
    const page = (limit = 20, offset = 0) => ({ limit, offset });

    beforeEach(async () => {
      subject = await factory({ now: () => CONTRACT_NOW });
      store = subject.store;
      g = makeGraph();
      for (const node of g.nodes) await store.upsertNode(node);
      for (const edge of g.edges) await store.upsertEdge(edge);
    });
    afterEach(() => subject?.dispose());

    const label = (node: { label: string | null }) => node.label;

    // One id at a time through the batched reads: one id in, exactly one result out.
    const only = <T>(results: T[]): T => {
      expect(results).toHaveLength(1);
      return results[0]!;
    };
    const connections = async (id: string, p = page()) => only(await store.connections([id], p));
    const colleagues = async (id: string, limit?: number) => only(await store.colleagues([id], limit));
    const alumni = async (id: string, p = page()) => only(await store.alumni([id], p));
    const experts = async (id: string, first: number) => only(await store.experts([id], first));

    it('lists KNOWS connections from either end, strongest first, paged', async () => {
      const all = await connections(g.talents.ana, page());
      expect(all.totalCount).toBe(2);
      expect(all.rows.map((row) => [label(row.talent), row.strength])).toEqual([['ben', 0.9], ['cat', 0.2]]);
      const second = await connections(g.talents.ana, page(1, 1));
      expect(second).toEqual({ totalCount: 2, rows: [{ talent: { kind: 'Talent', id: g.talents.cat, label: 'cat' }, strength: 0.2 }] });
      expect(await connections(g.talents.ana, page(5, 10))).toEqual({ totalCount: 2, rows: [] });
      expect(await connections(g.talents.ana, page(0))).toEqual({ totalCount: 2, rows: [] });
      expect(await connections(g.talents.eve, page())).toEqual({ totalCount: 0, rows: [] });
    });

    it('stores KNOWS once per pair: writing it the other way round updates the same edge', async () => {
      await store.upsertEdge({ kind: 'KNOWS', fromId: g.talents.ben, toId: g.talents.ana, properties: { strength: 0.4 } });
      const fromAna = await connections(g.talents.ana, page());
      expect(fromAna.totalCount).toBe(2);
      expect(fromAna.rows.find((row) => row.talent.id === g.talents.ben)!.strength).toBe(0.4);
      const fromBen = await connections(g.talents.ben, page());
      expect(fromBen.rows.find((row) => row.talent.id === g.talents.ana)!.strength).toBe(0.4);
      expect(await store.removeEdge('KNOWS', g.talents.ben, g.talents.ana)).toBe(true);
      expect(await store.removeEdge('KNOWS', g.talents.ana, g.talents.ben)).toBe(false);
      expect((await connections(g.talents.ana, page())).totalCount).toBe(1);
    });

    it('computes colleagues by overlapping months at the same company, longest first', async () => {
      const ana = await colleagues(g.talents.ana);
      expect(ana.map((c) => [label(c.talent), label(c.company), c.overlapMonths])).toEqual([
        ['fay', 'Globex', 18], // 2023-01 … now (2024-06), both current
        ['ben', 'Acme', 12], // 2020-01 … 2020-12
        ['ben', 'Globex', 3], // 2022-01 … 2022-03, days ignored
        ['cat', 'Acme', 1], // ana left in June 2021, cat joined mid June 2021
      ]);
      const cat = await colleagues(g.talents.cat);
      expect(cat.map((c) => [label(c.talent), c.overlapMonths])).toEqual([['ana', 1]]);
      expect(await colleagues(g.talents.dan)).toEqual([]);
      expect((await colleagues(g.talents.ana, 2)).length).toBe(2);
    });

    it('counts each talent’s colleagues, each other talent once however many companies they shared', async () => {
      const { ana, ben, cat, dan, eve, fay } = g.talents;
      const unknown = randomUUID();
      const distinctColleagues = async (id: string) => new Set((await colleagues(id, 500)).map((c) => c.talent.id)).size;
      // ana: fay, ben (Acme and Globex: once), cat; ben: ana at two companies; dan overlapped
      // nobody; eve worked nowhere.
      const expected = { ana: 3, ben: 1, cat: 1, dan: 0, eve: 0, fay: 1 };
      for (const name of names) {
        expect(only(await store.colleagueCounts([g.talents[name]])), name).toBe(expected[name]);
        expect(expected[name], name).toBe(await distinctColleagues(g.talents[name]));
      }
      // A batch: input order, repeats, an unknown id (0) and an upper-case id, as one at a time.
      const batch = [fay, ana, unknown, ben, ana, eve, cat.toUpperCase(), dan];
      expect(await store.colleagueCounts(batch)).toEqual([1, 3, 0, 1, 3, 0, 1, 0]);
      expect(await store.colleagueCounts([])).toEqual([]);

      // Counts follow the stints: ben's second company gone, ana still counts him once (Acme).
      await store.replaceEdgesFrom('Talent', ben, 'WORKED_AT', [{ toId: g.ids.acme, properties: { from: '2020-01', to: '2020-12' } }]);
      expect(await store.colleagueCounts([ana, ben])).toEqual([3, 1]);
      await store.replaceEdgesFrom('Talent', ben, 'WORKED_AT', []);
      expect(await store.colleagueCounts([ana, ben])).toEqual([2, 0]);
    });

    it('lists alumni of a company, current staff first, paged', async () => {
      const acme = await alumni(g.ids.acme, page());
      expect(acme.totalCount).toBe(4);
      expect(acme.rows.map((row) => [label(row.talent), row.from, row.to, row.current])).toEqual([
        ['cat', '2021-06-15', null, true],
        ['ana', '2019-01', '2021-06', false],
        ['ben', '2020-01', '2020-12', false],
        ['dan', '2015-01', '2016-12', false],
      ]);
      expect(acme.rows[0]!.title).toBe('Engineer');
      const second = await alumni(g.ids.acme, page(2, 2));
      expect(second.totalCount).toBe(4);
      expect(second.rows.map((row) => label(row.talent))).toEqual(['ben', 'dan']);
      expect(await alumni(randomUUID(), page())).toEqual({ totalCount: 0, rows: [] });
    });

    it('ranks experts by level, then endorsements, then years', async () => {
      const { ana, cat, dan } = g.talents;
      const ranked = await experts(g.ids.ts, 10);
      expect(ranked.map((e) => [label(e.talent), e.level, e.endorsements, e.years])).toEqual([
        ['ana', 'EXPERT', 0, 5],
        ['cat', 'EXPERT', 0, 2],
        ['ben', 'ADVANCED', 0, 8],
        ['dan', 'BEGINNER', 0, 10],
      ]);
      expect((await experts(g.ids.ts, 2)).map((e) => label(e.talent))).toEqual(['ana', 'cat']);
      expect(await experts(g.ids.ts, 0)).toEqual([]);

      // Endorsements outrank years within a level, never the level itself.
      await store.upsertEdge({ kind: 'HAS_SKILL', fromId: cat, toId: g.ids.ts, properties: { level: 'EXPERT', years: 2, endorsements: 3 } });
      await store.upsertEdge({ kind: 'HAS_SKILL', fromId: dan, toId: g.ids.ts, properties: { level: 'BEGINNER', years: 10, endorsements: 50 } });
      expect((await experts(g.ids.ts, 10)).map((e) => [label(e.talent), e.endorsements])).toEqual([
        ['cat', 3],
        ['ana', 0],
        ['ben', 0],
        ['dan', 50],
      ]);
      // Equal endorsements: years decide again.
      await store.upsertEdge({ kind: 'HAS_SKILL', fromId: ana, toId: g.ids.ts, properties: { level: 'EXPERT', years: 5, endorsements: 3 } });
      expect((await experts(g.ids.ts, 2)).map((e) => [label(e.talent), e.endorsements, e.years])).toEqual([
        ['ana', 3, 5],
        ['cat', 3, 2],
      ]);
    });

    it('answers a batch of ids one result each, in input order, exactly as one id at a time', async () => {
      const { ana, ben, cat, dan, eve, fay } = g.talents;
      const unknown = randomUUID();
      // Repeats, an unknown id, and an id in upper case (ids are compared lower-cased).
      const talents = [fay, ana, unknown, ben, ana, eve, cat.toUpperCase(), dan];
      const companies = [g.ids.globex, unknown, g.ids.acme, g.ids.globex];
      const skills = [g.ids.go, unknown, g.ids.ts, g.ids.go];
      const singly = async <T>(ids: string[], read: (ids: string[]) => Promise<T[]>) => {
        const answers: T[] = [];
        for (const id of ids) answers.push(only(await read([id])));
        return answers;
      };

      for (const p of [page(), page(1, 1), page(5, 10), page(0)]) {
        const linked = await store.connections(talents, p);
        expect(linked).toEqual(await singly(talents, (ids) => store.connections(ids, p)));
        expect(linked[2]).toEqual({ totalCount: 0, rows: [] });
        expect(linked.map((result) => result.totalCount)).toEqual([1, 2, 0, 2, 2, 0, 2, 1]);
        const worked = await store.alumni(companies, p);
        expect(worked).toEqual(await singly(companies, (ids) => store.alumni(ids, p)));
        expect(worked.map((result) => result.totalCount)).toEqual([3, 0, 4, 3]);
      }
      for (const limit of [1, 2, 100]) {
        const shared = await store.colleagues(talents, limit);
        expect(shared).toEqual(await singly(talents, (ids) => store.colleagues(ids, limit)));
        expect(shared[2]).toEqual([]);
        expect(shared[1]!.length).toBe(Math.min(limit, 4));
        const ranked = await store.experts(skills, limit);
        expect(ranked).toEqual(await singly(skills, (ids) => store.experts(ids, limit)));
        expect(ranked.map((experts) => experts.length)).toEqual([1, 0, Math.min(limit, 4), 1]);
      }
      expect(await store.connections([], page())).toEqual([]);
      expect(await store.colleagues([])).toEqual([]);
      expect(await store.alumni([], page())).toEqual([]);
      expect(await store.experts([], 10)).toEqual([]);
    });

    it('finds a shortest path across edge kinds, edges as stored', async () => {
      const path = await store.shortestPath(g.talents.ana, g.talents.fay, 6);
      expect(path!.nodes.map(label)).toEqual(['ana', 'Globex', 'fay']);
      expect(path!.edges).toEqual([
        { kind: 'WORKED_AT', from: { kind: 'Talent', id: g.talents.ana }, to: { kind: 'Company', id: g.ids.globex }, properties: { title: 'Engineer', from: '2021-07', to: null } },
        { kind: 'WORKED_AT', from: { kind: 'Talent', id: g.talents.fay }, to: { kind: 'Company', id: g.ids.globex }, properties: { title: 'Engineer', from: '2023-01', to: null } },
      ]);
      const direct = await store.shortestPath(g.talents.cat, g.talents.ana, 6);
      expect(direct!.nodes.map(label)).toEqual(['cat', 'ana']);
      expect(direct!.edges.map((edge) => edge.kind)).toEqual(['KNOWS']);
      const self = await store.shortestPath(g.talents.ana, g.talents.ana, 1);
      expect(self).toEqual({ nodes: [{ kind: 'Talent', id: g.talents.ana, label: 'ana' }], edges: [] });
    });

    it('returns null when no path exists, within cycles, or the path is longer than maxDepth', async () => {
      // eve is isolated; the rest of the graph is full of cycles the walk must not loop on.
      expect(await store.shortestPath(g.talents.ana, g.talents.eve, 6)).toBeNull();
      expect(await store.shortestPath(g.talents.ana, g.talents.fay, 1)).toBeNull();
      expect(await store.shortestPath(g.talents.ana, randomUUID(), 6)).toBeNull();
      const sixHops = await store.shortestPath(g.chain[0]!, g.chain[6]!, 6);
      expect(sixHops!.nodes.map(label)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
      expect(sixHops!.edges).toHaveLength(6);
      expect(await store.shortestPath(g.chain[0]!, g.chain[7]!, 6)).toBeNull();
      expect(await store.shortestPath(g.chain[0]!, g.chain[6]!, 5)).toBeNull();
    });

    it('finds shortest paths of the right length on a generated graph, the same path each time', async () => {
      await store.clear();
      // Sparse, so the distances spread from 1 to beyond 6 and some pairs are not connected.
      const gen = generatedGraph(5, { talents: 40, companies: 6, skills: 8, knows: 0.9, skillsEach: 0.15, jobsEach: 0.15 });
      await writeBatched(store, gen.edges);
      const lengths = new Set<number | null>();
      for (const from of gen.talents.slice(0, 4)) {
        const distance = distancesFrom(from, gen.edges);
        for (const to of gen.talents.slice(20, 32)) {
          const expected = distance.get(to);
          const path = await store.shortestPath(from, to, 6);
          if (expected === undefined || expected > 6) {
            expect(path).toBeNull();
            lengths.add(null);
            continue;
          }
          expect(path!.edges).toHaveLength(expected);
          expectValidPath(path!, from, to, gen.edges);
          expect(await store.shortestPath(from, to, 6)).toEqual(path);
          if (expected > 1) expect(await store.shortestPath(from, to, expected - 1)).toBeNull();
          lengths.add(expected);
        }
      }
      // The graph really exercises both outcomes and several lengths.
      expect(lengths.has(null)).toBe(true);
      expect([...lengths].sort()).toEqual([1, 2, 3, 4, 5, 6, null]);
    });

    it('answers quickly on a dense graph with no path within maxDepth', async () => {
      await store.clear();
      // Dense enough that enumerating paths (tens of millions within 6 hops) would run far past
      // the test timeout; a level-wise search visits each node once.
      const gen = generatedGraph(11, { talents: 120, companies: 10, skills: 30, knows: 8, skillsEach: 5, jobsEach: 2 });
      // A second dense component (its own ids) so that both sides of a search have to grow.
      const island = generatedGraph(13, { talents: 40, companies: 4, skills: 10, knows: 4, skillsEach: 3, jobsEach: 1 });
      await writeBatched(store, [...gen.edges, ...island.edges]);
      const loner = randomUUID();
      await store.upsertNode({ kind: 'Talent', id: loner, label: 'loner' });
      expect(await store.shortestPath(gen.talents[0]!, loner, 6)).toBeNull();
      expect(await store.shortestPath(gen.talents[0]!, island.talents[0]!, 6)).toBeNull();
      expect(await store.shortestPath(island.talents[1]!, gen.talents[5]!, 6)).toBeNull();
      const path = await store.shortestPath(gen.talents[0]!, gen.talents[119]!, 6);
      expectValidPath(path!, gen.talents[0]!, gen.talents[119]!, gen.edges);
      expect(path!.edges).toHaveLength(distancesFrom(gen.talents[0]!, gen.edges).get(gen.talents[119]!)!);
    });

    it('draws the neighbourhood of a node, closest first, with the edges between the nodes', async () => {
      const one = await store.neighbourhood('Company', g.ids.globex, 1, 500);
      expect(one!.truncated).toBe(false);
      expect(one!.nodes[0]).toEqual({ kind: 'Company', id: g.ids.globex, label: 'Globex', depth: 0 });
      expect(one!.nodes.slice(1).map((node) => node.depth)).toEqual([1, 1, 1]);
      expect(new Set(one!.nodes.slice(1).map(label))).toEqual(new Set(['ana', 'ben', 'fay']));
      // Edges among the four nodes: the three WORKED_AT plus ana KNOWS ben.
      expect(one!.edges.map((edge) => edge.kind).sort()).toEqual(['KNOWS', 'WORKED_AT', 'WORKED_AT', 'WORKED_AT']);

      const center = await store.neighbourhood('Talent', g.talents.eve, 3, 10);
      expect(center).toEqual({ nodes: [{ kind: 'Talent', id: g.talents.eve, label: 'eve', depth: 0 }], edges: [], truncated: false });

      const capped = await store.neighbourhood('Talent', g.talents.ana, 3, 3);
      expect(capped!.nodes).toHaveLength(3);
      expect(capped!.nodes[0]!.label).toBe('ana');
      expect(capped!.nodes.slice(1).every((node) => node.depth === 1)).toBe(true);
      expect(capped!.truncated).toBe(true);

      const wide = await store.neighbourhood('Talent', g.talents.ana, 3, 500);
      const depthOf = new Map(wide!.nodes.map((node) => [node.label, node.depth]));
      expect(depthOf.get('Globex')).toBe(1);
      expect(depthOf.get('fay')).toBe(2);
      expect(depthOf.get('Apollo')).toBe(2); // via cat
      expect(depthOf.get('Backend engineer')).toBe(2); // via TypeScript
      expect(depthOf.has('eve')).toBe(false);
      expect(depthOf.has('c0')).toBe(false);
      expect(new Set(wide!.nodes.map((node) => `${node.kind}:${node.id}`)).size).toBe(wide!.nodes.length);

      expect(await store.neighbourhood('Talent', randomUUID(), 2, 10)).toBeNull();
    });

    it('draws the neighbourhood of a dense graph, each node once at its closest distance', async () => {
      await store.clear();
      // 40 talents who all know each other (780 edges): some 40³ paths of 3 hops leave each of
      // them, while a breadth-first walk meets each node once.
      const clique = Array.from({ length: 40 }, () => randomUUID());
      // From the last talent back, each replacing its KNOWS with those to the talents after it:
      // none of its pairs is written yet, so one call per talent builds every pair.
      for (let i = clique.length - 1; i >= 0; i--) {
        await store.replaceEdgesFrom('Talent', clique[i]!, 'KNOWS', clique.slice(i + 1).map((toId) => ({ toId, properties: { strength: 0.5 } })));
      }
      // A tail off the last one: a company (2 hops from the first), an outsider who worked there (3), their skill (4).
      const [company, outsider, skill] = [randomUUID(), randomUUID(), randomUUID()];
      await store.upsertEdge({ kind: 'WORKED_AT', fromId: clique[39]!, toId: company, properties: { from: '2020-01', to: null } });
      await store.upsertEdge({ kind: 'WORKED_AT', fromId: outsider, toId: company, properties: { from: '2021-01', to: null } });
      await store.upsertEdge({ kind: 'HAS_SKILL', fromId: outsider, toId: skill, properties: { level: 'EXPERT', years: 3 } });
      const placeholder = (kind: NodeKind, id: string, depth: number) => ({ kind, id, label: null, depth });
      const byId = (ids: string[]) => [...ids].sort();

      const [first, ...others] = clique as [string, ...string[]];
      const fromFirst = await store.neighbourhood('Talent', first, 3, 500);
      expect(fromFirst!.nodes).toEqual([
        placeholder('Talent', first, 0),
        ...byId(others).map((id) => placeholder('Talent', id, 1)),
        placeholder('Company', company, 2),
        placeholder('Talent', outsider, 3),
      ]);
      expect(fromFirst!.edges.map((edge) => edge.kind).filter((kind) => kind === 'KNOWS')).toHaveLength(780);
      expect(fromFirst!.edges).toHaveLength(782); // and the two WORKED_AT
      expect(fromFirst!.truncated).toBe(false);

      // The far side: the dense part is the last level.
      const fromOutsider = await store.neighbourhood('Talent', outsider, 3, 500);
      expect(fromOutsider!.nodes).toEqual([
        placeholder('Talent', outsider, 0),
        placeholder('Company', company, 1),
        placeholder('Skill', skill, 1),
        placeholder('Talent', clique[39]!, 2),
        ...byId(clique.slice(0, 39)).map((id) => placeholder('Talent', id, 3)),
      ]);
      expect(fromOutsider!.edges).toHaveLength(783);

      // Cut by the limit, closest first; over KNOWS only, the tail is out of reach.
      const cut = await store.neighbourhood('Talent', first, 3, 41);
      expect(cut!.nodes.map((node) => node.id)).toEqual(fromFirst!.nodes.slice(0, 41).map((node) => node.id));
      expect(cut!.truncated).toBe(true);
      const knowing = await store.neighbourhood('Talent', first, 3, 500, ['KNOWS']);
      expect(knowing!.nodes).toEqual(fromFirst!.nodes.slice(0, 40));
      expect(knowing!.edges).toHaveLength(780);
    });

    it('restricts the neighbourhood walk and its edges to the given edge kinds', async () => {
      const { ana, ben, cat } = g.talents;
      // Jobs and skills only: a talent is never reached, not even its existence shows.
      const publicOnly = await store.neighbourhood('Skill', g.ids.ts, 3, 500, ['REQUIRES']);
      expect(publicOnly).toEqual({
        nodes: [
          { kind: 'Skill', id: g.ids.ts, label: 'TypeScript', depth: 0 },
          { kind: 'Job', id: g.ids.job, label: 'Backend engineer', depth: 1 },
        ],
        edges: [{ kind: 'REQUIRES', from: { kind: 'Job', id: g.ids.job }, to: { kind: 'Skill', id: g.ids.ts }, properties: { level: 'ADVANCED' } }],
        truncated: false,
      });
      expect((await store.neighbourhood('Job', g.ids.job, 3, 500, ['REQUIRES']))!.nodes.map(label)).toEqual(['Backend engineer', 'TypeScript']);

      const people = await store.neighbourhood('Talent', ana, 1, 500, ['KNOWS', 'HAS_SKILL']);
      expect(new Set(people!.nodes.map(label))).toEqual(new Set(['ana', 'ben', 'cat', 'TypeScript', 'Go']));
      // ben and cat also share TypeScript and know each other: those edges count, WORKED_AT never does.
      const drawn = people!.edges.map((edge) => `${edge.kind}:${edge.from.id}:${edge.to.id}`).sort();
      const [low, high] = [ben, cat].sort();
      expect(drawn).toEqual(
        [
          `KNOWS:${[ana, ben].sort().join(':')}`,
          `KNOWS:${[ana, cat].sort().join(':')}`,
          `KNOWS:${low}:${high}`,
          `HAS_SKILL:${ana}:${g.ids.ts}`,
          `HAS_SKILL:${ben}:${g.ids.ts}`,
          `HAS_SKILL:${cat}:${g.ids.ts}`,
          `HAS_SKILL:${ana}:${g.ids.go}`,
        ].sort(),
      );

      // No kinds: the center alone; undefined: every kind (as without the argument).
      expect(await store.neighbourhood('Talent', ana, 3, 500, [])).toEqual({
        nodes: [{ kind: 'Talent', id: ana, label: 'ana', depth: 0 }],
        edges: [],
        truncated: false,
      });
      expect(await store.neighbourhood('Talent', ana, 2, 500, undefined)).toEqual(await store.neighbourhood('Talent', ana, 2, 500));
      await expect(store.neighbourhood('Talent', ana, 2, 500, ['LIKES' as never])).rejects.toThrow(RangeError);
    });

    it('clear() removes every node and edge', async () => {
      await store.clear();
      expect(await store.neighbourhood('Talent', g.talents.ana, 3, 500)).toBeNull();
      expect(await store.neighbourhood('Company', g.ids.acme, 0, 1)).toBeNull();
      expect(await experts(g.ids.ts, 10)).toEqual([]);
      expect(await connections(g.talents.ana, page())).toEqual({ totalCount: 0, rows: [] });
      await store.clear(); // on an empty graph too
      await store.upsertEdge({ kind: 'KNOWS', fromId: g.talents.ana, toId: g.talents.ben, properties: { strength: 1 } });
      expect((await connections(g.talents.ana, page())).totalCount).toBe(1);
    });

    it('rejects arguments beyond the limits with a RangeError', async () => {
      const { ana, fay } = g.talents;
      await expect(store.shortestPath(ana, fay, 7)).rejects.toThrow(RangeError);
      await expect(store.shortestPath(ana, fay, 0)).rejects.toThrow(RangeError);
      await expect(store.shortestPath(ana, fay, 2.5)).rejects.toThrow(RangeError);
      await expect(store.neighbourhood('Talent', ana, 4, 10)).rejects.toThrow(RangeError);
      await expect(store.neighbourhood('Talent', ana, 2, 501)).rejects.toThrow(RangeError);
      await expect(store.neighbourhood('Talent', ana, 2, 0)).rejects.toThrow(RangeError);
      await expect(experts(g.ids.ts, 501)).rejects.toThrow(RangeError);
      await expect(connections(ana, page(501))).rejects.toThrow(RangeError);
      await expect(alumni(g.ids.acme, page(501))).rejects.toThrow(RangeError);
      await expect(colleagues(ana, 501)).rejects.toThrow(RangeError);
      await expect(connections('not-a-uuid', page())).rejects.toThrow(RangeError);
      // A batch: every id is checked, and one call takes at most MAX_LIMIT of them.
      await expect(store.alumni([g.ids.acme, 'not-a-uuid'], page())).rejects.toThrow(RangeError);
      const tooMany = Array.from({ length: MAX_LIMIT + 1 }, () => ana);
      await expect(store.connections(tooMany, page())).rejects.toThrow(RangeError);
      await expect(store.colleagues(tooMany)).rejects.toThrow(RangeError);
      await expect(store.colleagueCounts(tooMany)).rejects.toThrow(RangeError);
      await expect(store.colleagueCounts([ana, 'not-a-uuid'])).rejects.toThrow(RangeError);
      expect(await store.colleagueCounts(tooMany.slice(1))).toEqual(Array.from({ length: MAX_LIMIT }, () => 3));
      await expect(store.alumni(tooMany, page())).rejects.toThrow(RangeError);
      await expect(store.experts(tooMany, 10)).rejects.toThrow(RangeError);
      expect(await store.connections(tooMany.slice(1), page())).toHaveLength(MAX_LIMIT);
    });

    it('rejects malformed edges and writes nothing', async () => {
      const { ana, ben } = g.talents;
      const before = await store.neighbourhood('Talent', ana, 3, 500);
      await expect(store.upsertEdge({ kind: 'WORKED_AT', fromId: ana, toId: g.ids.acme, properties: { from: '2020-13' } })).rejects.toThrow(RangeError);
      await expect(store.upsertEdge({ kind: 'WORKED_AT', fromId: ana, toId: g.ids.acme, properties: { from: '2020-05', to: '2020-04' } })).rejects.toThrow(RangeError);
      await expect(store.upsertEdge({ kind: 'WORKED_AT', fromId: ana, toId: g.ids.acme, properties: {} })).rejects.toThrow(RangeError);
      await expect(store.upsertEdge({ kind: 'KNOWS', fromId: ana, toId: ana })).rejects.toThrow(RangeError);
      await expect(store.upsertEdge({ kind: 'LIKES' as never, fromId: ana, toId: ben })).rejects.toThrow(RangeError);
      for (const endorsements of [-1, 1.5, '3']) {
        const edge = { kind: 'HAS_SKILL' as const, fromId: ana, toId: g.ids.ts, properties: { level: 'EXPERT', endorsements } };
        await expect(store.upsertEdge(edge)).rejects.toThrow(RangeError);
      }
      await expect(store.replaceEdgesFrom('Company', g.ids.acme, 'WORKED_AT', [])).rejects.toThrow(RangeError);
      await expect(
        store.replaceEdgesFrom('Talent', ana, 'WORKED_AT', [{ toId: g.ids.acme, properties: { from: '2020-01' } }, { toId: g.ids.globex, properties: { from: 'soon' } }]),
      ).rejects.toThrow(RangeError);
      expect(await store.neighbourhood('Talent', ana, 3, 500)).toEqual(before);
    });

    it('replaceEdgesFrom swaps a talent’s edges of one kind, and replaying it changes nothing', async () => {
      const { ana } = g.talents;
      const initech = randomUUID();
      const resume = [
        { toId: g.ids.acme, properties: { title: 'Staff engineer', from: '2019-01', to: '2020-06' } },
        { toId: initech, properties: { title: 'CTO', from: '2020-07', to: null } },
      ];
      await store.replaceEdgesFrom('Talent', ana, 'WORKED_AT', resume);
      const once = await store.neighbourhood('Talent', ana, 3, 500);
      await store.replaceEdgesFrom('Talent', ana, 'WORKED_AT', resume);
      expect(await store.neighbourhood('Talent', ana, 3, 500)).toEqual(once);

      const worked = once!.edges.filter((edge) => edge.kind === 'WORKED_AT' && edge.from.id === ana);
      expect(worked.map((edge) => edge.to.id).sort()).toEqual([g.ids.acme, initech].sort());
      // The company arrived before its owner's event: a placeholder node without a label.
      expect(once!.nodes.find((node) => node.id === initech)).toMatchObject({ kind: 'Company', label: null, depth: 1 });
      // Other kinds of ana's edges are untouched; colleagues follow the new stints.
      expect((await experts(g.ids.go, 10)).map((e) => label(e.talent))).toEqual(['ana']);
      expect((await colleagues(ana)).map((c) => [label(c.talent), label(c.company), c.overlapMonths])).toEqual([['ben', 'Acme', 6]]);

      await store.replaceEdgesFrom('Talent', ana, 'WORKED_AT', []);
      expect(await colleagues(ana)).toEqual([]);
      expect((await alumni(g.ids.acme, page())).rows.map((row) => label(row.talent))).toEqual(['cat', 'ben', 'dan']);
    });

    it('replaceEdgesFrom for KNOWS replaces the pairs touching the talent from either end', async () => {
      const { ana, ben, cat, dan } = g.talents;
      await store.replaceEdgesFrom('Talent', cat, 'KNOWS', [{ toId: dan, properties: { strength: 0.3 } }]);
      await store.replaceEdgesFrom('Talent', cat, 'KNOWS', [{ toId: dan, properties: { strength: 0.3 } }]);
      expect((await connections(cat, page())).rows.map((row) => [label(row.talent), row.strength])).toEqual([['dan', 0.3]]);
      expect((await connections(ana, page())).rows.map((row) => label(row.talent))).toEqual(['ben']);
      expect((await connections(ben, page())).rows.map((row) => label(row.talent))).toEqual(['ana']);
    });

    it('upsertNodes and upsertEdges draw what upsertNode and upsertEdge one by one draw, many statements’ worth', async () => {
      await store.clear();
      // More edges than one bulk statement takes (BULK_ROWS), every kind, a third of the talents as placeholders.
      const generated = generatedGraph(11, { talents: 300, companies: 20, skills: 30, knows: 2, skillsEach: 2, jobsEach: 1.5 });
      expect(generated.edges.length).toBeGreaterThan(BULK_ROWS);
      const project = randomUUID();
      const [first, second, third] = generated.talents as [string, string, string];
      const nodes: GraphNode[] = [
        ...generated.talents.slice(0, 200).map((id, index) => ({ kind: 'Talent' as const, id, label: `t${index}` })),
        ...generated.companies.map((id, index) => ({ kind: 'Company' as const, id, label: `c${index}` })),
        { kind: 'Project', id: project, label: 'Apollo' },
        { kind: 'Talent', id: first, label: 'renamed' }, // given twice: the last label stands
      ];
      const knows = generated.edges.find((edge) => edge.kind === 'KNOWS')!;
      const edges: EdgeInput[] = [
        ...generated.edges,
        { kind: 'MEMBER_OF', fromId: second, toId: project, properties: { role: null } },
        { kind: 'MEMBER_OF', fromId: third, toId: project, properties: { role: 'lead' } },
        { kind: 'KNOWS', fromId: knows.toId, toId: knows.fromId, properties: { strength: 0.25 } }, // the same pair the other way round
      ];
      const refs: NodeRef[] = [
        ...generated.talents.map((id) => ({ kind: 'Talent' as const, id })),
        ...generated.companies.map((id) => ({ kind: 'Company' as const, id })),
        ...generated.skills.map((id) => ({ kind: 'Skill' as const, id })),
        ...generated.jobs.map((id) => ({ kind: 'Job' as const, id })),
        { kind: 'Project', id: project },
      ];
      const drawn = async () => Promise.all(refs.map((ref) => store.neighbourhood(ref.kind, ref.id, 1, 500)));

      await store.upsertNodes(nodes);
      await store.upsertEdges(edges);
      const bulk = await drawn();
      await store.clear();
      for (const node of nodes) await store.upsertNode(node);
      for (const edge of edges) await store.upsertEdge(edge);
      expect(bulk).toEqual(await drawn());

      const center = (ref: NodeRef) => bulk[refs.findIndex((other) => other.kind === ref.kind && other.id === ref.id)]!.nodes[0]!;
      expect(center({ kind: 'Talent', id: first }).label).toBe('renamed');
      expect(center({ kind: 'Talent', id: generated.talents[250]! }).label).toBeNull(); // drawn by its edges only: a placeholder
      expect((await connections(knows.fromId, page(500))).rows.find((row) => row.talent.id === knows.toId)!.strength).toBe(0.25);
      expect(bulk.filter((one) => one === null)).toEqual([]);
      expect(new Set(bulk.flatMap((one) => one!.edges.map((edge) => edge.kind)))).toEqual(new Set(Object.keys(EDGE_ENDPOINTS)));
      const team = bulk.at(-1)!.edges.map((edge) => [edge.from.id, edge.properties]);
      expect(team).toEqual(expect.arrayContaining([[second, { role: null }], [third, { role: 'lead' }]]));
    }, 120_000);

    it('upsertNodes and upsertEdges update what is there, check every row first, and take nothing as a no-op', async () => {
      const { ana, ben } = g.talents;
      await store.upsertNodes([{ kind: 'Talent', id: ben, label: 'Benjamin' }]);
      await store.upsertEdges([{ kind: 'KNOWS', fromId: ben, toId: ana, properties: { strength: 0.4 } }]);
      expect((await connections(ana, page())).rows[0]).toEqual({ talent: { kind: 'Talent', id: ben, label: 'Benjamin' }, strength: 0.4 });

      const before = await store.neighbourhood('Talent', ana, 3, 500);
      const fresh = randomUUID();
      await expect(
        store.upsertEdges([
          { kind: 'KNOWS', fromId: ana, toId: fresh, properties: { strength: 1 } },
          { kind: 'WORKED_AT', fromId: ana, toId: g.ids.acme, properties: { from: 'soon' } },
        ]),
      ).rejects.toThrow(RangeError);
      await expect(store.upsertNodes([{ kind: 'Talent', id: fresh, label: 'x' }, { kind: 'Planet' as never, id: fresh, label: 'y' }])).rejects.toThrow(RangeError);
      await expect(store.upsertNodes([{ kind: 'Talent', id: ana, label: 'x' }, { kind: 'Talent', id: 'not-a-uuid', label: 'y' }])).rejects.toThrow(RangeError);
      await store.upsertNodes([]);
      await store.upsertEdges([]);
      expect(await store.neighbourhood('Talent', ana, 3, 500)).toEqual(before);
      expect(await store.neighbourhood('Talent', fresh, 0, 1)).toBeNull();
    });

    it('upserts node labels and removes a node with its edges', async () => {
      const { ana, ben } = g.talents;
      await store.upsertNode({ kind: 'Talent', id: ben, label: 'Benjamin' });
      expect((await connections(ana, page())).rows[0]!.talent.label).toBe('Benjamin');
      expect(await store.removeNode({ kind: 'Talent', id: ben })).toBe(true);
      expect(await store.removeNode({ kind: 'Talent', id: ben })).toBe(false);
      expect((await connections(ana, page())).rows.map((row) => label(row.talent))).toEqual(['cat']);
      expect((await colleagues(ana)).map((c) => label(c.talent))).toEqual(['fay', 'cat']);
      expect(await store.colleagueCounts([ana])).toEqual([2]);
      expect((await experts(g.ids.ts, 10)).map((e) => label(e.talent))).toEqual(['ana', 'cat', 'dan']);
      expect(await store.removeEdge('HAS_SKILL', ana, g.ids.go)).toBe(true);
      expect(await experts(g.ids.go, 10)).toEqual([]);
      // Removing needs only the edge's key: no dates for a WORKED_AT.
      expect(await store.removeEdge('WORKED_AT', ana, g.ids.globex)).toBe(true);
      expect((await colleagues(ana)).map((c) => label(c.talent))).toEqual(['cat']);
    });
  });
}
