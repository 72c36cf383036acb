import { expect } from 'vitest';
import { DEMO_PASSWORD } from '../../demo/dataset.ts';
import { graphql } from './client.ts';

/** Signs in at the gateway at `url` (a demo account by default) and returns the access token; fails the test on any error. */
export async function signIn(url: string, email: string, password = DEMO_PASSWORD): Promise<string> {
  const result = await graphql<{ login: { token: string } }>(url, 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }', { email, password });
  expect(result.errors).toBeUndefined();
  return result.data!.login.token;
}

/**
 * Demo accounts signed in at a gateway, for suites that act as several people. `ok` runs an
 * operation as one of them (or anonymously, as a guest without a token) and fails the test on
 * any error; `as` returns the whole response, errors included.
 */
export function signedIn<Who extends string>(accounts: Record<Who, string | null>) {
  const tokens = new Map<Who, string>();
  let url = '';
  const asAt = <Data>(target: () => string, who: Who, query: string, variables: Record<string, unknown> = {}) => graphql<Data>(target(), query, variables, tokens.get(who));
  const as = <Data>(who: Who, query: string, variables: Record<string, unknown> = {}) => asAt<Data>(() => url, who, query, variables);
  return {
    /** Signs every account with an email in at the gateway at `gatewayUrl`. */
    async signIn(gatewayUrl: string): Promise<void> {
      url = gatewayUrl;
      for (const [who, email] of Object.entries(accounts) as [Who, string | null][]) {
        if (!email) continue;
        tokens.set(who, await signIn(url, email));
      }
    },
    as,
    /** `as`, sent to another path of the gateway (e.g. /graphql/files). */
    asAtPath: <Data>(path: string, who: Who, query: string, variables: Record<string, unknown> = {}) => asAt<Data>(() => new URL(path, url).toString(), who, query, variables),
    async ok<Data = Record<string, unknown>>(who: Who, query: string, variables: Record<string, unknown> = {}): Promise<Data> {
      const result = await as<Data>(who, query, variables);
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      return result.data!;
    },
  };
}
