import { DEMO_PASSWORD } from '../../../demo/dataset.ts';
import { graphql } from '../../../test/support/client.ts';
import type { Search } from '../../../test/relevance/metrics.ts';

/** The judged queries' search: `Query.search` through the gateway, signed in as the demo recruiter (who may read talents). */
export async function gatewaySearch(url: string): Promise<Search> {
  const login = await graphql<{ login: { token: string } }>(url, `mutation { login(email: "recruiter@looma.dev", password: "${DEMO_PASSWORD}") { token } }`);
  const token = login.data!.login.token;
  return async (query, types) => {
    const result = await graphql<{ search: { edges: { node: { type: string; entity: { id: string } | null } }[] } }>(
      url,
      `query($query: String!, $types: [SearchType!]) { search(query: $query, types: $types, first: 20) { edges { node { type entity { ... on Talent { id } ... on Job { id } ... on Company { id } ... on Project { id } ... on Skill { id } } } } } }`,
      { query, types },
      token,
    );
    if (result.errors) throw new Error(`search "${query}" failed: ${JSON.stringify(result.errors)}`);
    return result.data!.search.edges.flatMap(({ node }) => (node.entity ? [{ type: node.type, id: node.entity.id }] : []));
  };
}
