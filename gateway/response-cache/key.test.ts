import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { responseKey, schemaId } from './key.ts';

const base = { schemaId: 's1', query: 'query Jobs($first: Int) { jobs(first: $first) { totalCount } }', operationName: 'Jobs', variables: { first: 5, filter: { a: 1, b: [1, 2] } } };

describe('responseKey', () => {
  it('is the same for the same request, whatever order its variables were written in', () => {
    expect(responseKey(base)).toBe(responseKey({ ...base, variables: { filter: { b: [1, 2], a: 1 }, first: 5 } }));
    expect(responseKey({ ...base, variables: undefined })).toBe(responseKey({ ...base, variables: {} }));
    expect(responseKey({ ...base, operationName: undefined })).toBe(responseKey({ ...base, operationName: null }));
    expect(responseKey(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs with the query, the operation, any variable value (list order included) and the schema', () => {
    const keys = [
      responseKey(base),
      responseKey({ ...base, query: `${base.query} ` }),
      responseKey({ ...base, operationName: 'Other' }),
      responseKey({ ...base, variables: { ...base.variables, first: 6 } }),
      responseKey({ ...base, variables: { ...base.variables, filter: { a: 1, b: [2, 1] } } }),
      responseKey({ ...base, variables: { ...base.variables, first: '5' } }),
      responseKey({ ...base, schemaId: 's2' }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('schemaId', () => {
  it('names equal schemas alike (replicas of one supergraph share answers) and different ones apart', () => {
    const one = schemaId(buildSchema('type Query { a: Int }'));
    expect(schemaId(buildSchema('type Query { a: Int }'))).toBe(one);
    expect(schemaId(buildSchema('type Query { a: Int b: Int }'))).not.toBe(one);
  });
});
