import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './config.ts';
import { badInput } from './errors.ts';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Page {
  limit: number;
  offset: number;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

const PREFIX = 'offset:';

/**
 * Turns `first`/`after` into a limit and offset. `first` is clamped to MAX_PAGE_SIZE (documented
 * in the schema) rather than rejected, so a client asking for 10^9 simply gets the maximum.
 */
export function toPage({ first, after }: PageArgs): Page {
  if (first != null && first < 0) throw badInput('`first` must not be negative', 'first');
  const limit = Math.min(first ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  return { limit, offset: after ? decodeCursor(after) + 1 : 0 };
}

export function encodeCursor(offset: number): string {
  return Buffer.from(`${PREFIX}${offset}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString();
  const digits = text.slice(PREFIX.length);
  const offset = Number(digits);
  if (!text.startsWith(PREFIX) || !/^\d{1,15}$/.test(digits) || !Number.isSafeInteger(offset)) {
    throw badInput('`after` is not a cursor this API issued', 'after');
  }
  return offset;
}

/** Builds a Relay connection from one page of rows (fetched with `limit`) and the total count. */
export function toConnection<T>(rows: T[], totalCount: number, page: Page): Connection<T> {
  const edges = rows.map((node, index) => ({ cursor: encodeCursor(page.offset + index), node }));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: page.offset + rows.length < totalCount,
      hasPreviousPage: page.offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
