import type { FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import { describe, expect, it } from 'vitest';
import { EntityBatches } from './entity-batches.ts';

const QUERY = (name: string) => `query ${name}($representations:[_Any!]!,$first:Int){_entities(representations:$representations){...on Talent{matchingJobs(first:$first){score}}}}`;

const entityCall = (name: string, ids: string[], options: { first?: number; credential?: string } = {}): FetcherRequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${options.credential ?? 'alice'}` },
  body: JSON.stringify({ query: QUERY(name), operationName: name, variables: { representations: ids.map((id) => ({ __typename: 'Talent', id })), first: options.first ?? 5 } }),
});

/** A subgraph that answers each representation with its id, failing those whose id starts with "bad", and records what it was sent. */
function subgraph() {
  const sent: { representations: { id: string }[] }[] = [];
  const send = async (init: FetcherRequestInit): Promise<FetcherResponse> => {
    const { variables } = JSON.parse(init.body as string) as { variables: { representations: { id: string }[] } };
    sent.push(variables);
    const entities = variables.representations.map(({ id }) => (id.startsWith('bad') ? null : { id }));
    const errors = variables.representations.flatMap(({ id }, index) => (id.startsWith('bad') ? [{ message: `no ${id}`, path: ['_entities', index, 'matchingJobs'] }] : []));
    const body = JSON.stringify({ data: { _entities: entities }, ...(errors.length ? { errors } : {}), extensions: { served: true } });
    return new Response(body, { status: 200, headers: { 'content-type': 'application/json', 'content-length': String(body.length) } }) as unknown as FetcherResponse;
  };
  return { sent, send };
}

const answerOf = async (response: Promise<FetcherResponse>) => JSON.parse(await (await response).text()) as unknown;

describe('EntityBatches', () => {
  it("sends one client request's identical entity calls of one turn as one, and gives each caller its own slice", async () => {
    const { sent, send } = subgraph();
    const client = {};
    let saved = 0;
    const batches = new EntityBatches(send, () => client, (n) => (saved += n));
    const answers = await Promise.all([
      answerOf(batches.fetch(entityCall('Q__ai__1', ['a1', 'a2']))),
      answerOf(batches.fetch(entityCall('Q__ai__4', ['b1']))),
      answerOf(batches.fetch(entityCall('Q__ai__7', ['c1', 'c2', 'c3']))),
    ]);
    expect(sent.map((variables) => variables.representations.map(({ id }) => id))).toEqual([['a1', 'a2', 'b1', 'c1', 'c2', 'c3']]);
    expect(saved).toBe(2);
    expect(answers).toEqual([
      { data: { _entities: [{ id: 'a1' }, { id: 'a2' }] }, extensions: { served: true } },
      { data: { _entities: [{ id: 'b1' }] }, extensions: { served: true } },
      { data: { _entities: [{ id: 'c1' }, { id: 'c2' }, { id: 'c3' }] }, extensions: { served: true } },
    ]);
  });

  it("renumbers each error's path into its caller's slice, and gives it to that caller only", async () => {
    const { send } = subgraph();
    const client = {};
    const batches = new EntityBatches(send, () => client);
    const [first, second] = await Promise.all([answerOf(batches.fetch(entityCall('Q1', ['a1']))), answerOf(batches.fetch(entityCall('Q2', ['b1', 'bad2'])))]);
    expect(first).toEqual({ data: { _entities: [{ id: 'a1' }] }, extensions: { served: true } });
    expect(second).toEqual({
      data: { _entities: [{ id: 'b1' }, null] },
      errors: [{ message: 'no bad2', path: ['_entities', 1, 'matchingJobs'] }],
      extensions: { served: true },
    });
  });

  it('keeps apart calls of other client requests, other credentials, other variables, other turns, and anything not an entity call', async () => {
    const { sent, send } = subgraph();
    let client = {};
    const batches = new EntityBatches(send, () => client);
    const calls = [batches.fetch(entityCall('Q1', ['a'])), batches.fetch(entityCall('Q2', ['b'], { credential: 'bob' })), batches.fetch(entityCall('Q3', ['c'], { first: 3 }))];
    client = {};
    calls.push(batches.fetch(entityCall('Q4', ['d'])));
    await Promise.all(calls);
    await batches.fetch(entityCall('Q5', ['e']));
    expect(sent.map((variables) => variables.representations.map(({ id }) => id)).sort()).toEqual([['a'], ['b'], ['c'], ['d'], ['e']]);

    const plain = { method: 'POST', body: JSON.stringify({ query: '{ talents { totalCount } }' }) };
    const passed: unknown[] = [];
    const through = new EntityBatches(async (init) => {
      passed.push(init);
      return new Response('{"data":{}}') as unknown as FetcherResponse;
    }, () => client);
    await through.fetch(plain);
    expect(passed).toEqual([plain]);
  });

  it('fails every caller when the merged call fails, and hands each the whole answer when it cannot be split', async () => {
    const client = {};
    const failing = new EntityBatches(() => Promise.reject(new Error('subgraph down')), () => client);
    const outcomes = await Promise.allSettled([failing.fetch(entityCall('Q1', ['a'])), failing.fetch(entityCall('Q2', ['b']))]);
    expect(outcomes.map((outcome) => outcome.status === 'rejected' && (outcome.reason as Error).message)).toEqual(['subgraph down', 'subgraph down']);

    const whole = '{"data":null,"errors":[{"message":"not allowed"}]}';
    const refusing = new EntityBatches(async () => new Response(whole, { status: 200 }) as unknown as FetcherResponse, () => client);
    const answers = await Promise.all([refusing.fetch(entityCall('Q1', ['a'])), refusing.fetch(entityCall('Q2', ['b']))]);
    expect(await Promise.all(answers.map((answer) => answer.text()))).toEqual([whole, whole]);
  });
});
