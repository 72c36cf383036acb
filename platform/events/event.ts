import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/db.ts';

/** A fact an owning subgraph recorded about one of its entities, e.g. `company.updated`. */
export interface DomainEvent {
  id: string;
  /** `<aggregate>.<created|updated|deleted|…>` */
  type: string;
  /** The subgraph that owns the aggregate. */
  source: string;
  aggregate: { type: string; id: string };
  /** The aggregate as it is after the change (for deletes: its id). */
  payload: Record<string, unknown>;
  occurredAt: string;
  /**
   * Where the event sits in its owner's outbox: later events of one aggregate have higher
   * positions, so a consumer can tell an older event delivered late. 0 when unknown (an
   * aggregate loaded without events).
   */
  position: number;
}

/**
 * Records an event in the outbox inside the caller's transaction, so the change and its event
 * commit together or not at all. The relay publishes it afterwards.
 */
export async function recordEvent(
  tx: Queryable,
  event: { type: string; aggregate: { type: string; id: string }; payload: Record<string, unknown> },
): Promise<void> {
  await tx.query('insert into outbox (event_id, type, aggregate_type, aggregate_id, payload) values ($1, $2, $3, $4, $5::jsonb)', [
    randomUUID(),
    event.type,
    event.aggregate.type,
    event.aggregate.id,
    JSON.stringify(event.payload),
  ]);
}
