import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../platform/http.ts';
import { composeFakes, startFakeSubgraph, type FakeSubgraph } from '../test/support/fake-subgraph.ts';
import { operationId } from '../schema/operations.ts';
import type { PersistedQueryOptions } from './security/persisted-queries.ts';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './security/query-limits.ts';
import { startGateway } from './gateway.ts';

/** A body as a client reads it, less the request ids: a random UUID may hold any digits ("101", "2000"). */
const shown = (body: unknown) => JSON.stringify(body).replace(/"requestId":"[^"]*"/g, '');

/**
 * Attacks on the gateway's edge (issue 9), each sent over HTTP as an attacker would, against a
 * gateway in production mode over one fake subgraph that counts the calls it gets: a refused
 * operation must cost the subgraph nothing.
 */
const NODES = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  enum Role { ADMIN MEMBER }
  type Query { nodes(first: Int, role: Role): [Node!]! broken: String leaky: String }
  type Mutation { login(email: String!, password: String!): String createNode(name: String!): Node! importResume(contentBase64: String!): Int! }
  type Node @key(fields: "id") { id: ID! name: String! role: Role children: [Node!]! }
`;

interface Edge {
  url: string;
  subgraph: FakeSubgraph;
  gateway: RunningService;
}

let subgraph: FakeSubgraph;
const gateways: RunningService[] = [];

beforeAll(async () => {
  const node = (id: string) => ({ id, name: `node ${id}`, role: 'MEMBER', children: [] });
  subgraph = await startFakeSubgraph('nodes', NODES, {
    Query: {
      nodes: () => [node('1'), node('2')],
      // A store that fails with the database's own words, as a careless subgraph would pass them on.
      broken: () => {
        throw new Error('duplicate key value violates unique constraint "users_email_key": INSERT INTO users (email, password_hash) VALUES ($1, $2)');
      },
      leaky: () => {
        throw new GraphQLError('The talent cannot be saved', {
          extensions: { code: 'BAD_USER_INPUT', stacktrace: ['Error: The talent cannot be saved', '    at save (/srv/looma/subgraphs/resumes/store.postgres.ts:42:11)'] },
        });
      },
    },
    Mutation: {
      login: () => null,
      createNode: (_: unknown, { name }: { name: string }) => ({ ...node('3'), name }),
      importResume: (_: unknown, { contentBase64 }: { contentBase64: string }) => contentBase64.length,
    },
  });
});

afterAll(async () => {
  for (const gateway of gateways) await gateway.stop();
  await subgraph.stop();
});

async function edge(
  production: boolean,
  queryLimits: QueryLimits = DEFAULT_QUERY_LIMITS,
  persistedQueries?: PersistedQueryOptions,
  corsOrigins?: string[],
): Promise<Edge> {
  const gateway = await startGateway({
    supergraphSdl: composeFakes([subgraph]),
    urls: { nodes: subgraph.url },
    host: '127.0.0.1',
    port: 0,
    usersUrl: 'http://127.0.0.1:9/graphql', // anonymous callers only: never reached
    production,
    queryLimits,
    persistedQueries: persistedQueries ?? { mode: 'automatic' },
    ...(corsOrigins ? { corsOrigins } : {}),
  });
  gateways.push(gateway);
  return { url: gateway.url, subgraph, gateway };
}

interface Answer {
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function post(url: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text.startsWith('{') ? JSON.parse(text) : { errors: [{ message: text }] } };
}

/** Sends an operation and checks that the subgraph was not called for it. */
async function refusedBeforeAnySubgraph(url: string, body: unknown, headers?: Record<string, string>): Promise<Answer> {
  const before = subgraph.calls.length;
  const answer = await post(url, body, headers);
  expect(subgraph.calls.length).toBe(before);
  expect(answer.body.data ?? null).toBeNull();
  expect(answer.body.errors?.length).toBeGreaterThan(0);
  return answer;
}

const nested = (levels: number) => `{ nodes { ${'children { '.repeat(levels - 1)}id${' }'.repeat(levels - 1)} } }`;

describe('the gateway edge in production', () => {
  let production: Edge;
  let development: Edge;
  beforeAll(async () => {
    production = await edge(true);
    development = await edge(false);
  });

  it('answers an ordinary query (the limits leave room for real work)', async () => {
    const answer = await post(production.url, { query: nested(8).replace('id', 'id name role') });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
  });

  it('refuses introspection in production, and allows it in development', async () => {
    for (const query of ['{ __schema { types { name } } }', '{ __type(name: "Node") { fields { name } } }']) {
      const answer = await refusedBeforeAnySubgraph(production.url, { query });
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
    expect((await post(development.url, { query: '{ __schema { queryType { name } } }' })).body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it('gives no suggestions for a misspelt field, argument or enum value in production', async () => {
    for (const query of ['{ nodez { id } }', '{ nodes(frist: 2) { id } }', '{ nodes(role: ADMN) { id } }', '{ nodes { nam } }']) {
      const answer = await refusedBeforeAnySubgraph(production.url, { query });
      expect(answer.status).toBe(400);
      expect(shown(answer.body)).not.toMatch(/did you mean|"nodes"|"first"|"ADMIN"|"name"/i);
      // The same mistake in development is helped along, so the check above can fail.
      expect(JSON.stringify((await post(development.url, { query })).body)).toMatch(/Did you mean/);
    }
  });

  it('refuses a query 20 levels deep before any subgraph is called, without telling the limit', async () => {
    const answer = await refusedBeforeAnySubgraph(production.url, { query: nested(20) });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(shown(answer.body)).not.toMatch(/depth|\b12\b|\b20\b/i);
    expect(answer.body.errors?.[0]?.message).toBe('The query was refused: it asks too much at once');
    // Development names the limit, for whoever writes the query.
    expect(JSON.stringify((await refusedBeforeAnySubgraph(development.url, { query: nested(20) })).body)).toMatch(/depth/i);
  });

  it('refuses 100 aliases of login', async () => {
    const query = `mutation { ${Array.from({ length: 100 }, (_, i) => `a${i}: login(email: "a@b.c", password: "x")`).join(' ')} }`;
    const answer = await refusedBeforeAnySubgraph(production.url, { query });
    expect(answer.status).toBe(400);
    expect(JSON.stringify((await refusedBeforeAnySubgraph(development.url, { query })).body)).toMatch(/alias/i);
  });

  it('refuses 1,000 directives (by their tokens at the default limits, by their count when tokens are plentiful)', async () => {
    const query = `{ nodes { ${'id @skip(if: false) '.repeat(1_000)} } }`;
    expect((await refusedBeforeAnySubgraph(production.url, { query })).status).toBe(400);
    const generous = await edge(false, { ...DEFAULT_QUERY_LIMITS, tokens: 100_000 });
    expect(JSON.stringify((await refusedBeforeAnySubgraph(generous.url, { query })).body)).toMatch(/directive/i);
  });

  it('refuses a query of 5,000 tokens while parsing it', async () => {
    const query = `{ nodes { ${'id '.repeat(4_996)} } }`;
    const answer = await refusedBeforeAnySubgraph(production.url, { query });
    expect(answer.status).toBe(400);
    expect(shown(answer.body)).not.toMatch(/token|2000/i);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(JSON.stringify((await refusedBeforeAnySubgraph(development.url, { query })).body)).toMatch(/token/i);
  });

  it('refuses an operation past the cost estimate, naming it only in development', async () => {
    const cheap = await edge(false, { ...DEFAULT_QUERY_LIMITS, cost: 50 });
    expect((await post(cheap.url, { query: nested(2) })).body.errors).toBeUndefined();
    expect(JSON.stringify((await refusedBeforeAnySubgraph(cheap.url, { query: nested(8) })).body)).toMatch(/cost/i);
    // A page size sent as a variable counts as much as one written in the query.
    const paged = 'query($n: Int) { nodes(first: $n) { id } }';
    expect((await post(cheap.url, { query: paged, variables: { n: 2 } })).body.errors).toBeUndefined();
    expect(JSON.stringify((await refusedBeforeAnySubgraph(cheap.url, { query: paged, variables: { n: 100 } })).body)).toMatch(/cost/i);
    // A cost, once known, is kept per document and variables: the same text asks again with each.
    expect((await post(cheap.url, { query: paged, variables: { n: 2 } })).body.errors).toBeUndefined();
    expect(JSON.stringify((await refusedBeforeAnySubgraph(cheap.url, { query: paged, variables: { n: 100 } })).body)).toMatch(/cost/i);
    expect((await post(cheap.url, { query: paged, variables: { n: 3 } })).body.errors).toBeUndefined();
    // Production refuses it without naming the cost.
    const refused = await refusedBeforeAnySubgraph((await edge(true, { ...DEFAULT_QUERY_LIMITS, cost: 50 })).url, { query: paged, variables: { n: 100 } });
    expect(refused.status).toBe(400);
    expect(shown(refused.body)).not.toMatch(/cost|\b50\b|101/i);
  });

  it('leaks nothing of a subgraph error: no SQL, stack trace, path on disk or subgraph URL, and the request id instead', async () => {
    for (const field of ['broken', 'leaky']) {
      const answer = await post(production.url, { query: `{ ${field} }` });
      expect(answer.status).toBe(200);
      const text = JSON.stringify(answer.body);
      for (const leak of ['INSERT', 'users_email_key', 'password_hash', 'stacktrace', 'store.postgres.ts', '/srv/', String(subgraph.port), '127.0.0.1']) expect(text).not.toContain(leak);
      expect(answer.body.errors?.[0]?.extensions?.requestId).toEqual(expect.any(String));
    }
    expect((await post(production.url, { query: '{ broken }' })).body.errors?.[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect((await post(production.url, { query: '{ leaky }' })).body.errors?.[0]).toMatchObject({ message: 'The talent cannot be saved', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('answers malformed JSON with 400 and an Int overflow in variables with BAD_USER_INPUT, echoing neither', async () => {
    const malformed = await refusedBeforeAnySubgraph(production.url, '{"query": "{ nodes { id } }", "variables": {', { 'content-type': 'application/json' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(shown(malformed.body)).not.toMatch(/SyntaxError|at JSON|node_modules/);
    const overflow = { query: 'query($first: Int) { nodes(first: $first) { id } }', variables: { first: 99999999999 } };
    const answer = await refusedBeforeAnySubgraph(production.url, overflow);
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]).toMatchObject({ message: 'Variable "$first" got an invalid value', extensions: { code: 'BAD_USER_INPUT' } });
    expect(JSON.stringify(answer.body)).not.toContain('99999999999');
    expect(JSON.stringify((await post(development.url, overflow)).body)).toContain('99999999999');
    const typo = await refusedBeforeAnySubgraph(production.url, { query: 'query($role: Role) { nodes(role: $role) { id } }', variables: { role: 'ADMN' } });
    expect(shown(typo.body)).not.toMatch(/ADMIN|ADMN|did you mean/i);
  });

  it('answers a 2 MB body with 413 on the GraphQL paths, and takes a resume file that size only at /graphql/files', async () => {
    const IMPORT = 'mutation($file: String!) { importResume(contentBase64: $file) }';
    const twoMegabytes = 'a'.repeat(2 * 1024 * 1024);
    for (const path of ['/', '/graphql']) {
      const tooLarge = await refusedBeforeAnySubgraph(new URL(path, production.url).toString(), { query: IMPORT, variables: { file: twoMegabytes } });
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.body.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    }
    const files = new URL('/graphql/files', production.url).toString();
    expect((await post(files, { query: IMPORT, variables: { file: twoMegabytes } })).body).toEqual({ data: { importResume: twoMegabytes.length } });
    // Nothing else is served there, whatever its size.
    for (const query of ['{ nodes { id } }', 'mutation { createNode(name: "big") { id } }', `mutation($file: String!) { importResume(contentBase64: $file) createNode(name: "x") { id } }`]) {
      const refused = await refusedBeforeAnySubgraph(files, { query, variables: { file: 'x' } });
      expect(refused.status).toBe(400);
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    }
    expect((await refusedBeforeAnySubgraph(files, { query: IMPORT, variables: { file: 'a'.repeat(5 * 1024 * 1024) } })).status).toBe(413);
  });

  it('refuses _entities and _service sent to the gateway: they are the subgraphs\' own, not the API\'s', async () => {
    for (const query of ['{ _entities(representations: [{ __typename: "Node", id: "1" }]) { ... on Node { name } } }', '{ _service { sdl } }']) {
      const refused = await refusedBeforeAnySubgraph(production.url, { query });
      expect(refused.status).toBe(400);
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(shown(refused.body)).not.toMatch(/did you mean|sdl|Node/i);
    }
  });

  it('refuses a batched array of operations', async () => {
    const answer = await refusedBeforeAnySubgraph(production.url, [{ query: '{ nodes { id } }' }, { query: '{ nodes { name } }' }]);
    expect(answer.status).toBe(400);
  });

  it('refuses a GET without a preflight header and a text/plain POST (CSRF)', async () => {
    const get = await fetch(`${production.url}?query=${encodeURIComponent('{ nodes { id } }')}`);
    expect(get.status).toBe(400);
    expect(await get.text()).toMatch(/CSRF|preflight/i);
    const before = subgraph.calls.length;
    const plain = await post(production.url, JSON.stringify({ query: '{ nodes { id } }' }), { 'content-type': 'text/plain' });
    expect(plain.status).toBe(400);
    expect(subgraph.calls.length).toBe(before);
    // With the preflight header a GET query is fine.
    const allowed = await fetch(`${production.url}?query=${encodeURIComponent('{ nodes { id } }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(allowed.status).toBe(200);
  });

  it('refuses a mutation sent over GET, and does not run it', async () => {
    const before = subgraph.calls.length;
    const response = await fetch(`${production.url}?query=${encodeURIComponent('mutation { createNode(name: "via GET") { id } }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(405);
    expect(subgraph.calls.length).toBe(before);
  });
});

describe('persisted queries', () => {
  const LISTED = 'query Listed { nodes { id name } }';
  const byId = (id: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: id } } });

  it('answers an unknown persisted-query hash with PERSISTED_QUERY_NOT_FOUND, then runs it once registered (APQ)', async () => {
    const { url } = await edge(true);
    const query = '{ nodes { id role } }';
    const unknown = await refusedBeforeAnySubgraph(url, byId(operationId(query)));
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const wrongHash = await refusedBeforeAnySubgraph(url, { query, ...byId(operationId('{ other }')) });
    expect(wrongHash.status).toBe(400);
    expect((await post(url, { query, ...byId(operationId(query)) })).body.errors).toBeUndefined();
    expect((await post(url, byId(operationId(query)))).body).toEqual({ data: { nodes: [{ id: '1', role: 'MEMBER' }, { id: '2', role: 'MEMBER' }] } });
  });

  it('in allow-list mode runs the manifest\'s operations, by id or in full, and refuses anything else before parsing it', async () => {
    const manifest = { format: 'apollo-persisted-query-manifest' as const, version: 1 as const, operations: [{ id: operationId(LISTED), name: 'Listed', type: 'query' as const, body: LISTED }] };
    const { url } = await edge(true, DEFAULT_QUERY_LIMITS, { mode: 'allowlist', manifest });
    const expected = { data: { nodes: [{ id: '1', name: 'node 1' }, { id: '2', name: 'node 2' }] } };
    expect((await post(url, byId(operationId(LISTED)))).body).toEqual(expected);
    expect((await post(url, { query: LISTED })).body).toEqual(expected);
    for (const body of [{ query: '{ nodes { id } }' }, byId(operationId('{ nodes { id } }')), { query: 'mutation { createNode(name: "x") { id } }' }]) {
      const refused = await refusedBeforeAnySubgraph(url, body);
      expect(refused.status).toBe(400);
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    }
    const get = await fetch(`${url}?query=${encodeURIComponent('{ nodes { id } }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(get.status).toBe(400);
  });
});

describe('HTTP headers', () => {
  const preflight = (url: string, origin: string) =>
    fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } });

  it('puts security headers on every response, and a CSP that allows nothing on all but the landing page', async () => {
    const { url } = await edge(true);
    const answers = [
      await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ nodes { id } }' }) }),
      await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }),
      await fetch(new URL('/health/ready', url)),
      await fetch(new URL('/metrics', url)),
    ];
    for (const answer of answers) {
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
      expect(answer.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(answer.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(answer.headers.get('x-powered-by')).toBeNull();
    }
    // Apollo's landing page brings its own CSP for its scripts; a second one would block them.
    const landing = await fetch(url, { headers: { accept: 'text/html' } });
    expect(landing.headers.get('content-security-policy')).toBeNull();
    expect(landing.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('lets no other origin call a production gateway unless CORS_ORIGINS lists it', async () => {
    const closed = await edge(true);
    expect((await preflight(closed.url, 'https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    expect((await preflight(closed.url, 'https://studio.apollographql.com')).headers.get('access-control-allow-origin')).toBeNull();
    const listed = await edge(true, DEFAULT_QUERY_LIMITS, undefined, ['https://app.looma.dev']);
    const allowed = await preflight(listed.url, 'https://app.looma.dev');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.looma.dev');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    expect((await preflight(listed.url, 'https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    const answer = await fetch(listed.url, { method: 'POST', headers: { origin: 'https://app.looma.dev', 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ nodes { id } }' }) });
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://app.looma.dev');
    expect(answer.headers.get('access-control-expose-headers')).toContain('x-request-id');
  });

  it('lets Apollo Sandbox and local pages call a development gateway', async () => {
    const { url } = await edge(false);
    for (const origin of ['https://studio.apollographql.com', 'http://localhost:3000']) {
      expect((await preflight(url, origin)).headers.get('access-control-allow-origin')).toBe(origin);
    }
    expect((await preflight(url, 'https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });
});
