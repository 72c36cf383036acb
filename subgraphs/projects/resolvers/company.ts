import { toConnection } from '../../../platform/pagination.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import type { Stores } from '../index.ts';
import type { ProjectPage } from '../store.ts';
import { listArgs, validKeys, type ProjectListArgs } from './project.ts';

type Context = SubgraphContext<Stores>;

/**
 * Company is owned by the companies subgraph; this subgraph only adds `projects`. A representation
 * whose id is not even a string (it could not be serialised back) is no company.
 */
export const Company = {
  __resolveReference: (reference: { id?: unknown }) => (typeof reference.id === 'string' ? reference : null),

  /** Every company in one request asking with the same arguments shares one query. */
  async projects(company: { id: string }, args: ProjectListArgs, ctx: Context) {
    const { filter, order, page } = listArgs(args, ctx.viewer);
    const loader = ctx.loaders.get<string, ProjectPage>(`projectsByCompany:${JSON.stringify({ filter, order, page })}`, async (ids) => {
      const { keys, valid } = validKeys(ids);
      const pages = await ctx.stores.projects.listForCompanies(valid, filter, order, page);
      const byCompany = new Map(valid.map((companyId, index) => [companyId, pages[index]!]));
      return keys.map((key) => byCompany.get(key) ?? { rows: [], totalCount: 0 });
    });
    const { rows, totalCount } = await loader.load(company.id);
    return toConnection(rows, totalCount, page);
  },
};
