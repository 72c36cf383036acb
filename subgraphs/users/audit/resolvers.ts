import { toConnection, toPage, type PageArgs } from '../../../platform/pagination.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import { optionalText } from '../../../platform/validate.ts';
import type { Stores } from '../index.ts';
import { loadUser } from '../resolvers/user.ts';
import type { AuditEvent as AuditEventRecord, AuditEventFilter } from './store.ts';

type Context = SubgraphContext<Stores>;

/** The filter as GraphQL gives it; free text is checked (length, NUL) like any other input. */
function cleanFilter(filter: AuditEventFilter | null | undefined): AuditEventFilter {
  const text = (value: string | null | undefined, field: string) => optionalText(value, `filter.${field}`, 200);
  return {
    actorId: text(filter?.actorId, 'actorId'),
    action: text(filter?.action, 'action'),
    entityType: text(filter?.entityType, 'entityType'),
    entityId: text(filter?.entityId, 'entityId'),
    outcome: text(filter?.outcome, 'outcome'),
    requestId: text(filter?.requestId, 'requestId'),
    from: filter?.from ?? null,
    to: filter?.to ?? null,
  };
}

/** `Query.auditEvents`: the schema's `@hasPermission(permission: "audit:read")` guards it. */
export async function auditEvents(_: unknown, args: PageArgs & { filter?: AuditEventFilter | null }, ctx: Context) {
  const page = toPage(args);
  const { rows, totalCount } = await ctx.stores.auditLog.list(cleanFilter(args.filter), page);
  return toConnection(rows, totalCount, page);
}

export const AuditEvent = {
  actor: (event: AuditEventRecord, _: unknown, ctx: Context) => loadUser(ctx, event.actorId),
};
