import { expect } from 'vitest';
import { ROLES, type Role } from '../../platform/auth/index.ts';
import { graphql, type GraphQLResponse } from './client.ts';
import { anonymousToken, tokenFor } from './services.ts';

export type Caller = Role | 'anonymous';
export const CALLERS: readonly Caller[] = [...ROLES, 'anonymous'];

const AUTH_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN']);

/** The auth errors in a response (other errors, e.g. NOT_FOUND for a made-up id, are not the matrix's business). */
export function authErrors(response: GraphQLResponse<unknown>): string[] {
  return (response.errors ?? []).flatMap((error) => (AUTH_CODES.has(error.extensions?.code ?? '') ? [`${error.extensions!.code} at ${error.path?.join('.') ?? '(request)'}`] : []));
}

export interface MatrixCase {
  /** e.g. "Mutation.createCompany" — names the row in the test output. */
  operation: string;
  query: string;
  variables?: Record<string, unknown>;
  /** The callers the permission map lets through; every other caller must be refused. */
  allowed: readonly Caller[];
}

/**
 * The role × operation matrix: every case runs once per caller (each role, and anonymous),
 * and must be allowed exactly for `allowed` and refused (FORBIDDEN, or UNAUTHENTICATED for
 * anonymous) for everyone else.
 */
export async function checkMatrix(url: string, cases: readonly MatrixCase[], userId?: string): Promise<void> {
  const tokens = new Map<Caller, string>();
  for (const caller of CALLERS) tokens.set(caller, caller === 'anonymous' ? await anonymousToken() : await tokenFor(caller, userId));
  const outcomes: string[] = [];
  const expected: string[] = [];
  for (const entry of cases) {
    for (const caller of CALLERS) {
      const errors = authErrors(await graphql(url, entry.query, entry.variables ?? {}, tokens.get(caller)));
      // A signed-in caller who lacks a permission is FORBIDDEN, never asked to sign in.
      const wrongCode = caller !== 'anonymous' && errors.find((error) => error.startsWith('UNAUTHENTICATED'));
      const outcome = errors.length === 0 ? 'allowed' : wrongCode ? `refused with ${wrongCode}` : 'refused';
      outcomes.push(`${entry.operation} as ${caller}: ${outcome}`);
      expected.push(`${entry.operation} as ${caller}: ${entry.allowed.includes(caller) ? 'allowed' : 'refused'}`);
    }
  }
  expect(outcomes).toEqual(expected);
}
