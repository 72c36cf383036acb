import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EdgeInput, GraphStore, NodeKind } from '../store.ts';

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

    it('lists KNOWS connections from either end, strongest first, paged', async () => {
      const all = await store.connections(g.talents.ana, page());
      expect(all.totalCount).toBe(2);
      expect(all.rows.map((row) => [label(row.talent), row.strength])).toEqual([['ben', 0.9], ['cat', 0.2]]);
      const second = await store.connections(g.talents.ana, page(1, 1));
      expect(second).toEqual({ totalCount: 2, rows: [{ talent: { kind: 'Talent', id: g.talents.cat, label: 'cat' }, strength: 0.2 }] });
      expect(await store.connections(g.talents.ana, page(5, 10))).toEqual({ totalCount: 2, rows: [] });
      expect(await store.connections(g.talents.eve, page())).toEqual({ totalCount: 0, rows: [] });
    });

    it('stores KNOWS once per pair: writing it the other way round updates the same edge', async () => {
      await store.upsertEdge({ kind: 'KNOWS', fromId: g.talents.ben, toId: g.talents.ana, properties: { strength: 0.4 } });
      const fromAna = await store.connections(g.talents.ana, page());
      expect(fromAna.totalCount).toBe(2);
      expect(fromAna.rows.find((row) => row.talent.id === g.talents.ben)!.strength).toBe(0.4);
      const fromBen = await store.connections(g.talents.ben, page());
      expect(fromBen.rows.find((row) => row.talent.id === g.talents.ana)!.strength).toBe(0.4);
      expect(await store.removeEdge('KNOWS', g.talents.ben, g.talents.ana)).toBe(true);
      expect(await store.removeEdge('KNOWS', g.talents.ana, g.talents.ben)).toBe(false);
      expect((await store.connections(g.talents.ana, page())).totalCount).toBe(1);
    });

    it('computes colleagues by overlapping months at the same company, longest first', async () => {
      const ana = await store.colleagues(g.talents.ana);
      expect(ana.map((c) => [label(c.talent), label(c.company), c.overlapMonths])).toEqual([
        ['fay', 'Globex', 18], // 2023-01 … now (2024-06), both current
        ['ben', 'Acme', 12], // 2020-01 … 2020-12
        ['ben', 'Globex', 3], // 2022-01 … 2022-03, days ignored
        ['cat', 'Acme', 1], // ana left in June 2021, cat joined mid June 2021
      ]);
      const cat = await store.colleagues(g.talents.cat);
      expect(cat.map((c) => [label(c.talent), c.overlapMonths])).toEqual([['ana', 1]]);
      expect(await store.colleagues(g.talents.dan)).toEqual([]);
      expect((await store.colleagues(g.talents.ana, 2)).length).toBe(2);
    });

    it('lists alumni of a company, current staff first, paged', async () => {
      const acme = await store.alumni(g.ids.acme, page());
      expect(acme.totalCount).toBe(4);
      expect(acme.rows.map((row) => [label(row.talent), row.from, row.to, row.current])).toEqual([
        ['cat', '2021-06-15', null, true],
        ['ana', '2019-01', '2021-06', false],
        ['ben', '2020-01', '2020-12', false],
        ['dan', '2015-01', '2016-12', false],
      ]);
      expect(acme.rows[0]!.title).toBe('Engineer');
      const second = await store.alumni(g.ids.acme, page(2, 2));
      expect(second.totalCount).toBe(4);
      expect(second.rows.map((row) => label(row.talent))).toEqual(['ben', 'dan']);
      expect(await store.alumni(randomUUID(), page())).toEqual({ totalCount: 0, rows: [] });
    });

    it('ranks experts by level, then years', async () => {
      const experts = await store.experts(g.ids.ts, 10);
      expect(experts.map((e) => [label(e.talent), e.level, e.years])).toEqual([
        ['ana', 'EXPERT', 5],
        ['cat', 'EXPERT', 2],
        ['ben', 'ADVANCED', 8],
        ['dan', 'BEGINNER', 10],
      ]);
      expect((await store.experts(g.ids.ts, 2)).map((e) => label(e.talent))).toEqual(['ana', 'cat']);
      expect(await store.experts(g.ids.ts, 0)).toEqual([]);
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

    it('rejects arguments beyond the limits with a RangeError', async () => {
      const { ana, fay } = g.talents;
      await expect(store.shortestPath(ana, fay, 7)).rejects.toThrow(RangeError);
      await expect(store.shortestPath(ana, fay, 0)).rejects.toThrow(RangeError);
      await expect(store.shortestPath(ana, fay, 2.5)).rejects.toThrow(RangeError);
      await expect(store.neighbourhood('Talent', ana, 4, 10)).rejects.toThrow(RangeError);
      await expect(store.neighbourhood('Talent', ana, 2, 501)).rejects.toThrow(RangeError);
      await expect(store.neighbourhood('Talent', ana, 2, 0)).rejects.toThrow(RangeError);
      await expect(store.experts(g.ids.ts, 501)).rejects.toThrow(RangeError);
      await expect(store.connections(ana, page(501))).rejects.toThrow(RangeError);
      await expect(store.alumni(g.ids.acme, page(501))).rejects.toThrow(RangeError);
      await expect(store.colleagues(ana, 501)).rejects.toThrow(RangeError);
      await expect(store.connections('not-a-uuid', page())).rejects.toThrow(RangeError);
    });

    it('rejects malformed edges and writes nothing', async () => {
      const { ana, ben } = g.talents;
      const before = await store.neighbourhood('Talent', ana, 3, 500);
      await expect(store.upsertEdge({ kind: 'WORKED_AT', fromId: ana, toId: g.ids.acme, properties: { from: '2020-13' } })).rejects.toThrow(RangeError);
      await expect(store.upsertEdge({ kind: 'WORKED_AT', fromId: ana, toId: g.ids.acme, properties: { from: '2020-05', to: '2020-04' } })).rejects.toThrow(RangeError);
      await expect(store.upsertEdge({ kind: 'WORKED_AT', fromId: ana, toId: g.ids.acme, properties: {} })).rejects.toThrow(RangeError);
      await expect(store.upsertEdge({ kind: 'KNOWS', fromId: ana, toId: ana })).rejects.toThrow(RangeError);
      await expect(store.upsertEdge({ kind: 'LIKES' as never, fromId: ana, toId: ben })).rejects.toThrow(RangeError);
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
      expect((await store.experts(g.ids.go, 10)).map((e) => label(e.talent))).toEqual(['ana']);
      expect((await store.colleagues(ana)).map((c) => [label(c.talent), label(c.company), c.overlapMonths])).toEqual([['ben', 'Acme', 6]]);

      await store.replaceEdgesFrom('Talent', ana, 'WORKED_AT', []);
      expect(await store.colleagues(ana)).toEqual([]);
      expect((await store.alumni(g.ids.acme, page())).rows.map((row) => label(row.talent))).toEqual(['cat', 'ben', 'dan']);
    });

    it('replaceEdgesFrom for KNOWS replaces the pairs touching the talent from either end', async () => {
      const { ana, ben, cat, dan } = g.talents;
      await store.replaceEdgesFrom('Talent', cat, 'KNOWS', [{ toId: dan, properties: { strength: 0.3 } }]);
      await store.replaceEdgesFrom('Talent', cat, 'KNOWS', [{ toId: dan, properties: { strength: 0.3 } }]);
      expect((await store.connections(cat, page())).rows.map((row) => [label(row.talent), row.strength])).toEqual([['dan', 0.3]]);
      expect((await store.connections(ana, page())).rows.map((row) => label(row.talent))).toEqual(['ben']);
      expect((await store.connections(ben, page())).rows.map((row) => label(row.talent))).toEqual(['ana']);
    });

    it('upserts node labels and removes a node with its edges', async () => {
      const { ana, ben } = g.talents;
      await store.upsertNode({ kind: 'Talent', id: ben, label: 'Benjamin' });
      expect((await store.connections(ana, page())).rows[0]!.talent.label).toBe('Benjamin');
      expect(await store.removeNode({ kind: 'Talent', id: ben })).toBe(true);
      expect(await store.removeNode({ kind: 'Talent', id: ben })).toBe(false);
      expect((await store.connections(ana, page())).rows.map((row) => label(row.talent))).toEqual(['cat']);
      expect((await store.colleagues(ana)).map((c) => label(c.talent))).toEqual(['fay', 'cat']);
      expect((await store.experts(g.ids.ts, 10)).map((e) => label(e.talent))).toEqual(['ana', 'cat', 'dan']);
      expect(await store.removeEdge('HAS_SKILL', ana, g.ids.go)).toBe(true);
      expect(await store.experts(g.ids.go, 10)).toEqual([]);
    });
  });
}
