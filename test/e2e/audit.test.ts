import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signGatewayCredential, viewerWithRole, type Role } from '../../platform/auth/index.ts';
import type { Stores } from '../../subgraphs/users/index.ts';
import { hashPassword } from '../../subgraphs/users/password.ts';
import type { User } from '../../subgraphs/users/store.ts';
import { codes, type GraphQLResponse } from '../support/client.ts';
import { eventually } from '../support/eventually.ts';
import { startTestSupergraph } from '../support/services.ts';

const PASSWORD = 'audit-trail-secret-1';
const NEW_PASSWORD = 'audit-trail-secret-2';

const AUDIT_EVENTS = `query($filter: AuditEventFilter, $first: Int) {
  auditEvents(filter: $filter, first: $first) {
    totalCount
    edges { node { id at actor { id name } actorRole clientAddress requestId action operationName entityType entityId outcome } }
  }
}`;

interface AuditEventNode {
  id: string;
  at: string;
  actor: { id: string; name: string } | null;
  actorRole: string | null;
  clientAddress: string;
  requestId: string;
  action: string;
  operationName: string | null;
  entityType: string | null;
  entityId: string | null;
  outcome: string;
}
type AuditEventsData = { auditEvents: { totalCount: number; edges: { node: AuditEventNode }[] } };

/** The audit log (issue 9, protection 9) as an admin reads it, every record made by the gateway from real requests. */
describe('the audit log through the gateway', () => {
  let supergraph: Awaited<ReturnType<typeof startTestSupergraph>>;
  let url: string;
  const people = new Map<string, User>();
  const tokens = new Map<string, string>();

  /** One operation sent as a client would, with its own request id. */
  async function send<Data>(query: string, variables: Record<string, unknown>, options: { token?: string; requestId?: string } = {}): Promise<GraphQLResponse<Data>> {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.requestId ? { 'x-request-id': options.requestId } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLResponse<Data>;
  }

  /** The records of one request, once the gateway has delivered them (a moment after its response). */
  async function recordsOf(requestId: string, count = 1): Promise<AuditEventNode[]> {
    const found = await eventually(
      () => send<AuditEventsData>(AUDIT_EVENTS, { filter: { requestId } }, { token: tokens.get('admin') }),
      (result) => (result.data?.auditEvents.totalCount ?? 0) >= count,
      5_000,
    );
    expect(found.errors).toBeUndefined();
    return found.data!.auditEvents.edges.map((edge) => edge.node);
  }

  const login = async (email: string, password = PASSWORD) => {
    const result = await send<{ login: { token: string } }>(`mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`, { email, password });
    expect(result.errors).toBeUndefined();
    return result.data!.login.token;
  };

  beforeAll(async () => {
    const passwordHash = await hashPassword(PASSWORD);
    const accounts: [string, Role][] = [
      ['admin', 'admin'],
      ['recruiter', 'user'],
      ['guest', 'guest'],
      ['candidate', 'user'],
    ];
    supergraph = await startTestSupergraph(async (stores) => {
      const users = (stores.get('users') as Stores).users;
      for (const [who, role] of accounts) {
        people.set(who, await users.create({ email: `${who}@audit.example`, name: `Audit ${who}`, role, status: 'active', passwordHash }));
      }
    });
    url = supergraph.url;
    for (const who of ['admin', 'recruiter', 'guest']) tokens.set(who, await login(`${who}@audit.example`));
  });
  afterAll(() => supergraph?.stop());

  it('records a mutation: who, what, which entity, when, from where, under which request id, and how it ended', async () => {
    const requestId = `audit-create-${randomUUID()}`;
    const before = Date.now();
    const created = await send<{ createCompany: { id: string } }>(
      `mutation NewCompany($input: CreateCompanyInput!) { createCompany(input: $input) { id name } }`,
      { input: { name: 'Audited Ltd' } },
      { token: tokens.get('recruiter'), requestId },
    );
    expect(created.errors).toBeUndefined();
    const [record, ...others] = await recordsOf(requestId);
    expect(others).toEqual([]);
    expect(record).toMatchObject({
      actor: { id: people.get('recruiter')!.id, name: 'Audit recruiter' },
      actorRole: 'USER',
      action: 'createCompany',
      operationName: 'NewCompany',
      entityType: 'Company',
      entityId: created.data!.createCompany.id,
      requestId,
      outcome: 'ok',
    });
    expect(record!.clientAddress).toMatch(/127\.0\.0\.1/);
    const at = Date.parse(record!.at);
    expect(at).toBeGreaterThanOrEqual(before - 1_000);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it('records a refused mutation with the error code, and no entity it did not touch', async () => {
    const requestId = `audit-refused-${randomUUID()}`;
    const refused = await send(`mutation { createCompany(input: { name: "Not allowed" }) { id } }`, {}, { token: tokens.get('guest'), requestId });
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    const [record] = await recordsOf(requestId);
    expect(record).toMatchObject({ actor: { id: people.get('guest')!.id }, actorRole: 'GUEST', action: 'createCompany', entityType: 'Company', entityId: null, outcome: 'FORBIDDEN' });
  });

  it('records one event per root field, by field name however aliased, with the id argument as the entity', async () => {
    const requestId = `audit-aliases-${randomUUID()}`;
    const company = await send<{ createCompany: { id: string } }>(`mutation { createCompany(input: { name: "Twice Ltd" }) { id } }`, {}, { token: tokens.get('recruiter') });
    const id = company.data!.createCompany.id;
    const both = await send(
      `mutation($id: ID!) { first: updateCompany(id: $id, input: { industry: "Audit" }) { name } gone: deleteCompany(id: $id) }`,
      { id },
      { token: tokens.get('recruiter'), requestId },
    );
    // The recruiter may update but not delete.
    expect(codes(both)).toEqual(['FORBIDDEN']);
    const records = await recordsOf(requestId, 2);
    expect(records.map(({ action, entityType, entityId, outcome }) => ({ action, entityType, entityId, outcome })).sort((a, b) => a.action.localeCompare(b.action))).toEqual([
      { action: 'deleteCompany', entityType: 'Company', entityId: id, outcome: 'FORBIDDEN' },
      { action: 'updateCompany', entityType: 'Company', entityId: id, outcome: 'ok' },
    ]);
  });

  it('never stores a password: login and changePassword leave only who, what and when', async () => {
    const candidate = people.get('candidate')!;
    const loginRequest = `audit-login-${randomUUID()}`;
    const signedIn = await send<{ login: { token: string } }>(
      `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token user { id } } }`,
      { email: 'candidate@audit.example', password: PASSWORD },
      { requestId: loginRequest },
    );
    expect(signedIn.errors).toBeUndefined();
    const changeRequest = `audit-change-${randomUUID()}`;
    const changed = await send(
      `mutation { changePassword(currentPassword: "${PASSWORD}", newPassword: "${NEW_PASSWORD}") }`,
      {},
      { token: signedIn.data!.login.token, requestId: changeRequest },
    );
    expect(changed.errors).toBeUndefined();

    const [loginRecord] = await recordsOf(loginRequest);
    expect(loginRecord).toMatchObject({ actor: null, actorRole: null, action: 'login', entityType: 'User', entityId: candidate.id, outcome: 'ok' });
    const [changeRecord] = await recordsOf(changeRequest);
    expect(changeRecord).toMatchObject({ actor: { id: candidate.id }, actorRole: 'USER', action: 'changePassword', outcome: 'ok' });

    const rows = await supergraph.subgraphs.get('users')!.db.query<{ row: string }>('select audit_events::text as row from audit_events');
    expect(rows.length).toBeGreaterThan(0);
    for (const { row } of rows) {
      expect(row).not.toContain(PASSWORD);
      expect(row).not.toContain(NEW_PASSWORD);
    }
  });

  it('is read with audit:read only: FORBIDDEN for a recruiter, UNAUTHENTICATED for an anonymous caller', async () => {
    expect(codes(await send(AUDIT_EVENTS, {}, { token: tokens.get('recruiter') }))).toEqual(['FORBIDDEN']);
    expect(codes(await send(AUDIT_EVENTS, {}))).toEqual(['UNAUTHENTICATED']);
  });

  it('filters by actor, action and outcome, newest first', async () => {
    const recruiter = people.get('recruiter')!.id;
    const result = await send<AuditEventsData>(AUDIT_EVENTS, { filter: { actorId: recruiter, action: 'createCompany', outcome: 'ok' }, first: 50 }, { token: tokens.get('admin') });
    expect(result.errors).toBeUndefined();
    const nodes = result.data!.auditEvents.edges.map((edge) => edge.node);
    expect(nodes.length).toBeGreaterThanOrEqual(2);
    expect(nodes.every((node) => node.actor?.id === recruiter && node.action === 'createCompany' && node.outcome === 'ok')).toBe(true);
    const times = nodes.map((node) => Date.parse(node.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  describe('POST /audit/events on the users subgraph', () => {
    const event = () => ({
      id: randomUUID(),
      at: new Date().toISOString(),
      actorId: null,
      actorRole: null,
      clientAddress: '203.0.113.9',
      requestId: `forged-${randomUUID()}`,
      action: 'deleteEverything',
      operationName: null,
      entityType: null,
      entityId: null,
      outcome: 'ok',
    });
    const post = (body: unknown, authorization?: string) =>
      fetch(new URL('/audit/events', supergraph.subgraphs.get('users')!.service.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify(body),
      });
    const stored = async (requestId: string) =>
      (await supergraph.subgraphs.get('users')!.db.query('select 1 from audit_events where request_id = $1', [requestId])).length;

    it('refuses anything but the gateway credential with 401, and stores nothing', async () => {
      const forged = await signGatewayCredential(viewerWithRole(people.get('admin')!.id, 'super_admin'), new TextEncoder().encode('not-the-gateway-secret-at-all!!'));
      for (const authorization of [undefined, `Bearer ${tokens.get('admin')}`, `Bearer ${forged}`, 'Basic YWRtaW46YWRtaW4=']) {
        const record = event();
        const response = await post({ events: [record] }, authorization);
        expect(response.status, String(authorization)).toBe(401);
        expect(await stored(record.requestId)).toBe(0);
      }
    });

    it('refuses a malformed batch whole with 400, and stores a batch sent twice once', async () => {
      const gateway = `Bearer ${await signGatewayCredential(null)}`;
      const good = event();
      const malformed = await post({ events: [good, { ...event(), outcome: 'ok; drop table audit_events' }] }, gateway);
      expect(malformed.status).toBe(400);
      expect(await stored(good.requestId)).toBe(0);
      for (let attempt = 0; attempt < 2; attempt++) expect((await post({ events: [good] }, gateway)).status).toBe(200);
      expect(await stored(good.requestId)).toBe(1);
    });
  });
});
