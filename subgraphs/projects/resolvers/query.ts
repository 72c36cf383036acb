import { toConnection } from '../../../platform/pagination.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import { isId } from '../../../platform/validate.ts';
import type { Stores } from '../index.ts';
import { listArgs, loadProject, type ProjectListArgs } from './project.ts';

type Context = SubgraphContext<Stores>;

export const Query = {
  project: (_: unknown, args: { id: string }, ctx: Context) => (isId(args.id) ? loadProject(ctx, args.id) : null),

  async projects(_: unknown, args: ProjectListArgs, ctx: Context) {
    const { filter, order, page } = listArgs(args, ctx.viewer);
    const { rows, totalCount } = await ctx.stores.projects.list(filter, order, page);
    return toConnection(rows, totalCount, page);
  },
};
