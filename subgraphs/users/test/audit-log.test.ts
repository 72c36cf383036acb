import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../../platform/db/db.ts';
import { migrateSubgraph } from '../../../platform/subgraph.ts';
import { contractSuite } from '../../../test/support/contract.ts';
import { backends, freshDb } from '../../../test/support/databases.ts';
import { PostgresAuditLog } from '../audit/store.postgres.ts';
import type { AuditEvent } from '../audit/store.ts';
import { users } from '../index.ts';

const ACTOR = '00000000-0000-4000-8000-0000000000a1';

function event(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: randomUUID(),
    at: new Date(),
    actorId: ACTOR,
    actorRole: 'user',
    clientAddress: '198.51.100.7',
    requestId: `req-${randomUUID()}`,
    action: 'createCompany',
    operationName: 'NewCompany',
    entityType: 'Company',
    entityId: randomUUID(),
    outcome: 'ok',
    ...overrides,
  };
}

for (const { backend, target } of await backends()) {
  contractSuite('audit log', target, () => {
    let db: Db;
    let drop: () => Promise<void>;
    let log: PostgresAuditLog;
    const minute = 60_000;
    const start = Date.parse('2026-11-01T10:00:00.000Z');
    const seeded = [
      event({ at: new Date(start), action: 'login', entityType: 'User', actorId: null, actorRole: null }),
      event({ at: new Date(start + minute), outcome: 'FORBIDDEN', actorRole: 'guest' }),
      event({ at: new Date(start + 2 * minute), action: 'deleteCompany', outcome: 'FORBIDDEN,NOT_FOUND' }),
      event({ at: new Date(start + 3 * minute) }),
    ];

    beforeAll(async () => {
      ({ db, drop } = await freshDb(backend, 'audit'));
      await migrateSubgraph(db, users.directory);
      log = new PostgresAuditLog(db);
      expect(await log.append(seeded)).toBe(seeded.length);
    });
    afterAll(() => drop?.());

    it('reads events back as appended, newest first', async () => {
      const { rows, totalCount } = await log.list({}, { limit: 10, offset: 0 });
      expect(totalCount).toBe(4);
      expect(rows).toEqual([...seeded].reverse());
    });

    it('stores an event sent twice once (the gateway retries a batch whose answer it lost)', async () => {
      const again = event({ at: new Date(start - minute) });
      expect(await log.append([again])).toBe(1);
      expect(await log.append([again, seeded[0]!])).toBe(0);
      const { rows } = await log.list({ requestId: again.requestId }, { limit: 10, offset: 0 });
      expect(rows).toEqual([again]);
    });

    it('filters by actor, action, entity, outcome (one code of several), request and time', async () => {
      const ids = async (filter: Parameters<PostgresAuditLog['list']>[0]) => (await log.list(filter, { limit: 10, offset: 0 })).rows.map((row) => row.id);
      expect(await ids({ action: 'login' })).toEqual([seeded[0]!.id]);
      expect(await ids({ actorId: ACTOR, from: new Date(start) })).toEqual([seeded[3]!.id, seeded[2]!.id, seeded[1]!.id]);
      expect(await ids({ entityType: 'Company', entityId: seeded[3]!.entityId })).toEqual([seeded[3]!.id]);
      expect(await ids({ outcome: 'FORBIDDEN' })).toEqual([seeded[2]!.id, seeded[1]!.id]);
      expect(await ids({ outcome: 'NOT_FOUND' })).toEqual([seeded[2]!.id]);
      expect(await ids({ outcome: 'ok', from: new Date(start) })).toEqual([seeded[3]!.id, seeded[0]!.id]);
      expect(await ids({ requestId: seeded[1]!.requestId })).toEqual([seeded[1]!.id]);
      expect(await ids({ from: new Date(start + minute), to: new Date(start + 3 * minute) })).toEqual([seeded[2]!.id, seeded[1]!.id]);
    });

    it('pages with a total count', async () => {
      const first = await log.list({ from: new Date(start) }, { limit: 3, offset: 0 });
      const rest = await log.list({ from: new Date(start) }, { limit: 3, offset: 3 });
      expect(first.totalCount).toBe(4);
      expect(rest).toEqual({ rows: [seeded[0]], totalCount: 4 });
    });

    it('is append-only in the database: UPDATE, DELETE and TRUNCATE raise', async () => {
      const target = seeded[1]!.id;
      await expect(db.query("update audit_events set outcome = 'ok' where id = $1", [target])).rejects.toThrow(/append-only/);
      await expect(db.query('delete from audit_events where id = $1', [target])).rejects.toThrow(/append-only/);
      await expect(db.exec('truncate audit_events')).rejects.toThrow(/append-only/);
      await expect(db.query('delete from audit_events')).rejects.toThrow(/append-only/);
      const [row] = await db.query<{ n: number; outcome: string }>(
        'select (select count(*)::int from audit_events) as n, (select outcome from audit_events where id = $1) as outcome',
        [target],
      );
      expect(row).toEqual({ n: 5, outcome: 'FORBIDDEN' });
    });
  });
}
