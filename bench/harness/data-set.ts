import { readFileSync } from 'node:fs';
import { problemWith, send } from './send.ts';
import type { Target } from './target.ts';

const DATA_SET_SIZE = readFileSync(new URL('./operations/DataSetSize.graphql', import.meta.url), 'utf8');

/** How many companies, talents and jobs there are: the mutations must leave these as they found them. */
export async function dataSetSize(target: Target, token: string): Promise<string> {
  const answer = await send(target.url, { query: DATA_SET_SIZE, variables: () => ({}) }, {}, token);
  const problem = problemWith(answer);
  if (problem) throw new Error(`Counting the data set on ${target.name} failed: ${problem}`);
  const data = answer.data as Record<'companies' | 'talents' | 'jobs', { totalCount: number }>;
  return `${data.companies.totalCount} companies, ${data.talents.totalCount} talents, ${data.jobs.totalCount} jobs`;
}
