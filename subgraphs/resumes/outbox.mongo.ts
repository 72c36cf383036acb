import { randomUUID } from 'node:crypto';
import type { Collection, Document, UpdateFilter } from 'mongodb';
import type { DomainEvent, Outbox } from '../../platform/events/index.ts';

/**
 * The outbox of the resumes subgraph on MongoDB, kept inside the documents themselves: a write
 * changes a document and appends its event to the document's `outbox` array in one atomic
 * update, so change and event are saved together without a transaction (a standalone server
 * has none). The relay reads the documents holding events, publishes them, then pulls them out;
 * a deleted document (a tombstone, hidden from reads) goes once its last event is out.
 *
 * Positions are per document: `rev` counts its events, so a later event of one aggregate has a
 * higher position, which is all consumers compare. Events of different documents are published
 * in the order they were recorded (`order`: microsecond-scaled time, strictly increasing within a process).
 */

export interface PendingEvent {
  id: string;
  type: string;
  position: number;
  order: number;
  occurredAt: string;
  payload: Record<string, unknown>;
}

/** What every document with events carries beside its fields. */
export interface Evented {
  _id: string;
  /** The position of its newest event (0: loaded without events). */
  rev: number;
  outbox?: PendingEvent[];
  /** Set while `outbox` holds events: the order of the oldest, so the relay reads the oldest documents first. */
  pendingSince?: number;
  /**
   * A resume saved but not yet shown, its event not yet recorded (`creating`); a talent being deleted (its resumes go
   * first); or a deleted document whose events are still to be published.
   */
  state?: 'creating' | 'deleting' | 'deleted';
}

/** Documents that are not being or have not been deleted. */
export const LIVE = { state: { $exists: false } } as const;

/** The last order handed out: orders strictly increase within a process, even for many events in one millisecond. */
let lastOrder = 0;

/** An event as a document records it; the payload is stored as JSON would carry it (dates as ISO strings), as the PostgreSQL outbox does. */
export function pendingEvent(type: string, position: number, payload: object): PendingEvent {
  const now = Date.now();
  const order = Math.max(now * 1000, lastOrder + 1);
  lastOrder = order;
  return { id: randomUUID(), type, position, order, occurredAt: new Date(now).toISOString(), payload: JSON.parse(JSON.stringify(payload)) as Record<string, unknown> };
}

/** The update that makes a change (`set`, `unset`, `push`) and records its `event`, in one atomic write. */
export function recording<T extends Evented>(event: PendingEvent, change: { set?: Document; unset?: Document; push?: Document } = {}): UpdateFilter<T> {
  // The operators are assembled from plain objects: the driver's types cannot follow them.
  return {
    $set: { ...change.set, rev: event.position },
    ...(change.unset && Object.keys(change.unset).length ? { $unset: change.unset } : {}),
    $push: { ...change.push, outbox: event },
    $min: { pendingSince: event.order },
  } as unknown as UpdateFilter<T>;
}

export class MongoOutbox implements Outbox {
  constructor(
    private readonly source: string,
    /** Each aggregate type with the collection holding its documents. */
    private readonly collections: readonly { aggregate: string; collection: Collection<Evented> }[],
  ) {}

  async pending(limit: number): Promise<DomainEvent[]> {
    const events: (DomainEvent & { order: number })[] = [];
    for (const { aggregate, collection } of this.collections) {
      const documents = await collection.find({ pendingSince: { $exists: true } }, { projection: { outbox: 1 } }).sort({ pendingSince: 1, _id: 1 }).limit(limit).toArray();
      for (const document of documents) {
        for (const event of document.outbox ?? []) {
          events.push({
            id: event.id,
            type: event.type,
            source: this.source,
            aggregate: { type: aggregate, id: document._id },
            payload: event.payload,
            occurredAt: event.occurredAt,
            position: event.position,
            order: event.order,
          });
        }
      }
    }
    events.sort((a, b) => a.order - b.order || a.position - b.position);
    return events.slice(0, limit).map(({ order: _order, ...event }) => event);
  }

  async published(events: readonly DomainEvent[]): Promise<void> {
    for (const { aggregate, collection } of this.collections) {
      const byDocument = new Map<string, string[]>();
      for (const event of events) if (event.aggregate.type === aggregate) byDocument.set(event.aggregate.id, [...(byDocument.get(event.aggregate.id) ?? []), event.id]);
      for (const [id, eventIds] of byDocument) {
        await collection.updateOne({ _id: id }, { $pull: { outbox: { id: { $in: eventIds } } } });
        // Both only once the outbox is empty: an event recorded meanwhile keeps the document pending (and alive).
        await collection.updateOne({ _id: id, outbox: { $size: 0 } }, { $unset: { pendingSince: '' } });
        await collection.deleteOne({ _id: id, state: 'deleted', outbox: { $size: 0 } });
      }
    }
  }

  async backlog(): Promise<number> {
    let total = 0;
    for (const { collection } of this.collections) {
      const [row] = await collection
        .aggregate<{ n: number }>([{ $match: { pendingSince: { $exists: true } } }, { $group: { _id: null, n: { $sum: { $size: '$outbox' } } } }])
        .toArray();
      total += row?.n ?? 0;
    }
    return total;
  }

  async newestPositions(aggregate: string, ids: readonly string[]): Promise<Map<string, number>> {
    const collection = this.collections.find((entry) => entry.aggregate === aggregate)?.collection;
    if (!collection || !ids.length) return new Map();
    const documents = await collection.find({ _id: { $in: [...ids] }, rev: { $gt: 0 } }, { projection: { rev: 1 } }).toArray();
    return new Map(documents.map((document) => [document._id, document.rev]));
  }
}
