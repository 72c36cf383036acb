import { graphql } from '../support/client.ts';
import type { Ranker } from './metrics.ts';

/**
 * The two rankers the evaluation compares, both through the gateway as the demo recruiter:
 * `Job.matchingTalents`, and a keyword-only baseline — the search subgraph's full-text search
 * over talents with the job's title and required skills as the query.
 */
export function matchingRanker(url: string, token: string): Ranker {
  return async (jobId) => {
    const result = await graphql<{ job: { matchingTalents: { talent: { id: string } }[] } }>(
      url,
      `query($id: ID!) { job(id: $id) { matchingTalents(first: 20) { talent { id } } } }`,
      { id: jobId },
      token,
    );
    if (result.errors) throw new Error(`matchingTalents for ${jobId} failed: ${JSON.stringify(result.errors)}`);
    return result.data!.job.matchingTalents.map((match) => match.talent.id);
  };
}

export function keywordRanker(url: string, token: string): Ranker {
  return async (jobId) => {
    const job = await graphql<{ job: { title: string; requiredSkills: { skill: { name: string } }[] } }>(
      url,
      `query($id: ID!) { job(id: $id) { title requiredSkills { skill { name } } } }`,
      { id: jobId },
      token,
    );
    const { title, requiredSkills } = job.data!.job;
    const query = [title, ...requiredSkills.map((entry) => entry.skill.name)].join(' ');
    const result = await graphql<{ search: { edges: { node: { entity: { id: string } | null } }[] } }>(
      url,
      `query($query: String!) { search(query: $query, types: [TALENT], first: 20) { edges { node { entity { ... on Talent { id } } } } } }`,
      { query },
      token,
    );
    if (result.errors) throw new Error(`search for ${jobId} failed: ${JSON.stringify(result.errors)}`);
    return result.data!.search.edges.flatMap((edge) => (edge.node.entity ? [edge.node.entity.id] : []));
  };
}
