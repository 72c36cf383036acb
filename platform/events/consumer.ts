import type { Queryable, Transactional } from '../db/db.ts';
import type { DomainEvent } from './event.ts';

/**
 * Applies an event once per consumer, however often and in whatever order it is delivered:
 * - the inbox row and the consumer's own changes commit in one transaction, so a replay finds
 *   the row and does nothing, and a crash before the commit leaves neither;
 * - the aggregate's version (aggregate_versions) says whether a newer event of the same
 *   aggregate, or its deletion, was applied already: then this one is stale and only marked.
 * Its transaction shares the consumer's rebuild lock, so it waits while a rebuild runs.
 * Returns whether the event was applied.
 */
export async function handleOnce(db: Transactional, consumer: string, event: DomainEvent, apply: (tx: Queryable) => Promise<unknown>): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock_shared(hashtext($1))', [rebuildLockKey(consumer)]);
    const fresh = await tx.query('insert into inbox (consumer, event_id) values ($1, $2) on conflict do nothing returning event_id', [consumer, event.id]);
    if (!fresh.length || !(await advance(tx, consumer, event))) return false;
    await apply(tx);
    return true;
  });
}

/** The key of the lock a rebuild holds alone and live events share (platform/events/projection.ts). */
export const rebuildLockKey = (consumer: string): string => `events:rebuild:${consumer}`;

/**
 * Records the event as the aggregate's newest, unless a newer one or the deletion came first.
 * Positions of one aggregate come from one outbox, in commit order (the owner locks the
 * aggregate's row before recording). An equal position is the same event or a snapshot taken
 * just after it, so it applies: applying state twice is harmless, skipping it is not.
 */
async function advance(tx: Queryable, consumer: string, event: DomainEvent): Promise<boolean> {
  const rows = await tx.query(
    `insert into aggregate_versions as v (consumer, aggregate_type, aggregate_id, position, deleted) values ($1, $2, $3, $4, $5)
     on conflict (consumer, aggregate_type, aggregate_id) do update
       set position = greatest(v.position, excluded.position), deleted = excluded.deleted
       where not v.deleted and (excluded.position = 0 or excluded.position >= v.position)
     returning 1`,
    [consumer, event.aggregate.type, event.aggregate.id, event.position, isDeletion(event)],
  );
  return rows.length > 0;
}

/**
 * A rebuild's snapshot: records each entry's version (keeping a newer one) and returns the
 * entries whose aggregate was not deleted meanwhile, in order.
 */
export async function admitSnapshot(tx: Queryable, consumer: string, events: readonly DomainEvent[]): Promise<DomainEvent[]> {
  const deleted = new Set<string>();
  for (let start = 0; start < events.length; start += 1000) {
    const batch = events.slice(start, start + 1000);
    const rows = await tx.query<{ aggregate_type: string; aggregate_id: string; deleted: boolean }>(
      `insert into aggregate_versions as v (consumer, aggregate_type, aggregate_id, position)
       select $1, t, i, p from unnest($2::text[], $3::text[], $4::bigint[]) as u(t, i, p)
       on conflict (consumer, aggregate_type, aggregate_id) do update set position = greatest(v.position, excluded.position)
       returning aggregate_type, aggregate_id, deleted`,
      [consumer, batch.map((event) => event.aggregate.type), batch.map((event) => event.aggregate.id), batch.map((event) => event.position)],
    );
    for (const row of rows) if (row.deleted) deleted.add(`${row.aggregate_type}:${row.aggregate_id}`);
  }
  return events.filter((event) => !deleted.has(`${event.aggregate.type}:${event.aggregate.id}`));
}

/** Which of these ids of one aggregate type the owner deleted, as far as this consumer was told. */
export async function deletedAmong(tx: Queryable, consumer: string, aggregateType: string, ids: readonly string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await tx.query<{ aggregate_id: string }>(
    'select aggregate_id from aggregate_versions where consumer = $1 and aggregate_type = $2 and deleted and aggregate_id = any($3::text[])',
    [consumer, aggregateType, ids],
  );
  return new Set(rows.map((row) => row.aggregate_id));
}

/**
 * Whether the aggregate is live (announced, and not deleted) as far as this consumer knows,
 * locking its version row until the transaction ends: a deletion being applied meanwhile waits
 * for this transaction, or has committed and is seen here. For writes owned by the consumer
 * that name an owner's aggregate (a KNOWS link to a talent).
 */
export async function lockLiveAggregate(tx: Queryable, consumer: string, aggregateType: string, id: string): Promise<boolean> {
  const [row] = await tx.query<{ deleted: boolean }>(
    'select deleted from aggregate_versions where consumer = $1 and aggregate_type = $2 and aggregate_id = $3 for share',
    [consumer, aggregateType, id],
  );
  return row?.deleted === false;
}

/** Events name their kind `<aggregate>.<change>`; a deletion is `<aggregate>.deleted`. */
export const isDeletion = (event: DomainEvent): boolean => event.type.endsWith('.deleted');
