import type { Db } from '../db/db.ts';
import type { DomainEvent } from './event.ts';

/**
 * Where an owner's events wait, recorded with the change that made them, until the relay has
 * published them: the outbox table of its PostgreSQL schema, or (resumes on MongoDB) its own
 * documents. Positions order the events of one aggregate: a later event has a higher one.
 */
export interface Outbox {
  /** Up to `limit` events not yet published, oldest first. */
  pending(limit: number): Promise<DomainEvent[]>;
  /** Marks events `pending` returned as published, once the bus has taken them. */
  published(events: readonly DomainEvent[]): Promise<void>;
  /** How many events wait. */
  backlog(): Promise<number>;
  /** The position of each entity's newest event (none: absent), read after the entity itself by the snapshot feed. */
  newestPositions(aggregate: string, ids: readonly string[]): Promise<Map<string, number>>;
}

export interface OutboxRow {
  position: string | number;
  event_id: string;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: Record<string, unknown>;
  occurred_at: Date;
}

/** An outbox row as the event the bus carries. */
export function outboxEvent(row: OutboxRow, source: string): DomainEvent {
  return {
    id: row.event_id,
    type: row.type,
    source,
    aggregate: { type: row.aggregate_type, id: row.aggregate_id },
    payload: row.payload,
    occurredAt: row.occurred_at.toISOString(),
    position: Number(row.position),
  };
}

/** The `outbox` table every subgraph schema gets (migrations/001), which recordEvent writes to. */
export class PostgresOutbox implements Outbox {
  constructor(
    private readonly db: Db,
    private readonly source: string,
  ) {}

  async pending(limit: number): Promise<DomainEvent[]> {
    const rows = await this.db.background.query<OutboxRow>(
      `select position, event_id, type, aggregate_type, aggregate_id, payload, occurred_at
       from outbox where published_at is null order by position limit ${Math.max(0, Math.floor(limit))}`,
    );
    return rows.map((row) => outboxEvent(row, this.source));
  }

  async published(events: readonly DomainEvent[]): Promise<void> {
    if (!events.length) return;
    await this.db.background.query('update outbox set published_at = now() where position = any($1::bigint[])', [events.map((event) => String(event.position))]);
  }

  async backlog(): Promise<number> {
    const [row] = await this.db.background.query<{ n: number }>('select count(*)::int as n from outbox where published_at is null');
    return row!.n;
  }

  async newestPositions(aggregate: string, ids: readonly string[]): Promise<Map<string, number>> {
    if (!ids.length) return new Map();
    const rows = await this.db.query<{ aggregate_id: string; position: string }>(
      'select aggregate_id, max(position)::text as position from outbox where aggregate_type = $1 and aggregate_id = any($2::text[]) group by aggregate_id',
      [aggregate, ids],
    );
    return new Map(rows.map((row) => [row.aggregate_id, Number(row.position)]));
  }
}
