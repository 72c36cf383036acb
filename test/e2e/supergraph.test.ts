import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../demo/load.ts';
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD } from '../../demo/dataset.ts';
import { codes, graphql } from '../support/client.ts';
import { signIn } from '../support/signed-in.ts';
import { eventually } from '../support/eventually.ts';
import { captureLogs } from '../support/logs.ts';
import { scrapeTotal } from '../support/metrics.ts';
import { startTestSupergraph } from '../support/services.ts';
import { FLAGSHIP, readmeFlagship } from './flagship.ts';
import { outboxEvent, type DomainEvent, type OutboxRow } from '../../platform/events/index.ts';


describe('the supergraph through the gateway (demo dataset)', () => {
  let supergraph: Awaited<ReturnType<typeof startTestSupergraph>>;
  let url: string;
  let adminToken: string;

  beforeAll(async () => {
    supergraph = await startTestSupergraph(loadDemoData);
    await supergraph.built();
    url = supergraph.url;
    adminToken = await signIn(url, DEMO_ADMIN_EMAIL);
  });
  afterAll(() => supergraph?.stop());

  it('answers the flagship query across five subgraphs in one request', async () => {
    const result = await graphql<{ talents: { totalCount: number; edges: { node: Record<string, unknown> }[] } }>(url, FLAGSHIP, { first: 3 }, adminToken);
    expect(result.errors).toBeUndefined();
    expect(result.data!.talents.totalCount).toBeGreaterThanOrEqual(200);
    const talents = result.data!.talents.edges.map((edge) => edge.node) as {
      resumes: { skills: { skill: { name: string } }[] }[];
      applications: { edges: { node: { job: { company: { name: string } } } }[] };
    }[];
    expect(talents).toHaveLength(3);
    for (const talent of talents) {
      expect(talent.resumes.length).toBeGreaterThan(0);
      for (const skill of talent.resumes[0]!.skills) expect(skill.skill.name).toEqual(expect.any(String));
      for (const { node } of talent.applications.edges) expect(node.job.company.name).toEqual(expect.any(String));
    }
  });

  it('answers the README flagship, six subgraphs in one request, with the output the README shows', async () => {
    const { query, output } = readmeFlagship();
    const recruiter = await graphql<{ login: { token: string } }>(url, `mutation { login(email: "recruiter@looma.dev", password: "${DEMO_PASSWORD}") { token } }`);
    const result = await graphql(url, query, {}, recruiter.data!.login.token);
    expect(result.errors).toBeUndefined();
    // Overlaps with a job still held grow with the calendar; everything else is the README's.
    const timeless = (value: unknown) => JSON.parse(JSON.stringify(value, (key, field: unknown) => (key === 'overlapMonths' ? 'months' : field))) as unknown;
    expect(timeless(result)).toEqual(timeless(output));
  });

  it('batches entity resolution: 50 talents cost no more subgraph requests or SQL statements than 5', async () => {
    const cost = async (first: number) => {
      const requestsBefore = await scrapeTotal(url, 'gateway_subgraph_requests_total');
      const queriesBefore = await totalQueries();
      const result = await graphql<{ talents: { edges: { node: { applications: { edges: unknown[] } } }[] } }>(url, FLAGSHIP, { first }, adminToken);
      expect(result.errors).toBeUndefined();
      expect(result.data!.talents.edges).toHaveLength(first);
      return {
        requests: (await scrapeTotal(url, 'gateway_subgraph_requests_total')) - requestsBefore,
        queries: (await totalQueries()) - queriesBefore,
        applications: result.data!.talents.edges.reduce((n, e) => n + e.node.applications.edges.length, 0),
      };
    };
    const small = await cost(5);
    const large = await cost(50);
    expect(large.applications).toBeGreaterThan(small.applications);
    expect(large.requests).toBe(small.requests);
    expect(large.queries).toBe(small.queries);
    // talents → resumes, applications → jobs → companies, skills: a handful of fetches in all.
    expect(large.requests).toBeLessThanOrEqual(6);
    expect(large.queries).toBeLessThanOrEqual(12);
  });

  it("sends a request's identical entity calls to one subgraph as one: three aliased talents' matches cost the ai subgraph one request", async () => {
    const talents = await graphql<{ talents: { edges: { node: { id: string } }[] } }>(url, '{ talents(first: 3, orderBy: { field: NAME, direction: ASC }) { edges { node { id } } } }', {}, adminToken);
    const [a, b, c] = talents.data!.talents.edges.map(({ node }) => node.id);
    const matches = '{ name matchingJobs(first: 3) { score job { title company { name } } } }';
    const ai = supergraph.subgraphs.get('ai')!.service.url;
    const aiRequests = () => scrapeTotal(ai, 'graphql_requests_total');
    const batchedBefore = await scrapeTotal(url, 'gateway_subgraph_batched_calls_total');
    const requestsBefore = await aiRequests();
    const together = await graphql<Record<string, unknown>>(url, `query($a: ID!, $b: ID!, $c: ID!) { a: talent(id: $a) ${matches} b: talent(id: $b) ${matches} c: talent(id: $c) ${matches} }`, { a, b, c }, adminToken);
    expect(together.errors).toBeUndefined();
    expect((await aiRequests()) - requestsBefore).toBe(1);
    // ai once instead of three times, and jobs and companies likewise on the way down.
    expect((await scrapeTotal(url, 'gateway_subgraph_batched_calls_total')) - batchedBefore).toBeGreaterThanOrEqual(2 * 3);
    // Each talent's part is what it is asked alone.
    for (const [alias, id] of Object.entries({ a, b, c })) {
      const alone = await graphql<{ talent: unknown }>(url, `query($id: ID!) { talent(id: $id) ${matches} }`, { id }, adminToken);
      expect(together.data![alias]).toEqual(alone.data!.talent);
    }
  });

  async function totalQueries(): Promise<number> {
    let total = 0;
    for (const { service } of supergraph.subgraphs.values()) total += await scrapeTotal(service.url, 'db_queries_total');
    return total;
  }

  describe('invalid input gets the right code and changes nothing', () => {
    const countOf = async (query: string) => {
      const result = await graphql<Record<string, { totalCount: number }>>(url, query, {}, adminToken);
      return Object.values(result.data!)[0]!.totalCount;
    };

    it('a bad email', async () => {
      const before = await countOf('{ users(first: 1) { totalCount } }');
      const result = await graphql(url, `mutation { register(input: { email: "not-an-email", password: "long-enough-1", name: "X" }) { token } }`);
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(await countOf('{ users(first: 1) { totalCount } }')).toBe(before);
    });

    it('an unknown enum value', async () => {
      const before = await countOf('{ companies(first: 1) { totalCount } }');
      const result = await graphql(url, `mutation($input: CreateCompanyInput!) { createCompany(input: $input) { id } }`, { input: { name: 'Enum Co', size: 'GIGANTIC' } }, adminToken);
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(await countOf('{ companies(first: 1) { totalCount } }')).toBe(before);
    });

    it('an illegal job status transition', async () => {
      const drafts = await graphql<{ jobs: { edges: { node: { id: string } }[] } }>(url, '{ jobs(filter: { status: [DRAFT] }, first: 1) { edges { node { id } } } }');
      const id = drafts.data!.jobs.edges[0]!.node.id;
      const result = await graphql(url, `mutation($id: ID!) { changeJobStatus(id: $id, status: FILLED) { status } }`, { id }, adminToken);
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      const after = await graphql(url, `query($id: ID!) { job(id: $id) { status } }`, { id });
      expect(after.data).toEqual({ job: { status: 'DRAFT' } });
    });

    it('missing required fields', async () => {
      const before = await countOf('{ talents(first: 1) { totalCount } }');
      const missing = await graphql(url, `mutation($input: CreateTalentInput!) { createTalent(input: $input) { id } }`, { input: { headline: 'No name' } }, adminToken);
      expect(codes(missing)).toEqual(['BAD_USER_INPUT']);
      const blank = await graphql(url, `mutation($input: CreateTalentInput!) { createTalent(input: $input) { id } }`, { input: { name: '  ' } }, adminToken);
      expect(codes(blank)).toEqual(['BAD_USER_INPUT']);
      expect(await countOf('{ talents(first: 1) { totalCount } }')).toBe(before);
    });

    it('a page size of 10^9 is clamped to the documented maximum of 100', async () => {
      const result = await graphql<{ talents: { edges: unknown[]; pageInfo: { hasNextPage: boolean } } }>(url, '{ talents(first: 1000000000) { edges { cursor } pageInfo { hasNextPage } } }', {}, adminToken);
      expect(result.errors).toBeUndefined();
      expect(result.data!.talents.edges).toHaveLength(100);
      expect(result.data!.talents.pageInfo.hasNextPage).toBe(true);
    });

    it('never leaks a stack trace', async () => {
      const result = await graphql(url, `mutation { changeJobStatus(id: "not-a-uuid", status: OPEN) { id } }`, {}, adminToken);
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(JSON.stringify(result)).not.toMatch(/stacktrace|at .*\.ts:\d+/);
      for (const target of [url, ...[...supergraph.subgraphs.values()].map((s) => s.service.url)]) {
        const malformed = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
        expect(malformed.status).toBe(400);
        const body = await malformed.text();
        expect(body).not.toMatch(/<html|at .*\.(ts|js):\d+/i);
        expect((JSON.parse(body) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('BAD_REQUEST');
      }
      const nul = await graphql(url, 'query($q: String) { companies(filter: { nameContains: $q }) { totalCount } }', { q: 'a\u0000b' });
      expect(codes(nul)).toEqual(['BAD_USER_INPUT']);
      const forged = await graphql(url, 'query($after: String) { talents(after: $after) { totalCount } }', { after: Buffer.from('offset:1e20').toString('base64url') }, adminToken);
      expect(codes(forged)).toEqual(['BAD_USER_INPUT']);
    });
  });

  it('serves health and Prometheus metrics on the gateway and every subgraph', async () => {
    const services = [supergraph.gateway, ...[...supergraph.subgraphs.values()].map((s) => s.service)];
    for (const service of services) {
      expect((await fetch(new URL('/health/live', service.url))).status).toBe(200);
      const ready = await fetch(new URL('/health/ready', service.url));
      expect(ready.status).toBe(200);
      const metrics = await (await fetch(new URL('/metrics', service.url))).text();
      expect(metrics).toContain('# TYPE graphql_requests_total counter');
      expect(metrics).toContain('# TYPE graphql_request_duration_seconds histogram');
    }
    const relationships = await (await fetch(new URL('/metrics', supergraph.subgraphs.get('relationships')!.service.url))).text();
    expect(relationships).toMatch(/events_consumer_lag\{consumer="relationships"[^}]*\} \d+/);
    const gatewayMetrics = await (await fetch(new URL('/metrics', url))).text();
    expect(gatewayMetrics).toMatch(/graphql_requests_total\{[^}]*operation_name="Flagship"[^}]*\} [1-9]/);
    expect(gatewayMetrics).toMatch(/graphql_request_duration_seconds_count\{[^}]*operation_name="Flagship"/);
  });

  it('reports every subgraph ready on /health/subgraphs', async () => {
    const response = await fetch(new URL('/health/subgraphs', url));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; subgraphs: { name: string; status: string }[] };
    expect(body.subgraphs.map((subgraph) => subgraph.name).sort()).toEqual([...supergraph.subgraphs.keys()].sort());
    expect(body).toMatchObject({ status: 'ok' });
    for (const subgraph of body.subgraphs) expect(subgraph.status).toBe('ready');
  });

  it('gives each request an id that follows it from the gateway into the log lines of every subgraph it reaches', async () => {
    const post = (requestId: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}`, 'x-request-id': requestId },
        body: JSON.stringify({ query: FLAGSHIP, variables: { first: 2 } }),
      });
    const logs = captureLogs();
    try {
      const response = await post('trace-me-42');
      expect(response.headers.get('x-request-id')).toBe('trace-me-42');
      expect((await response.json()) as object).not.toHaveProperty('errors');
      const traced = await eventually(
        async () => logs.lines.filter((line) => line.reqId === 'trace-me-42'),
        (lines) => lines.some((line) => line.service === 'gateway'),
      );
      // Talents and resumes, applications, their jobs and the companies behind them: five subgraphs and the gateway.
      expect(new Set(traced.map((line) => line.service))).toEqual(new Set(['gateway', 'resumes', 'skills', 'jobs', 'companies']));
      for (const line of traced) expect(line).toMatchObject({ msg: 'request completed', res: { status: 200 } });
      expect(JSON.stringify(traced)).not.toContain(adminToken);
    } finally {
      logs.stop();
    }
    // An id that is not a plain token (it would end up in logs) is replaced by a fresh one.
    const replaced = (await post('two words "quoted"')).headers.get('x-request-id');
    expect(replaced).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('puts the request id in the extensions of every error: the gateway\'s own and those a subgraph raised', async () => {
    const send = async (query: string) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}`, 'x-request-id': 'trace-err-7' },
        body: JSON.stringify({ query }),
      });
      return (await response.json()) as { errors?: { extensions?: { code?: string; requestId?: string } }[] };
    };
    const invalid = await send('{ talentz { id } }');
    expect(invalid.errors?.map((error) => error.extensions)).toEqual([expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED', requestId: 'trace-err-7' })]);
    const fromSubgraph = await send('{ talents(first: -1) { totalCount } }');
    expect(fromSubgraph.errors?.map((error) => error.extensions)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', requestId: 'trace-err-7' })]);
  });

  it('publishes a change made through the gateway to the event bus within 2 seconds', async () => {
    const seen: DomainEvent[] = [];
    const subscription = await supergraph.bus.subscribe('e2e-listener', async (events) => void seen.push(...events));
    const started = Date.now();
    const created = await graphql<{ createCompany: { id: string } }>(url, 'mutation { createCompany(input: { name: "Published Co" }) { id } }', {}, adminToken);
    const id = created.data!.createCompany.id;
    while (!seen.some((event) => event.aggregate.id === id) && Date.now() - started < 2_000) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen.find((event) => event.aggregate.id === id)).toMatchObject({ type: 'company.created', source: 'companies', payload: { name: 'Published Co' } });
    await subscription.stop();
  });

  it('changes nothing in the relationship graph when every event is delivered again, or applied again past the inbox', async () => {
    const { db, service } = supergraph.subgraphs.get('relationships')!;
    const graph = async () =>
      db.query(`select (select md5(string_agg(kind || id || coalesce(label, ''), ',' order by kind, id)) from nodes) as nodes,
                       (select md5(string_agg(kind || from_id || to_id || properties::text, ',' order by kind, from_id, to_id)) from edges) as edges`);
    const before = await graph();
    const events: DomainEvent[] = [];
    for (const [name, { db: owner }] of supergraph.subgraphs) {
      const rows = await owner.query<OutboxRow>('select * from outbox order by position');
      events.push(...rows.map((row) => outboxEvent(row, name)));
    }
    expect(events.length).toBeGreaterThan(0);
    await supergraph.bus.publish(events); // in-process: returns once every consumer has handled them
    expect(await graph()).toEqual(before);
    // Past the inbox too: every event sets state, so applying it again lands where the graph is.
    await service.projection!.rebuild();
    expect(await graph()).toEqual(before);
  });

  it('rejects a bad or malformed token at the edge with 401 UNAUTHENTICATED', async () => {
    for (const authorization of ['Bearer not-a-jwt', 'Basic dXNlcjpwYXNz', `Bearer ${adminToken.slice(0, -4)}AAAA`]) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ query: '{ companies(first: 1) { totalCount } }' }),
      });
      expect(response.status).toBe(401);
      const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors.map((e) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
    }
  });

  it('answers me for a signed-in user and null for an anonymous one', async () => {
    expect((await graphql(url, '{ me { email role } }', {}, adminToken)).data).toEqual({ me: { email: DEMO_ADMIN_EMAIL, role: 'SUPER_ADMIN' } });
    expect((await graphql(url, '{ me { email } }')).data).toEqual({ me: null });
  });

  it('allows introspection in development, with each auth rule in the description it guards', async () => {
    const result = await graphql(url, '{ __schema { queryType { name } } }');
    expect(result.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const talent = await graphql<{ __type: { description: string; fields: { name: string; description: string | null }[] } }>(
      url,
      '{ __type(name: "Talent") { description fields { name description } } }',
    );
    expect(talent.data!.__type.description).toContain('🔒 Requires the permission `talent:read`.');
    const contact = talent.data!.__type.fields.find((field) => field.name === 'contact')!;
    expect(contact.description).toContain('Personal data: readable by its owner (ownerId, userId) and by holders of `talent:read:contact`');
  });

  it('serves the Apollo Sandbox landing page on GET /', async () => {
    const response = await fetch(url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/sandbox/i);
  });
});
