import { requirePermission, type Viewer } from '../../../platform/auth/index.ts';
import { alignByKey, groupByKey } from '../../../platform/loaders.ts';
import { toPage, type Page, type PageArgs } from '../../../platform/pagination.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import { id, isId, optionalText } from '../../../platform/validate.ts';
import type { Stores } from '../index.ts';
import type { Project as ProjectRecord, ProjectFilter, ProjectMember, ProjectOrder } from '../store.ts';

type Context = SubgraphContext<Stores>;

export type ProjectListArgs = PageArgs & { filter?: ProjectFilter | null; orderBy?: ProjectOrder | null };

/**
 * Normalises the arguments shared by Query.projects and Company.projects; a malformed id or text filter is a client mistake.
 * Projects are public but their teams are not, and filtering by talent would reveal who worked on what.
 */
export function listArgs(args: ProjectListArgs, viewer: Viewer | null): { filter: ProjectFilter; order: ProjectOrder; page: Page } {
  const given = args.filter ?? {};
  if (given.talentId != null) requirePermission(viewer, 'talent:read');
  const filter: ProjectFilter = {};
  const nameContains = optionalText(given.nameContains, 'filter.nameContains', 200);
  if (nameContains) filter.nameContains = nameContains;
  if (given.status?.length) filter.status = given.status;
  if (given.companyId != null) filter.companyId = id(given.companyId, 'filter.companyId');
  if (given.skillId != null) filter.skillId = id(given.skillId, 'filter.skillId');
  if (given.talentId != null) filter.talentId = id(given.talentId, 'filter.talentId');
  const order: ProjectOrder = { field: args.orderBy?.field ?? 'NAME', direction: args.orderBy?.direction ?? 'ASC' };
  return { filter, order, page: toPage(args) };
}

/**
 * Representations may carry ids in any case or not be ids at all, not even strings; compare them
 * lower-cased and never send a malformed one to a `uuid` cast.
 */
export function validKeys<Key>(keys: readonly Key[]): { keys: (Key | string)[]; valid: string[] } {
  const lowered = keys.map((key) => (typeof key === 'string' ? key.toLowerCase() : key));
  return { keys: lowered, valid: [...new Set(lowered.filter((key): key is string => typeof key === 'string' && isId(key)))] };
}

/** Batches every project lookup in one request into one query. */
export function loadProject(ctx: Context, projectId: unknown): Promise<ProjectRecord | null> {
  return ctx.loaders
    .get<unknown, ProjectRecord | null>('projectById', async (ids) => {
      const { keys, valid } = validKeys(ids);
      return alignByKey(keys, await ctx.stores.projects.getMany(valid), (p) => p.id);
    })
    .load(projectId);
}

/** Batches the teams of every project in one request into one query. */
function loadMembers(ctx: Context, projectId: string): Promise<ProjectMember[]> {
  return ctx.loaders
    .get<string, ProjectMember[]>('membersByProject', async (ids) => groupByKey(ids, await ctx.stores.projects.membersOf(ids), (m) => m.projectId))
    .load(projectId);
}

export const Project = {
  __resolveReference: (reference: { id?: unknown }, ctx: Context) => loadProject(ctx, reference.id),
  company: (project: ProjectRecord) => (project.companyId ? { id: project.companyId } : null),
  skills: (project: ProjectRecord) => project.skillIds.map((skillId) => ({ id: skillId })),
  members: (project: ProjectRecord, _: unknown, ctx: Context) => loadMembers(ctx, project.id),
};
