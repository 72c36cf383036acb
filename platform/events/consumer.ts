import type { Queryable, Transactional } from '../db/db.ts';
import type { DomainEvent } from './event.ts';

/**
 * Applies an event once per consumer, however often it is delivered: the inbox row and the
 * consumer's own changes commit in one transaction, so a replay finds the row and does nothing,
 * and a crash before the commit leaves neither.
 */
export async function handleOnce(db: Transactional, consumer: string, event: DomainEvent, apply: (tx: Queryable) => Promise<unknown>): Promise<boolean> {
  return db.transaction(async (tx) => {
    const fresh = await tx.query('insert into inbox (consumer, event_id) values ($1, $2) on conflict do nothing returning event_id', [consumer, event.id]);
    if (!fresh.length) return false;
    await apply(tx);
    return true;
  });
}
