import type { Queryable } from '../../platform/db/db.ts';
import { deletedAmong, isDeletion, type DomainEvent } from '../../platform/events/index.ts';
import type { EventConsumer } from '../../platform/events/projection.ts';
import { isId } from '../../platform/validate.ts';

/**
 * Keeps what a push to Zervigo sends (talents, their resumes, skill names) in step with the
 * owners' events, so a sync reads one local copy instead of calling the owners per talent. Each
 * event carries its aggregate as it now is; the runtime drops older and post-deletion events
 * (platform/events/consumer.ts). A talent's `changed_at` moves with every change to them or
 * their resumes: a push older than it is out of date.
 */

export const CONSUMER = 'integrations';

type Payload = Record<string, unknown>;
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const json = (value: unknown) => JSON.stringify(value ?? null);
/** When the aggregate changed: its own updatedAt (a snapshot's events are made at rebuild time), else the event's time. */
const changedAt = (event: DomainEvent) => text(event.payload.updatedAt) ?? event.occurredAt;

async function applyEvent(tx: Queryable, event: DomainEvent): Promise<void> {
  const { type, id } = event.aggregate;
  if (!isId(id)) return;
  const payload = event.payload;
  const deleted = isDeletion(event);
  switch (type) {
    case 'Skill':
      if (deleted) await tx.query('delete from skills where id = $1', [id]);
      else await saveSkills(tx, [payload]);
      return;
    case 'Talent':
      if (deleted) {
        await tx.query('delete from talents where id = $1', [id]);
        await tx.query('delete from resumes where talent_id = $1', [id]);
        return;
      }
      return saveTalents(tx, [payload], changedAt(event));
    case 'Resume': {
      if (deleted) {
        const [row] = await tx.query<{ talent_id: string }>('delete from resumes where id = $1 returning talent_id::text', [id]);
        if (row) await touch(tx, row.talent_id, event.occurredAt);
        return;
      }
      const talentId = text(payload.talentId)?.toLowerCase();
      // A resume naming a deleted talent (their deletion crossed its update) has no one to describe.
      if (!talentId || !isId(talentId) || (await deletedAmong(tx, CONSUMER, 'Talent', [talentId])).size) return;
      await saveResumes(tx, [payload]);
      return touch(tx, talentId, changedAt(event));
    }
  }
}

const touch = (tx: Queryable, talentId: string, at: string) =>
  tx.query('update talents set changed_at = greatest(changed_at, $2::timestamptz) where id = $1', [talentId, at]).then(() => undefined);

async function saveSkills(tx: Queryable, payloads: readonly Payload[]): Promise<void> {
  await tx.query(
    `insert into skills (id, name) select id, name from jsonb_to_recordset($1::jsonb) as s(id uuid, name text)
     on conflict (id) do update set name = excluded.name`,
    [json(payloads.map((payload) => ({ id: payload.id, name: text(payload.name) ?? '' })))],
  );
}

async function saveTalents(tx: Queryable, payloads: readonly Payload[], at: string): Promise<void> {
  await tx.query(
    `insert into talents (id, name, headline, location, tags, contact, changed_at)
     select id, name, headline, location, coalesce(tags, '{}'), contact, $2::timestamptz
       from jsonb_to_recordset($1::jsonb) as t(id uuid, name text, headline text, location jsonb, tags text[], contact jsonb)
     on conflict (id) do update set name = excluded.name, headline = excluded.headline, location = excluded.location,
       tags = excluded.tags, contact = excluded.contact, changed_at = greatest(talents.changed_at, excluded.changed_at)`,
    [
      json(
        payloads.map((payload) => ({
          id: payload.id,
          name: text(payload.name) ?? '',
          headline: text(payload.headline),
          location: payload.location ?? null,
          tags: Array.isArray(payload.tags) ? payload.tags.filter((tag) => typeof tag === 'string') : [],
          contact: payload.contact ?? null,
        })),
      ),
      at,
    ],
  );
}

async function saveResumes(tx: Queryable, payloads: readonly Payload[]): Promise<void> {
  await tx.query(
    `insert into resumes (id, talent_id, updated_at, document)
     select id, talent_id, updated_at, document from jsonb_to_recordset($1::jsonb) as r(id uuid, talent_id uuid, updated_at timestamptz, document jsonb)
     on conflict (id) do update set talent_id = excluded.talent_id, updated_at = excluded.updated_at, document = excluded.document`,
    [json(payloads.map((payload) => ({ id: payload.id, talent_id: payload.talentId, updated_at: payload.updatedAt ?? null, document: payload })))],
  );
}

/** A rebuild: every owner's snapshot saved in batches; each talent changed as of its snapshot event. */
async function restore(tx: Queryable, events: readonly DomainEvent[]): Promise<void> {
  const of = (type: string) => events.filter((event) => event.aggregate.type === type && isId(event.aggregate.id));
  for (const event of of('Skill')) await saveSkills(tx, [event.payload]);
  for (const event of of('Talent')) await saveTalents(tx, [event.payload], changedAt(event));
  const resumes = of('Resume').map((event) => event.payload);
  for (let start = 0; start < resumes.length; start += 500) await saveResumes(tx, resumes.slice(start, start + 500));
  // Resumes whose talent is gone (deleted between the two snapshots' reads) describe no one.
  await tx.query('delete from resumes r where not exists (select 1 from talents t where t.id = r.talent_id)');
  await tx.query(`update talents t set changed_at = greatest(t.changed_at, r.updated_at) from (select talent_id, max(updated_at) as updated_at from resumes group by talent_id) r
                  where r.talent_id = t.id and r.updated_at is not null`);
}

export const integrationsConsumer: EventConsumer<unknown> = {
  name: CONSUMER,
  owners: ['skills', 'resumes'],
  apply: (_stores, event, tx) => applyEvent(tx, event),
  reset: async (_stores, tx) => {
    for (const table of ['skills', 'talents', 'resumes']) await tx.query(`delete from ${table}`);
  },
  restore: (_stores, events, tx) => restore(tx, events),
};
