import type { FetcherRequestInit } from '@apollo/utils.fetcher';

/**
 * How Apollo's data source writes a subgraph call: `JSON.stringify({ query, ...rest })`, so the
 * operation's first word is at the start of the body. Read there, a call's kind costs no parse
 * of its variables (an `_entities` call carries every representation).
 */
const QUERY_FIRST = /^\{"query":"(?:(query)\b|(\{)|(mutation|subscription)\b)/;
const QUERY_TEXT = /^\s*(query\b|\{)/;

/** Only a plain query is retried or shared: a mutation, or anything not recognisably a query, is not. */
export function isQuery(body: FetcherRequestInit['body']): boolean {
  if (typeof body !== 'string' && !Buffer.isBuffer(body)) return false;
  const head = QUERY_FIRST.exec(typeof body === 'string' ? body : body.subarray(0, 32).toString());
  if (head) return head[3] === undefined;
  // Written some other way (keys in another order, leading white space): read it whole.
  try {
    const { query } = JSON.parse(body.toString()) as { query?: unknown };
    return typeof query === 'string' && QUERY_TEXT.test(query);
  } catch {
    return false;
  }
}
