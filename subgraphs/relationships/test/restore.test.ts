import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateDemoDataset } from '../../../demo/dataset.ts';
import type { Db } from '../../../platform/db/db.ts';
import { admitSnapshot, type DomainEvent } from '../../../platform/events/index.ts';
import { migrateSubgraph } from '../../../platform/subgraph.ts';
import { contractSuite } from '../../../test/support/contract.ts';
import { backends, freshDb } from '../../../test/support/databases.ts';
import { NEO4J_URL, lockNeo4j, neo4jTarget } from '../../../test/support/neo4j.ts';
import { loadDemo } from '../demo.ts';
import type { Stores } from '../index.ts';
import { CONSUMER, graphConsumer } from '../projector.ts';
import { Neo4jGraphStore } from '../store.neo4j.ts';
import { PostgresGraphStore } from '../store.postgres.ts';
import { NODE_KINDS, type GraphStore, type NodeRef } from '../store.ts';
import { snapshotEvents } from './snapshot-events.ts';

/**
 * graphConsumer.restore (a rebuild in bulk) draws exactly the graph that applying the snapshot
 * one event at a time draws, on the demo dataset plus what makes the rules matter: deleted
 * entities still named, superseded and moved resumes, endorsements and KNOWS links made here.
 */

const SUBGRAPH = fileURLToPath(new URL('..', import.meta.url));
const dataset = generateDemoDataset();
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of drops) await drop();
});

async function database(backend: 'pglite' | 'postgres', prefix: string): Promise<Db> {
  const { db, drop } = await freshDb(backend, prefix);
  drops.push(drop);
  return db;
}

type Payload = Record<string, unknown>;
const list = (value: unknown) => value as Payload[];

/** The demo's snapshot with the cases added, and what the graph's own tables start with. */
interface Scenario {
  events: DomainEvent[];
  deleted: { talent: string; company: string; skill: string };
  superseded: { resume: string; talent: string; droppedCompany: string };
  moved: { resume: string; from: string; to: string };
  /** Seeds a fresh relationships schema: KNOWS links and endorsements made here, and the deletions its consumer was told of. */
  seed(stores: Stores): Promise<void>;
}

async function scenario(): Promise<Scenario> {
  const snapshot = await snapshotEvents(dataset, (owner) => database('pglite', owner));
  const of = (type: string) => snapshot.filter((event) => event.aggregate.type === type);
  const resumes = of('Resume');
  const talentOf = (event: DomainEvent) => event.payload.talentId as string;
  const ids = (entries: Payload[], field: string) => entries.map((entry) => entry[field]).filter((id): id is string => typeof id === 'string');
  const companiesOf = (event: DomainEvent) => ids(list(event.payload.experience), 'companyId');
  const skillsOf = (event: DomainEvent) => ids(list(event.payload.skills), 'skillId');

  // A deleted talent who is on a project's team and has resumes (so the resumes and the team still name them).
  const members = new Set(of('Project').flatMap((event) => list(event.payload.members).map((member) => member.talentId as string)));
  const talent = resumes.map(talentOf).find((id) => members.has(id))!;
  // A deleted company and a deleted skill, both named by resumes (the skill by a job too).
  const company = companiesOf(resumes.find((event) => talentOf(event) !== talent && companiesOf(event).length > 0)!)[0]!;
  const required = new Set(of('Job').flatMap((event) => list(event.payload.requiredSkills).map((skill) => skill.skillId as string)));
  const skill = resumes.flatMap(skillsOf).find((id) => required.has(id))!;

  // A resume superseded by a later event (a stint and a skill fewer, a level changed), and one moved to another talent.
  const live = resumes.filter((event) => ![talent].includes(talentOf(event)) && companiesOf(event).length > 1 && !companiesOf(event).includes(company));
  const [first, second] = [live[0]!, live.find((event) => talentOf(event) !== talentOf(live[0]!))!];
  const experience = list(first.payload.experience);
  const dropped = experience.findIndex((entry) => typeof entry.companyId === 'string');
  const skills = list(first.payload.skills);
  const later: DomainEvent = {
    ...first,
    id: randomUUID(),
    type: 'resume.updated',
    payload: { ...first.payload, experience: experience.filter((_, index) => index !== dropped), skills: skills.slice(1).map((entry) => ({ ...entry, level: 'EXPERT' })) },
  };
  const target = of('Talent').map((event) => event.aggregate.id).find((id) => ![talent, talentOf(first), talentOf(second)].includes(id))!;
  const moved: DomainEvent = { ...second, id: randomUUID(), type: 'resume.updated', payload: { ...second.payload, talentId: target } };

  const [a, b] = dataset.talents.map((entry) => entry.id).filter((id) => id !== talent);
  return {
    events: [...snapshot, later, moved],
    deleted: { talent, company, skill },
    superseded: { resume: first.aggregate.id, talent: talentOf(first), droppedCompany: experience[dropped]!.companyId as string },
    moved: { resume: second.aggregate.id, from: talentOf(second), to: target },
    async seed(stores) {
      const { db } = stores;
      await loadDemo(stores, dataset);
      const ordered = (x: string, y: string) => (x < y ? [x, y] : [y, x]);
      await db.query('insert into acquaintances (talent_id, other_id, strength) values ($1, $2, 0.3) on conflict do nothing', ordered(talent, a!));
      const endorse = (talentId: string, skillId: string, endorser: string) =>
        db.query('insert into endorsements (talent_id, skill_id, endorser_id) values ($1, $2, $3) on conflict do nothing', [talentId, skillId, endorser]);
      for (const event of resumes.slice(0, 20)) {
        for (const skillId of skillsOf(event).slice(0, 2)) for (const endorser of ['u1', 'u2']) await endorse(talentOf(event), skillId, endorser);
      }
      await endorse(talent, skillsOf(resumes.find((event) => talentOf(event) === talent)!)[0]!, 'u1');
      await endorse(b!, skill, 'u1');
      for (const [type, id] of [['Talent', talent], ['Company', company], ['Skill', skill]] as const) {
        await db.query(`insert into aggregate_versions (consumer, aggregate_type, aggregate_id, position, deleted) values ($1, $2, $3, 1, true)`, [CONSUMER, type, id]);
      }
    },
  };
}

/** A rebuild as the runtime runs it (platform/events/projection.ts), one event at a time or in bulk. */
async function rebuild(stores: Stores, events: readonly DomainEvent[], bulk: boolean): Promise<void> {
  await stores.db.transaction(async (tx) => {
    const admitted = await admitSnapshot(tx, CONSUMER, events);
    await graphConsumer.reset(stores, tx);
    if (bulk) await graphConsumer.restore!(stores, admitted, tx);
    else for (const event of admitted) await graphConsumer.apply(stores, event, tx);
  });
}

/** Everything the graph consumer keeps in PostgreSQL, in a stable order. */
async function tables(db: Db) {
  const dump = (sql: string) => db.query<Payload>(sql);
  return {
    nodes: await dump('select kind, id, label from nodes order by kind, id'),
    edges: await dump('select kind, from_kind, from_id, to_kind, to_id, properties from edges order by kind, from_id, to_id'),
    resumeSources: await dump('select resume_id, talent_id, experience, skills from resume_sources order by resume_id'),
    projectMembers: await dump('select project_id, talent_id, role from project_members order by project_id, talent_id'),
    acquaintances: await dump('select talent_id, other_id, strength from acquaintances order by talent_id, other_id'),
    endorsements: await dump('select talent_id, skill_id, endorser_id from endorsements order by talent_id, skill_id, endorser_id'),
  };
}

/** The graph through the store's public reads: every node's neighbourhood at depth 1 (its edges, its neighbours' labels). */
async function neighbourhoods(graph: GraphStore, nodes: readonly NodeRef[]) {
  const drawn = [];
  for (const node of nodes) drawn.push(await graph.neighbourhood(node.kind, node.id, 1, 500));
  return drawn;
}

let cases: Scenario;
/** Every node the one-by-one rebuild drew, and a few that must not be there. */
let nodeRefs: NodeRef[];

beforeAll(async () => {
  cases = await scenario();
  const db = await database('pglite', 'graph_reference');
  await migrateSubgraph(db, SUBGRAPH);
  const stores = { db, graph: new PostgresGraphStore(db) };
  await cases.seed(stores);
  await rebuild(stores, cases.events, false);
  nodeRefs = [
    ...(await db.query<NodeRef>('select kind, id from nodes order by kind, id')),
    { kind: 'Talent', id: cases.deleted.talent },
    { kind: 'Company', id: cases.deleted.company },
    { kind: 'Skill', id: cases.deleted.skill },
  ];
}, 180_000);

for (const { backend, target } of await backends()) {
  contractSuite('relationships bulk restore', target, () => {
    it('draws exactly the graph applying the events one by one draws, and again over a built one', async () => {
      const stores = async (prefix: string) => {
        const db = await database(backend, prefix);
        await migrateSubgraph(db, SUBGRAPH);
        const stores = { db, graph: new PostgresGraphStore(db) };
        await cases.seed(stores);
        return stores;
      };
      const [oneByOne, bulk] = [await stores('graph_one'), await stores('graph_bulk')];
      await rebuild(oneByOne, cases.events, false);
      await rebuild(bulk, cases.events, true);
      const expected = await tables(oneByOne.db);
      expect(await tables(bulk.db)).toEqual(expected);
      await rebuild(bulk, cases.events, true); // reset and restore over the graph just built
      expect(await tables(bulk.db)).toEqual(expected);
      expect(await neighbourhoods(bulk.graph, nodeRefs)).toEqual(await neighbourhoods(oneByOne.graph, nodeRefs));

      // The cases were exercised, not merely equal.
      const { nodes, edges, projectMembers, acquaintances, endorsements, resumeSources } = expected;
      const { deleted, superseded, moved } = cases;
      expect(nodes.length).toBeGreaterThan(500);
      expect(new Set(nodes.map((node) => node.kind))).toEqual(new Set(NODE_KINDS));
      expect(nodes.some((node) => Object.values(deleted).includes(node.id as string))).toBe(false);
      expect(edges.some((edge) => Object.values(deleted).includes(edge.from_id as string) || Object.values(deleted).includes(edge.to_id as string))).toBe(false);
      expect(edges.filter((edge) => edge.kind === 'MEMBER_OF').length).toBe(projectMembers.length);
      expect(projectMembers.length).toBeGreaterThan(0);
      expect(edges.filter((edge) => edge.kind === 'KNOWS').length).toBe(acquaintances.length);
      expect(acquaintances.length).toBeGreaterThan(100);
      expect(acquaintances.some((row) => row.talent_id === deleted.talent || row.other_id === deleted.talent)).toBe(false);
      expect(endorsements!.some((row) => row.talent_id === deleted.talent)).toBe(false);
      expect(edges.some((edge) => edge.kind === 'HAS_SKILL' && Number((edge.properties as Payload).endorsements) === 2)).toBe(true);
      expect(resumeSources.find((row) => row.resume_id === moved.resume)?.talent_id).toBe(moved.to);
      expect(resumeSources.find((row) => row.resume_id === superseded.resume)?.experience).toHaveLength(
        list(cases.events.find((event) => event.aggregate.id === superseded.resume)!.payload.experience).length - 1,
      );
      expect(edges.some((edge) => edge.kind === 'WORKED_AT' && edge.from_id === superseded.talent && edge.to_id === superseded.droppedCompany)).toBe(
        resumeSources.some((row) => row.talent_id === superseded.talent && list(row.experience).some((entry) => entry.companyId === superseded.droppedCompany)),
      );
    });
  });
}

contractSuite('relationships bulk restore', await neo4jTarget(), () => {
  let graph: Neo4jGraphStore;
  let unlock: () => Promise<void>;
  beforeAll(async () => {
    unlock = await lockNeo4j();
    graph = await Neo4jGraphStore.create(NEO4J_URL);
  });
  afterAll(async () => {
    await graph?.clear();
    await graph?.close();
    await unlock?.();
  });

  it('draws exactly the graph applying the events one by one draws, and again over a built one', async () => {
    const stores = async (prefix: string) => {
      const db = await database('pglite', prefix);
      await migrateSubgraph(db, SUBGRAPH);
      await cases.seed({ db, graph });
      return { db, graph };
    };
    await graph.clear();
    await rebuild(await stores('graph_one'), cases.events, false);
    const expected = await neighbourhoods(graph, nodeRefs);
    const bulk = await stores('graph_bulk');
    await rebuild(bulk, cases.events, true);
    expect(await neighbourhoods(graph, nodeRefs)).toEqual(expected);
    await rebuild(bulk, cases.events, true);
    expect(await neighbourhoods(graph, nodeRefs)).toEqual(expected);
    expect(expected.filter((drawn) => drawn === null)).toHaveLength(3); // the deleted three
  }, 240_000); // about 60 s: the one-by-one reference alone is a few thousand Cypher sessions
});
