import { expect } from 'vitest';
import type { Db } from '../../platform/db/db.ts';
import { readSnapshot, serviceCredential, type DomainEvent } from '../../platform/events/index.ts';

/** Small pages, so an owner's keyset paging is crossed several times even in a test's few rows. */
const PAGE_SIZE = 3;

/**
 * Reads an owner's whole snapshot through its feed, as a derived store's rebuild does, and checks
 * that the entry for `aggregateId` carries exactly what the aggregate's latest event in the outbox
 * carries: a rebuild must end where the live stream of events ends.
 */
export async function expectSnapshotMatchesLatestEvent(owner: { service: { url: string }; db: Db }, aggregateId: string): Promise<DomainEvent> {
  const events: DomainEvent[] = [];
  for await (const page of readSnapshot(owner.service.url, () => serviceCredential('test'), PAGE_SIZE)) events.push(...page);
  const keys = events.map((event) => `${event.aggregate.type}:${event.aggregate.id}`);
  expect(new Set(keys).size).toBe(keys.length);

  const snapshot = events.find((event) => event.aggregate.id === aggregateId);
  const [latest] = await owner.db.query<{ type: string; aggregate_type: string; payload: Record<string, unknown> }>(
    'select type, aggregate_type, payload from outbox where aggregate_id = $1 order by position desc limit 1',
    [aggregateId],
  );
  expect(snapshot).toBeDefined();
  expect(latest).toBeDefined();
  expect(snapshot!.aggregate.type).toBe(latest!.aggregate_type);
  expect(snapshot!.type).toBe(`${latest!.type.split('.')[0]}.snapshot`);
  // Both sides went through JSON (the feed's answer, the outbox's jsonb), so dates compare as the same ISO strings.
  expect(snapshot!.payload).toEqual(latest!.payload);
  return snapshot!;
}
