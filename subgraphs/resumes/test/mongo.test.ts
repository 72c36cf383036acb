import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadDemoData } from '../../../demo/load.ts';
import { contractSuite } from '../../../test/support/contract.ts';
import { eventually } from '../../../test/support/eventually.ts';
import { MONGODB_URL, mongodbTarget } from '../../../test/support/mongodb.ts';
import { startTestSupergraph } from '../../../test/support/services.ts';
import { signedIn } from '../../../test/support/signed-in.ts';
import { mongoStores, resumes, type Stores } from '../index.ts';
import type { SubgraphDefinition } from '../../../platform/subgraph.ts';

/**
 * The whole supergraph with talents and resumes in MongoDB (as MONGODB_URL sets up): the demo
 * data served from its documents, the derived subgraphs built from its snapshot, and changes
 * reaching them through the outbox the documents carry.
 */

const SEARCH_TALENTS = `query($query: String!) { search(query: $query, types: [TALENT]) { totalCount edges { node { entity { ... on Talent { id name } } } } } }`;

contractSuite('resumes subgraph in the supergraph', await mongodbTarget(), () => {
  let supergraph: Awaited<ReturnType<typeof startTestSupergraph>>;
  let stores: Stores;
  const people = signedIn({ admin: 'admin@looma.dev' });
  const searchTalents = async (query: string) => (await people.ok<{ search: { totalCount: number } }>('admin', SEARCH_TALENTS, { query })).search.totalCount;

  beforeAll(async () => {
    // A database of its own, dropped when the supergraph stops.
    const url = `${MONGODB_URL.replace(/\/+$/, '')}/looma-test-${randomUUID().slice(0, 8)}`;
    const onMongo: SubgraphDefinition<Stores> = {
      ...resumes,
      createStores: () => mongoStores(url),
      close: async ({ mongo }) => {
        await mongo?.drop();
        await mongo?.close();
      },
    };
    supergraph = await startTestSupergraph(loadDemoData, [onMongo]);
    await supergraph.built();
    stores = supergraph.subgraphs.get('resumes')!.stores as Stores;
    await people.signIn(supergraph.url);
  });
  afterAll(() => supergraph?.stop());

  it('serves the demo talents and their resumes from MongoDB, with the graph the relationships subgraph drew from them', async () => {
    expect(stores.mongo).toBeDefined();
    expect(await stores.talents.count()).toBeGreaterThanOrEqual(200);
    const { talents } = await people.ok<{ talents: { totalCount: number; edges: { node: { name: string; resumes: { version: number; skills: { skill: { name: string } }[] }[]; colleagues: unknown[] } }[] } }>(
      'admin',
      `{ talents(first: 5, orderBy: { field: NAME, direction: ASC }) { totalCount edges { node { name resumes { version skills { skill { name } } } colleagues(first: 3) { overlapMonths } } } } }`,
    );
    expect(talents.totalCount).toBe(await stores.talents.count());
    const names = talents.edges.map((edge) => edge.node.name);
    expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    for (const { node } of talents.edges) {
      expect(node.resumes.length).toBeGreaterThan(0);
      expect(node.resumes[0]!.skills.length).toBeGreaterThan(0);
    }
    // Colleagues come from the relationships subgraph, built from the resumes' snapshot.
    expect(talents.edges.some((edge) => edge.node.colleagues.length > 0)).toBe(true);
  });

  it('publishes what changes through the events the documents carry: a new talent is found by search, and forgotten once deleted', async () => {
    const name = `Mongo Outbox ${randomUUID().slice(0, 6)}`;
    const { createTalent } = await people.ok<{ createTalent: { id: string } }>('admin', `mutation($name: String!) { createTalent(input: { name: $name, headline: "Documents engineer" }) { id } }`, { name });
    await people.ok('admin', `mutation($id: ID!) { createResume(talentId: $id, input: { title: "Documents engineer" }) { id version } }`, { id: createTalent.id });
    await eventually(() => searchTalents(name), (count) => count === 1);
    expect(await people.ok('admin', `mutation($id: ID!) { deleteTalent(id: $id) }`, { id: createTalent.id })).toEqual({ deleteTalent: createTalent.id });
    await eventually(() => searchTalents(name), (count) => count === 0);
    // Published events leave their documents; a deleted talent's and resume's documents go with their last event.
    await eventually(() => stores.mongo!.outbox.backlog(), (backlog) => backlog === 0);
    expect(await stores.talents.getMany([createTalent.id])).toEqual([]);
    expect(await stores.mongo!.outbox.newestPositions('Talent', [createTalent.id])).toEqual(new Map());
  });
});
