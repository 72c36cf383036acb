import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { breakingChanges } from './checks.ts';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])';

function supergraph(sdl: string): string {
  const result = composeServices([{ name: 'only', url: 'http://localhost:1/graphql', typeDefs: parse(`${LINK}\n${sdl}`) }]);
  if (result.errors) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.supergraphSdl;
}

describe('breaking-change detection on the public API schema', () => {
  const base = supergraph('type Query { talent(id: ID!): Talent } type Talent @key(fields: "id") { id: ID! name: String! }');

  it('finds removed fields and changed argument types', () => {
    const removed = supergraph('type Query { talent(id: ID!): Talent } type Talent @key(fields: "id") { id: ID! }');
    expect(breakingChanges(base, removed)).toEqual(['FIELD_REMOVED: Talent.name was removed.']);
    const retyped = supergraph('type Query { talent(id: String!): Talent } type Talent @key(fields: "id") { id: ID! name: String! }');
    expect(breakingChanges(base, retyped)).toHaveLength(1);
  });

  it('accepts additive changes', () => {
    const added = supergraph('type Query { talent(id: ID!): Talent talents: [Talent!]! } type Talent @key(fields: "id") { id: ID! name: String! headline: String }');
    expect(breakingChanges(base, added)).toEqual([]);
  });

  it('ignores federation-internal changes that clients cannot see', () => {
    const rekeyed = supergraph('type Query { talent(id: ID!): Talent } type Talent @key(fields: "id") @key(fields: "name") { id: ID! name: String! }');
    expect(breakingChanges(base, rekeyed)).toEqual([]);
  });
});
