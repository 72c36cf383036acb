import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { auditRecords, type AuditedResponse } from './record.ts';

const SCHEMA = buildSchema(`
  type Query { ping: String }
  type User { id: ID! name: String }
  type ApiKey { id: ID! name: String }
  type AuthPayload { token: String! user: User! }
  type Mutation {
    login(email: String!, password: String!): AuthPayload!
    updateUser(id: ID!, name: String): User!
    deleteApiKey(id: ID!): ID!
    revokeUserKeys(ownerId: ID!, reason: String): Boolean!
    logout: Boolean!
    issueApiKey(userId: ID!, name: String): ApiKey!
    renameApiKey(apiKeyId: ID!, userId: ID!, name: String): ApiKey!
  }
`);

const REQUEST = { at: new Date('2026-12-01T12:00:00.000Z'), requestId: 'req-1', clientAddress: '192.0.2.1', actorId: 'u-1', actorRole: 'user' as const };

function recordsOf(source: string, variables: Record<string, unknown> = {}, response: AuditedResponse = {}) {
  const document = parse(source);
  const operation = document.definitions.find((definition) => definition.kind === 'OperationDefinition') as OperationDefinitionNode;
  return auditRecords(SCHEMA, document, operation, variables, REQUEST, response).map(({ action, entityType, entityId, outcome, operationName }) => ({
    action,
    entityType,
    entityId,
    outcome,
    operationName,
  }));
}

describe('audit records of a mutation', () => {
  it('names the entity of a payload by its entity field, the id read from the answer under any alias', () => {
    const records = recordsOf(
      'mutation SignIn($email: String!, $password: String!) { signIn: login(email: $email, password: $password) { token who: user { ...U } } } fragment U on User { key: id }',
      { email: 'a@b.c', password: 'hunter22' },
      { data: { signIn: { token: 't', who: { key: 'u-9' } } } },
    );
    expect(records).toEqual([{ action: 'login', entityType: 'User', entityId: 'u-9', outcome: 'ok', operationName: 'SignIn' }]);
  });

  it('takes the id argument, else an ID argument named …Id, and names the entity of a scalar answer by the field name', () => {
    expect(recordsOf('mutation($id: ID!) { deleteApiKey(id: $id) }', { id: 'k-1' })).toEqual([
      { action: 'deleteApiKey', entityType: 'ApiKey', entityId: 'k-1', outcome: 'ok', operationName: null },
    ]);
    expect(recordsOf('mutation { revokeUserKeys(ownerId: "u-2", reason: "left") logout }')).toEqual([
      { action: 'revokeUserKeys', entityType: 'User', entityId: 'u-2', outcome: 'ok', operationName: null },
      { action: 'logout', entityType: null, entityId: null, outcome: 'ok', operationName: null },
    ]);
  });

  it('keeps the type and the id consistent: the id in the answer before another entity\'s id argument', () => {
    expect(recordsOf('mutation { issueApiKey(userId: "u-3") { id } }', {}, { data: { issueApiKey: { id: 'k-5' } } })).toEqual([
      { action: 'issueApiKey', entityType: 'ApiKey', entityId: 'k-5', outcome: 'ok', operationName: null },
    ]);
    // Refused: no key was made, so the record names the user it was for.
    expect(recordsOf('mutation { issueApiKey(userId: "u-3") { id } }', {}, { data: null, errors: [{ path: ['issueApiKey'], extensions: { code: 'FORBIDDEN' } }] })).toEqual([
      { action: 'issueApiKey', entityType: 'User', entityId: 'u-3', outcome: 'FORBIDDEN', operationName: null },
    ]);
    expect(recordsOf('mutation { renameApiKey(userId: "u-3", apiKeyId: "k-6") { name } }').map((r) => [r.entityType, r.entityId])).toEqual([['ApiKey', 'k-6']]);
  });

  it("takes each field's own errors and the request's, not those deeper in its answer", () => {
    const response: AuditedResponse = {
      data: null,
      errors: [
        { path: ['a'], extensions: { code: 'FORBIDDEN' } },
        { path: ['b', 'name'], extensions: { code: 'FORBIDDEN' } },
        { path: ['c'], extensions: {} },
      ],
    };
    const records = recordsOf('mutation { a: updateUser(id: "1") { id } b: updateUser(id: "2") { name } c: logout }', {}, response);
    expect(records.map((record) => record.outcome)).toEqual(['FORBIDDEN', 'ok', 'INTERNAL_SERVER_ERROR']);
    const refused = recordsOf('mutation { logout }', {}, { errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    expect(refused.map((record) => record.outcome)).toEqual(['BAD_REQUEST']);
  });

  it('leaves out fields skipped by @skip or @include, and operations that are not mutations', () => {
    expect(recordsOf('mutation($no: Boolean!) { logout @include(if: $no) updateUser(id: "1") @skip(if: false) { id } }', { no: false }).map((r) => r.action)).toEqual([
      'updateUser',
    ]);
    expect(recordsOf('query { ping }')).toEqual([]);
  });

  it('keeps no argument value but the entity id', () => {
    const document = parse('mutation { login(email: "someone@example.com", password: "hunter22") { token } }');
    const operation = document.definitions[0] as OperationDefinitionNode;
    const [record] = auditRecords(SCHEMA, document, operation, {}, REQUEST, {});
    const text = JSON.stringify(record);
    expect(text).not.toContain('hunter22');
    expect(text).not.toContain('someone@example.com');
    expect(record).toMatchObject({ at: '2026-12-01T12:00:00.000Z', requestId: 'req-1', clientAddress: '192.0.2.1', actorId: 'u-1', actorRole: 'user' });
  });
});
