import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../platform/registry.ts';

/** A page of talents with resumes, skills, and applications with their job and company: what batching is measured on. */
export const FLAGSHIP = readFileSync(join(ROOT, 'operations', 'Flagship.graphql'), 'utf8');

/** The README's flagship request and the output it shows, as the README has them. */
export function readmeFlagship(): { query: string; output: unknown } {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## One request'));
  const query = /```graphql\n([\s\S]*?)```/.exec(section)?.[1];
  const output = /```json\n([\s\S]*?)```/.exec(section)?.[1];
  if (!query || !output) throw new Error('README.md has no flagship query and output under "## One request"');
  return { query, output: JSON.parse(output) };
}
