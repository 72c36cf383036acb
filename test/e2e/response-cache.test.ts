import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../demo/load.ts';
import { DEMO_ADMIN_EMAIL } from '../../demo/dataset.ts';
import { graphql } from '../support/client.ts';
import { signIn } from '../support/signed-in.ts';
import { eventually } from '../support/eventually.ts';
import { scrape } from '../support/metrics.ts';
import { startTestSupergraph } from '../support/services.ts';

/** The public jobs board: what an anonymous visitor reads (bench/flagship.ts's public query). */
const JOBS_BOARD = 'query JobsBoard($first: Int) { jobs(first: $first) { edges { node { id title company { name } } } } }';
const SEARCH = 'query Find($text: String!) { search(query: $text, types: [JOB]) { totalCount edges { node { entity { ... on Job { id title } } } } } }';

interface Board {
  jobs: { edges: { node: { id: string; title: string; company: { name: string } } }[] };
}

/** A request as a browser sends it, with the cache's header. */
async function send<Data>(url: string, query: string, variables: Record<string, unknown>, token?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Data; errors?: unknown[] };
  return { cache: response.headers.get('x-response-cache'), body };
}

describe('the gateway response cache on the supergraph (npm start: in-process bus and store)', () => {
  let supergraph: Awaited<ReturnType<typeof startTestSupergraph>>;
  let url: string;
  let adminToken: string;

  const outcomes = async () => {
    const { samples } = await scrape(url);
    return Object.fromEntries(samples.filter((s) => s.name === 'gateway_response_cache_requests_total').map((s) => [s.labels.outcome!, s.value]));
  };

  beforeAll(async () => {
    supergraph = await startTestSupergraph(loadDemoData);
    await supergraph.built();
    url = supergraph.url;
    adminToken = await signIn(url, DEMO_ADMIN_EMAIL);
  });
  afterAll(() => supergraph?.stop());

  it('serves the second anonymous read of the jobs board from cache, the same answer, counted as a hit', async () => {
    const before = await outcomes();
    const first = await send<Board>(url, JOBS_BOARD, { first: 5 });
    const second = await send<Board>(url, JOBS_BOARD, { first: 5 });
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data!.jobs.edges).toHaveLength(5);
    expect([first.cache, second.cache]).toEqual(['miss', 'hit']);
    expect(second.body).toEqual(first.body);
    const after = await outcomes();
    expect(after.hit! - before.hit!).toBe(1);
    expect(after.miss! - before.miss!).toBe(1);
  });

  it("shows an admin's change to the next anonymous reader once its event is out, then caches the new answer", async () => {
    const board = await send<Board>(url, JOBS_BOARD, { first: 5 });
    const job = board.body.data!.jobs.edges[0]!.node;
    const title = `Cache check ${Date.now()}`;
    const update = await graphql(url, 'mutation($id: ID!, $title: String!) { updateJob(id: $id, input: { title: $title }) { id } }', { id: job.id, title }, adminToken);
    expect(update.errors).toBeUndefined();
    const titleOf = (answer: Awaited<ReturnType<typeof send<Board>>>) => answer.body.data!.jobs.edges.find((edge) => edge.node.id === job.id)?.node.title;
    const changed = await eventually(() => send<Board>(url, JOBS_BOARD, { first: 5 }), (answer) => titleOf(answer) === title);
    expect(changed.cache).toBe('miss');
    const again = await send<Board>(url, JOBS_BOARD, { first: 5 });
    expect(again.cache).toBe('hit');
    expect(titleOf(again)).toBe(title);
  });

  it('caches no answer a derived store (search) gave before it applied the change', async () => {
    const word = `zebracache${Date.now()}`;
    const find = () => send<{ search: { totalCount: number } }>(url, SEARCH, { text: word });
    expect((await find()).body.data!.search.totalCount).toBe(0);
    expect((await find()).cache).toBe('hit');
    const board = await send<Board>(url, JOBS_BOARD, { first: 5 });
    const id = board.body.data!.jobs.edges[1]!.node.id;
    const update = await graphql(url, 'mutation($id: ID!, $title: String!) { updateJob(id: $id, input: { title: $title }) { id } }', { id, title: `Engineer ${word}` }, adminToken);
    expect(update.errors).toBeUndefined();
    // The gateway hears the event after the search subgraph has indexed it: the first miss finds the job.
    const found = await eventually(find, (answer) => answer.cache === 'miss');
    expect(found.body.data!.search.totalCount).toBe(1);
    expect((await find()).body.data!.search.totalCount).toBe(1);
  });

  it('never serves a signed-in caller from cache: no header, counted as bypass', async () => {
    await send<Board>(url, JOBS_BOARD, { first: 3 });
    const before = await outcomes();
    const signedIn = await send<Board>(url, JOBS_BOARD, { first: 3 }, adminToken);
    expect(signedIn.cache).toBeNull();
    expect(signedIn.body.errors).toBeUndefined();
    const after = await outcomes();
    expect(after.hit).toBe(before.hit);
    expect(after.bypass! - before.bypass!).toBe(1);
  });

  it('never caches an answer with errors', async () => {
    const invalid = 'query Broken { jobs(first: 1) { edges { node { id } } } talents(first: 1) { totalCount } }';
    const first = await send(url, invalid, {});
    const second = await send(url, invalid, {});
    expect(first.body.errors?.length).toBeGreaterThan(0);
    expect([first.cache, second.cache]).toEqual(['miss', 'miss']);
  });
});
