import type { Queryable } from '../../platform/db/db.ts';
import { deletedAmong, isDeletion, type DomainEvent } from '../../platform/events/index.ts';
import type { EventConsumer } from '../../platform/events/projection.ts';
import { isId } from '../../platform/validate.ts';
import type { Stores } from './index.ts';
import { jobProfiles, talentProfiles } from './profiles.ts';
import { VECTOR_KINDS, isZeroVector, type VectorKind, type VectorStore } from './vectors/store.ts';

/**
 * Keeps what matching reads (skills, talents, resumes, jobs) and one embedding per talent and
 * job in step with the owners' events. Each event carries its aggregate as it now is, so
 * applying one saves state, then embeds again what shows it: a resume change re-embeds its
 * talent, a skill rename every talent and job that names it. The runtime drops older and
 * post-deletion events (platform/events/consumer.ts).
 */

export const CONSUMER = 'ai';

type Payload = Record<string, unknown>;
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const json = (value: unknown) => JSON.stringify(value ?? null);

export async function applyEvent(stores: Stores, tx: Queryable, event: DomainEvent): Promise<void> {
  const { type, id } = event.aggregate;
  if (!isId(id)) return;
  const payload = event.payload;
  const deleted = isDeletion(event);
  switch (type) {
    case 'Skill': {
      const dependents = await namingSkill(tx, id);
      if (deleted) await tx.query('delete from skills where id = $1', [id]);
      else await saveSkills(tx, [payload]);
      stores.taxonomy.invalidate();
      return embed(stores, tx, dependents);
    }
    case 'Talent':
      if (deleted) return forget(stores, tx, 'Talent', id);
      await saveTalents(tx, [payload]);
      return embed(stores, tx, { talents: [id], jobs: [] });
    case 'Resume': {
      const talentId = text(payload.talentId)?.toLowerCase();
      if (deleted) {
        const [row] = await tx.query<{ talent_id: string }>('delete from resumes where id = $1 returning talent_id::text', [id]);
        return row ? embed(stores, tx, { talents: [row.talent_id], jobs: [] }) : undefined;
      }
      // A resume naming a deleted talent (their deletion crossed its update) has no one to describe.
      if (!talentId || !isId(talentId) || (await deletedAmong(tx, CONSUMER, 'Talent', [talentId])).size) return;
      await saveResumes(tx, [payload]);
      return embed(stores, tx, { talents: [talentId], jobs: [] });
    }
    case 'Job':
      if (deleted) return forget(stores, tx, 'Job', id);
      await saveJobs(tx, [payload]);
      return embed(stores, tx, { talents: [], jobs: [id] });
  }
}

/**
 * Embeds these talents and jobs again from what is saved. An embeddings endpoint is called inside
 * the consumer's transaction, on purpose: state and vectors commit together, and when the endpoint
 * fails the event is retried whole. AI_TIMEOUT_MS bounds how long the transaction waits on it.
 */
async function embed(
  stores: Stores,
  tx: Queryable,
  ids: { talents: readonly string[]; jobs: readonly string[] },
  store: VectorStore = stores.vectors.within(tx),
): Promise<void> {
  const skills = await stores.taxonomy.load(tx);
  const profiles = [
    ...(await talentProfiles(tx, ids.talents, skills)).map((profile) => ({ kind: 'Talent' as const, ...profile })),
    ...(await jobProfiles(tx, ids.jobs, skills)).map((profile) => ({ kind: 'Job' as const, ...profile })),
  ];
  for (let start = 0; start < profiles.length; start += 256) {
    const batch = profiles.slice(start, start + 256);
    const vectors = await stores.embedder.embed(batch.map((profile) => profile.text));
    const records = batch.map((profile, index) => ({ kind: profile.kind, id: profile.id, vector: vectors[index]! }));
    // A text with no words embeds to a zero vector, which is like nothing (no cosine): it has none.
    await store.upsert(records.filter((record) => !isZeroVector(record.vector)));
    for (const kind of VECTOR_KINDS) {
      const blank = records.filter((record) => record.kind === kind && isZeroVector(record.vector)).map((record) => record.id);
      if (blank.length) await store.remove(kind, blank);
    }
  }
}

async function forget(stores: Stores, tx: Queryable, kind: VectorKind, id: string): Promise<void> {
  if (kind === 'Talent') {
    await tx.query('delete from talents where id = $1', [id]);
    await tx.query('delete from resumes where talent_id = $1', [id]);
  } else {
    await tx.query('delete from jobs where id = $1', [id]);
  }
  await stores.vectors.within(tx).remove(kind, [id]);
}

/** The talents whose latest resume, and the jobs whose requirements, name this skill. */
async function namingSkill(tx: Queryable, skillId: string): Promise<{ talents: string[]; jobs: string[] }> {
  const skill = JSON.stringify([{ skillId }]);
  const talents = await tx.query<{ id: string }>(`select distinct talent_id::text as id from resumes where document->'skills' @> $1::jsonb`, [skill]);
  const jobs = await tx.query<{ id: string }>(`select id::text from jobs where required_skills @> $1::jsonb`, [skill]);
  return { talents: talents.map((row) => row.id), jobs: jobs.map((row) => row.id) };
}

async function saveSkills(tx: Queryable, payloads: readonly Payload[]): Promise<void> {
  await tx.query(
    `insert into skills (id, name, aliases)
     select id, name, coalesce(aliases, '{}') from jsonb_to_recordset($1::jsonb) as s(id uuid, name text, aliases text[])
     on conflict (id) do update set name = excluded.name, aliases = excluded.aliases`,
    [json(payloads.map((payload) => ({ id: payload.id, name: text(payload.name) ?? '', aliases: Array.isArray(payload.aliases) ? payload.aliases.filter((alias) => typeof alias === 'string') : [] })))],
  );
}

async function saveTalents(tx: Queryable, payloads: readonly Payload[]): Promise<void> {
  await tx.query(
    `insert into talents (id, name, headline, location, tags, contact, salary_expectation, owner_id, user_id)
     select id, name, headline, location, coalesce(tags, '{}'), contact, salary_expectation, owner_id, user_id
       from jsonb_to_recordset($1::jsonb)
         as t(id uuid, name text, headline text, location jsonb, tags text[], contact jsonb, salary_expectation jsonb, owner_id text, user_id text)
     on conflict (id) do update set name = excluded.name, headline = excluded.headline, location = excluded.location, tags = excluded.tags,
       contact = excluded.contact, salary_expectation = excluded.salary_expectation, owner_id = excluded.owner_id, user_id = excluded.user_id`,
    [
      json(
        payloads.map((payload) => ({
          id: payload.id,
          name: text(payload.name) ?? '',
          headline: text(payload.headline),
          location: payload.location ?? null,
          tags: Array.isArray(payload.tags) ? payload.tags.filter((tag) => typeof tag === 'string') : [],
          contact: payload.contact ?? null,
          salary_expectation: payload.salaryExpectation ?? null,
          owner_id: text(payload.ownerId),
          user_id: text(payload.userId),
        })),
      ),
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

async function saveJobs(tx: Queryable, payloads: readonly Payload[]): Promise<void> {
  await tx.query(
    `insert into jobs (id, title, description, status, location, employment_type, required_skills)
     select id, title, description, status, location, employment_type, coalesce(required_skills, '[]')
       from jsonb_to_recordset($1::jsonb) as j(id uuid, title text, description text, status text, location jsonb, employment_type text, required_skills jsonb)
     on conflict (id) do update set title = excluded.title, description = excluded.description, status = excluded.status,
       location = excluded.location, employment_type = excluded.employment_type, required_skills = excluded.required_skills`,
    [
      json(
        payloads.map((payload) => ({
          id: payload.id,
          title: text(payload.title) ?? '',
          description: text(payload.description),
          status: text(payload.status),
          location: payload.location ?? null,
          employment_type: text(payload.employmentType),
          required_skills: Array.isArray(payload.requiredSkills) ? payload.requiredSkills : [],
        })),
      ),
    ],
  );
}

/** A rebuild: every owner's snapshot saved, then every talent and job embedded afresh. */
async function restore(stores: Stores, tx: Queryable, events: readonly DomainEvent[]): Promise<void> {
  const payloads = (type: string) => events.filter((event) => event.aggregate.type === type && isId(event.aggregate.id)).map((event) => event.payload);
  const inBatches = async (rows: Payload[], save: (tx: Queryable, rows: Payload[]) => Promise<void>) => {
    for (let start = 0; start < rows.length; start += 500) await save(tx, rows.slice(start, start + 500));
  };
  await inBatches(payloads('Skill'), saveSkills);
  await inBatches(payloads('Talent'), saveTalents);
  await inBatches(payloads('Resume'), saveResumes);
  await inBatches(payloads('Job'), saveJobs);
  stores.taxonomy.invalidate();
  const talents = await tx.query<{ id: string }>('select id::text from talents order by id');
  const jobs = await tx.query<{ id: string }>('select id::text from jobs order by id');
  await stores.vectors.within(tx).refill(async (vectors) => {
    for (let start = 0; start < Math.max(talents.length, jobs.length); start += 256) {
      const ids = { talents: talents.slice(start, start + 256).map((row) => row.id), jobs: jobs.slice(start, start + 256).map((row) => row.id) };
      await embed(stores, tx, ids, vectors);
    }
  });
}

export const aiConsumer: EventConsumer<Stores> = {
  name: CONSUMER,
  owners: ['skills', 'resumes', 'jobs'],
  apply: (stores, event, tx) => forgetTaxonomyOnFailure(stores, () => applyEvent(stores, tx, event)),
  reset: async (_stores, tx) => {
    for (const table of ['skills', 'talents', 'resumes', 'jobs']) await tx.query(`delete from ${table}`);
  },
  restore: (stores, events, tx) => forgetTaxonomyOnFailure(stores, () => restore(stores, tx, events)),
};

/** The taxonomy cached during a transaction that fails (it will roll back) holds what was never committed: drop it. */
async function forgetTaxonomyOnFailure(stores: Stores, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    stores.taxonomy.invalidate();
    throw error;
  }
}
