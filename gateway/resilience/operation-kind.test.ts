import { describe, expect, it } from 'vitest';
import { isQuery } from './operation-kind.ts';

const body = (request: object) => JSON.stringify(request);

describe('isQuery', () => {
  it('reads the kind of a call written as Apollo writes it', () => {
    expect(isQuery(body({ query: 'query Flagship__users__0($representations:[_Any!]!){_entities(representations:$representations){__typename}}', variables: { representations: [] } }))).toBe(true);
    expect(isQuery(body({ query: '{talents{id}}' }))).toBe(true);
    expect(isQuery(body({ query: 'mutation CreateCompany__companies__0{createCompany{id}}', variables: { query: 'query' } }))).toBe(false);
    expect(isQuery(body({ query: 'subscription S{changed}' }))).toBe(false);
  });

  it('reads a call written in another order or with leading space by parsing it', () => {
    expect(isQuery(body({ variables: {}, query: 'query Q{a}' }))).toBe(true);
    expect(isQuery(body({ variables: {}, query: 'mutation M{a}' }))).toBe(false);
    expect(isQuery(body({ query: '\n  query Q{a}' }))).toBe(true);
    expect(isQuery(body({ query: '\n  mutation M{a}' }))).toBe(false);
  });

  it('takes a Buffer as a string, and calls it nothing it cannot read as one', () => {
    expect(isQuery(Buffer.from(body({ query: 'query Q{a}' })))).toBe(true);
    expect(isQuery(Buffer.from(body({ query: 'mutation M{a}' })))).toBe(false);
    expect(isQuery(body({ query: 'queryless' }))).toBe(false);
    expect(isQuery('{"query":')).toBe(false);
    expect(isQuery(undefined)).toBe(false);
  });
});
