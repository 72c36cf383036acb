import type { Db } from '../../../platform/db/db.ts';
import type { Page } from '../../../platform/pagination.ts';
import { SqlFilter } from '../../../platform/sql.ts';
import type { AuditEvent, AuditEventFilter, AuditLog } from './store.ts';

interface Row {
  id: string;
  at: Date;
  actor_id: string | null;
  actor_role: AuditEvent['actorRole'];
  client_address: string;
  request_id: string;
  action: string;
  operation_name: string | null;
  entity_type: string | null;
  entity_id: string | null;
  outcome: string;
}

const COLUMNS = 'id, at, actor_id, actor_role, client_address, request_id, action, operation_name, entity_type, entity_id, outcome';

const toEvent = (row: Row): AuditEvent => ({
  id: row.id,
  at: row.at,
  actorId: row.actor_id,
  actorRole: row.actor_role,
  clientAddress: row.client_address,
  requestId: row.request_id,
  action: row.action,
  operationName: row.operation_name,
  entityType: row.entity_type,
  entityId: row.entity_id,
  outcome: row.outcome,
});

/** AuditLog on PostgreSQL (PGlite by default); migration 004 makes the table refuse UPDATE, DELETE and TRUNCATE. */
export class PostgresAuditLog implements AuditLog {
  constructor(private readonly db: Db) {}

  async append(events: readonly AuditEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    const column = <K extends keyof AuditEvent>(key: K) => events.map((event) => event[key]);
    // One statement per batch: unnest keeps it at eleven parameters however many events come.
    const inserted = await this.db.query(
      `insert into audit_events (${COLUMNS})
       select * from unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[],
                            $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
       on conflict (id) do nothing
       returning id`,
      [
        column('id'),
        events.map((event) => event.at.toISOString()),
        column('actorId'),
        column('actorRole'),
        column('clientAddress'),
        column('requestId'),
        column('action'),
        column('operationName'),
        column('entityType'),
        column('entityId'),
        column('outcome'),
      ],
    );
    return inserted.length;
  }

  async list(filter: AuditEventFilter, page: Page): Promise<{ rows: AuditEvent[]; totalCount: number }> {
    const where = new SqlFilter();
    if (filter.actorId) where.add('actor_id = $?', filter.actorId);
    if (filter.action) where.add('action = $?', filter.action);
    if (filter.entityType) where.add('entity_type = $?', filter.entityType);
    if (filter.entityId) where.add('entity_id = $?', filter.entityId);
    if (filter.outcome) where.add("(outcome = $? or $? = any(string_to_array(outcome, ',')))", filter.outcome, filter.outcome);
    if (filter.requestId) where.add('request_id = $?', filter.requestId);
    if (filter.from) where.add('at >= $?', filter.from.toISOString());
    if (filter.to) where.add('at < $?', filter.to.toISOString());
    // The total in a subquery run once: `count(*) over ()` would read and sort every matching row for a page (issue 11, growth).
    const rows = await this.db.query<Row & { total: number }>(
      `select ${COLUMNS}, (select count(*)::int from audit_events ${where.sql()}) as total from audit_events ${where.sql()}
       order by at desc, id desc
       limit ${page.limit} offset ${page.offset}`,
      where.params,
    );
    // No row can mean an empty result or an empty page (`first: 0`, or past the end): only the first is 0 for sure.
    const totalCount = rows[0]?.total ?? (page.offset > 0 || page.limit === 0 ? await this.countWhere(where) : 0);
    return { rows: rows.map(toEvent), totalCount };
  }

  private async countWhere(where: SqlFilter): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(`select count(*)::int as n from audit_events ${where.sql()}`, where.params);
    return row!.n;
  }
}
