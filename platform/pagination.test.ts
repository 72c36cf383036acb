import { describe, expect, it } from 'vitest';
import { encodeCursor, toConnection, toPage } from './pagination.ts';

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { extensions?: { code?: string } }).extensions?.code;
  }
  return 'no error';
};

describe('pagination', () => {
  it('clamps first to the maximum page size and defaults it', () => {
    expect(toPage({ first: 1_000_000_000 })).toEqual({ limit: 100, offset: 0 });
    expect(toPage({})).toEqual({ limit: 20, offset: 0 });
    expect(toPage({ first: 0 })).toEqual({ limit: 0, offset: 0 });
  });

  it('continues after a cursor it issued', () => {
    expect(toPage({ first: 5, after: encodeCursor(9) })).toEqual({ limit: 5, offset: 10 });
  });

  it('rejects negative sizes and cursors it did not issue', () => {
    expect(codeOf(() => toPage({ first: -1 }))).toBe('BAD_USER_INPUT');
    for (const text of ['garbage', 'offset:', 'offset:0x10', 'offset:1e20', 'offset:-1', 'offset:99999999999999999']) {
      expect(codeOf(() => toPage({ after: Buffer.from(text).toString('base64url') }))).toBe('BAD_USER_INPUT');
    }
  });

  it('builds edges, cursors and page info', () => {
    const page = toPage({ first: 2, after: encodeCursor(1) });
    const connection = toConnection(['c', 'd'], 5, page);
    expect(connection.edges.map((e) => e.node)).toEqual(['c', 'd']);
    expect(connection.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: true, startCursor: encodeCursor(2), endCursor: encodeCursor(3) });
  });
});
