import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD, generateDemoDataset } from '../../demo/dataset.ts';
import { graphql } from '../../test/support/client.ts';
import { BENCH_TALENTS, FIXTURE_TALENTS, type Fixture } from './operations.ts';

const SIGN_IN = 'mutation SignIn($email: String!, $password: String!) { login(email: $email, password: $password) { token } }';

/** Signs in as `email` through `url` (Looma's gateway): every target gets the same access token. */
export async function signIn(url: string, email = DEMO_ADMIN_EMAIL): Promise<string> {
  const answer = await graphql<{ login: { token: string } }>(url, SIGN_IN, { email, password: DEMO_PASSWORD });
  const token = answer.data?.login.token;
  if (!token) throw new Error(`Signing in as ${email} failed: ${JSON.stringify(answer.errors)}`);
  return token;
}

/** The demo recruiters: staff with the role `user` and no talent of their own. */
export function recruiterEmails(): string[] {
  const { users, talents } = generateDemoDataset();
  const candidates = new Set(talents.map((talent) => talent.userId));
  return users.filter((user) => user.role === 'user' && !candidates.has(user.id)).map((user) => user.email);
}

/** An access token for each demo recruiter. */
export async function signInRecruiters(url: string): Promise<string[]> {
  const tokens: string[] = [];
  for (const email of recruiterEmails()) tokens.push(await signIn(url, email));
  return tokens;
}

/** The talents the operations name (first by name), with their headlines as they are. */
export async function readFixture(url: string, token: string): Promise<Fixture> {
  const answer = await graphql<{ talents: { edges: { node: { id: string; headline: string | null } }[] } }>(url, BENCH_TALENTS, { first: FIXTURE_TALENTS }, token);
  const talents = answer.data?.talents.edges.map(({ node }) => node) ?? [];
  if (answer.errors || talents.length < FIXTURE_TALENTS) throw new Error(`Reading ${FIXTURE_TALENTS} talents failed: ${JSON.stringify(answer.errors ?? answer.data)}`);
  return { talents };
}
