import type { DemoDataset } from '../../demo/types.ts';
import type { PathEnds } from '../harness/operations/graph-path.ts';

/**
 * Two fixed talents of a dataset whose shortest path is not one shared neighbour: the first
 * talent, and the first after it sharing no skill, no company and no acquaintance link with it.
 * A path between them has three links or more, so the search expands the skill and company
 * nodes around them: the part of `pathTo` whose work could grow with the data.
 */
export function pathEnds(dataset: DemoDataset): PathEnds {
  const latest = new Map(dataset.resumes.map((resume) => [resume.talentId, resume.versions.at(-1)!]));
  const neighboursOf = (talentId: string) => {
    const document = latest.get(talentId);
    const ids = new Set<string>([...(document?.skills ?? []).map((skill) => skill.skillId), ...(document?.experience ?? []).flatMap((job) => (job.companyId ? [job.companyId] : []))]);
    for (const { talentId: a, otherId: b } of dataset.acquaintances) {
      if (a === talentId) ids.add(b);
      if (b === talentId) ids.add(a);
    }
    return ids;
  };
  const [first, ...others] = dataset.talents;
  if (!first) throw new Error('The dataset has no talents');
  const around = neighboursOf(first.id);
  const far = others.find((talent) => !around.has(talent.id) && ![...neighboursOf(talent.id)].some((id) => around.has(id)));
  if (!far) throw new Error(`No talent of ${dataset.talents.length} is two links or more from ${first.id}`);
  return { from: first.id, to: far.id };
}
