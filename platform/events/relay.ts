import type { Db } from '../db/db.ts';
import { logger } from '../logger.ts';
import type { EventBus } from './bus.ts';
import type { DomainEvent } from './event.ts';

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

/**
 * Publishes a subgraph's outbox to the bus, oldest first, and marks what the bus took. No
 * transaction spans the publish (in one process, consumers share the database), so a crash
 * between publish and mark publishes those events again: consumers are idempotent.
 */
export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly db: Db,
    private readonly source: string,
    private readonly bus: EventBus,
    private readonly options: { batchSize: number; idleMs: number } = { batchSize: 200, idleMs: 200 },
  ) {}

  /** Publishes one batch; returns how many events it published. */
  async publishBatch(): Promise<number> {
    const rows = await this.db.background.query<OutboxRow>(
      `select position, event_id, type, aggregate_type, aggregate_id, payload, occurred_at
       from outbox where published_at is null order by position limit ${this.options.batchSize}`,
    );
    if (!rows.length) return 0;
    const events = rows.map((row) => outboxEvent(row, this.source));
    await this.bus.publish(events);
    await this.db.background.query('update outbox set published_at = now() where position = any($1::bigint[])', [rows.map((row) => String(row.position))]);
    return rows.length;
  }

  /** Publishes until the outbox is empty (tests, shutdown). */
  async drain(): Promise<void> {
    while ((await this.publishBatch()) > 0);
  }

  async backlog(): Promise<number> {
    const [row] = await this.db.background.query<{ n: number }>('select count(*)::int as n from outbox where published_at is null');
    return row!.n;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      let failures = 0;
      while (this.running) {
        try {
          const published = await this.publishBatch();
          failures = 0;
          if (published) continue;
        } catch (error) {
          failures++;
          logger.error({ err: error, source: this.source }, 'publishing the outbox failed; retrying');
        }
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, Math.min(this.options.idleMs * 2 ** failures, 10_000)).unref();
        });
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }
}
