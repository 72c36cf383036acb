/** The small routing vocabulary the fake's services share (one node:http server each, see server.ts). */

export interface FakeRequest {
  method: string;
  /** The path without its query string. */
  path: string;
  /** `:name` segments of the route's pattern, URI-decoded. */
  params: Record<string, string>;
  /** The parsed JSON body; undefined when there was none. */
  body: unknown;
}

export interface FakeAnswer {
  status: number;
  body: unknown;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT';
  /** e.g. `/api/v1/jobs/:id` */
  pattern: string;
  handle(request: FakeRequest): FakeAnswer | Promise<FakeAnswer>;
}

/** A body that is not the shape the endpoint takes: the server answers 400 with this message. */
export class BadInput extends Error {
  override readonly name = 'BadInput';
}

export const ok = (body: unknown, status = 200): FakeAnswer => ({ status, body });
export const failure = (status: number, error: string): FakeAnswer => ({ status, body: { error } });

/** The route `path` matches, with its params; 'wrong-method' when only the method differs. */
export function findRoute(routes: readonly Route[], method: string, path: string): { route: Route; params: Record<string, string> } | 'wrong-method' | undefined {
  let pathMatched = false;
  for (const route of routes) {
    const params = matchPattern(route.pattern, path);
    if (!params) continue;
    if (route.method === method) return { route, params };
    pathMatched = true;
  }
  return pathMatched ? 'wrong-method' : undefined;
}

function matchPattern(pattern: string, path: string): Record<string, string> | undefined {
  const expected = pattern.split('/');
  const actual = path.split('/');
  if (expected.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of expected.entries()) {
    const value = actual[index]!;
    if (segment.startsWith(':')) {
      if (value === '') return undefined;
      try {
        params[segment.slice(1)] = decodeURIComponent(value);
      } catch {
        return undefined;
      }
    } else if (segment !== value) {
      return undefined;
    }
  }
  return params;
}
