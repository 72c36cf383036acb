import type { Connection, Page } from '../../../platform/pagination.ts';
import { toConnection } from '../../../platform/pagination.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import { isId } from '../../../platform/validate.ts';
import type { PageOf } from '../store.ts';

/**
 * One parent's page of a per-parent connection (e.g. `Company.jobs`). Parents asking with the
 * same arguments share one loader, so `_entities` with N parents costs one fetch for all of them.
 * `args` must hold everything that shapes the page: it names the loader.
 */
export function loadConnection<T>(
  ctx: SubgraphContext<unknown>,
  name: string,
  parentId: string,
  args: { page: Page } & Record<string, unknown>,
  fetch: (parentIds: string[]) => Promise<PageOf<T>[]>,
): Promise<Connection<T>> {
  const loader = ctx.loaders.get<string, Connection<T>>(`${name}:${JSON.stringify(args)}`, async (parentIds) => {
    // A malformed id has no rows; keeping it out of the statement keeps the uuid[] cast valid.
    const valid = parentIds.filter(isId);
    const pages = valid.length ? await fetch(valid) : [];
    const byParent = new Map(valid.map((id, index) => [id, pages[index]!] as const));
    return parentIds.map((id) => {
      const page = byParent.get(id) ?? { rows: [], totalCount: 0 };
      return toConnection(page.rows, page.totalCount, args.page);
    });
  });
  return loader.load(isId(parentId) ? parentId.toLowerCase() : parentId);
}
