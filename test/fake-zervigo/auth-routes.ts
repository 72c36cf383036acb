import type { LoginAnswer } from '../../platform/zervigo-client.ts';
import { accountFor } from './accounts.ts';
import { failure, ok, type Route } from './http.ts';
import { readCredentials, readTokenToValidate } from './shapes.ts';
import type { FakeTokens } from './tokens.ts';

/** The auth service: login with a seeded account, validation of the tokens it signed. */
export function authRoutes(tokens: FakeTokens): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/api/v1/auth/login',
      async handle({ body }) {
        const { username, password } = readCredentials(body);
        const user = accountFor(username, password);
        if (!user) return failure(401, 'invalid username or password');
        const { token, expiresAt } = await tokens.issue(user);
        const answer: LoginAnswer = { token, expires_at: expiresAt.toISOString(), user };
        return ok(answer);
      },
    },
    {
      method: 'POST',
      pattern: '/api/v1/auth/validate',
      async handle({ body }) {
        const validation = await tokens.validate(readTokenToValidate(body));
        return ok(validation, validation.valid ? 200 : 401);
      },
    },
  ];
}
