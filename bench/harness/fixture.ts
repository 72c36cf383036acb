import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD } from '../../demo/dataset.ts';
import { graphql } from '../../test/support/client.ts';
import { BENCH_TALENTS, FIXTURE_TALENTS, type Fixture } from './operations.ts';

/** Signs in as the demo admin through `url` (Looma's gateway): every target gets the same access token. */
export async function signIn(url: string): Promise<string> {
  const answer = await graphql<{ login: { token: string } }>(url, 'mutation SignIn($email: String!, $password: String!) { login(email: $email, password: $password) { token } }', {
    email: DEMO_ADMIN_EMAIL,
    password: DEMO_PASSWORD,
  });
  const token = answer.data?.login.token;
  if (!token) throw new Error(`Signing in as ${DEMO_ADMIN_EMAIL} failed: ${JSON.stringify(answer.errors)}`);
  return token;
}

/** The talents the operations name (first by name), with their headlines as they are. */
export async function readFixture(url: string, token: string): Promise<Fixture> {
  const answer = await graphql<{ talents: { edges: { node: { id: string; headline: string | null } }[] } }>(url, BENCH_TALENTS, { first: FIXTURE_TALENTS }, token);
  const talents = answer.data?.talents.edges.map(({ node }) => node) ?? [];
  if (answer.errors || talents.length < FIXTURE_TALENTS) throw new Error(`Reading ${FIXTURE_TALENTS} talents failed: ${JSON.stringify(answer.errors ?? answer.data)}`);
  return { talents };
}
