import { groupByKey } from '../../../platform/loaders.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import type { Stores } from '../index.ts';
import type { Project } from '../store.ts';
import { validKeys } from './project.ts';

type Context = SubgraphContext<Stores>;

/** Batches the projects of every talent in one request into one query. */
function loadProjectsOfTalent(ctx: Context, talentId: string): Promise<Project[]> {
  return ctx.loaders
    .get<string, Project[]>('projectsByTalent', async (ids) => {
      const { keys, valid } = validKeys(ids);
      const rows = await ctx.stores.projects.listForTalents(valid);
      return groupByKey(keys, rows, (row) => row.talentId).map((group) => group.map((row) => row.project));
    })
    .load(talentId);
}

/**
 * Talent is owned by the resumes subgraph; this subgraph only adds `projects`. A representation
 * whose id is not even a string (it could not be serialised back) is no talent.
 */
export const Talent = {
  __resolveReference: (reference: { id?: unknown }) => (typeof reference.id === 'string' ? reference : null),
  projects: (talent: { id: string }, _: unknown, ctx: Context) => loadProjectsOfTalent(ctx, talent.id),
};
