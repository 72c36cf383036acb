import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { recordEvent, type SnapshotEntry } from '../../platform/events/index.ts';
import type { Page } from '../../platform/pagination.ts';
import { SqlFilter, containing } from '../../platform/sql.ts';
import {
  UserAlreadyLinkedError,
  type ImportedResume,
  type Resume,
  type ResumeDocument,
  type ResumeStore,
  type ResumeVersion,
  type ResumeVersionKey,
  type SalaryExpectation,
  type Talent,
  type TalentContact,
  type TalentFields,
  type TalentFilter,
  type TalentOrder,
  type TalentStore,
} from './store.ts';
import { toDocument } from './document.ts';

/** Rows per bulk statement: large enough to be fast, small enough to keep one parameter modest. */
const IMPORT_CHUNK = 500;

interface TalentRow {
  id: string;
  name: string;
  headline: string | null;
  contact: Partial<TalentContact> | null;
  salary_expectation: SalaryExpectation | null;
  location: Talent['location'];
  tags: string[];
  owner_id: string | null;
  user_id: string | null;
  created_at: Date;
  updated_at: Date;
}

const toTalent = (row: TalentRow): Talent => ({
  id: row.id,
  name: row.name,
  headline: row.headline,
  contact: {
    email: row.contact?.email ?? null,
    phone: row.contact?.phone ?? null,
    linkedin: row.contact?.linkedin ?? null,
    website: row.contact?.website ?? null,
  },
  salaryExpectation: row.salary_expectation
    ? { min: row.salary_expectation.min, max: row.salary_expectation.max, currency: row.salary_expectation.currency, period: row.salary_expectation.period }
    : null,
  location: row.location,
  tags: row.tags,
  ownerId: row.owner_id,
  userId: row.user_id,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** A talent as its events and the snapshot carry it: one function, so a rebuild equals the live stream. */
const talentPayload = (talent: Talent) => ({ ...talent });

const TALENT_ORDER_COLUMNS = { NAME: 'lower(name)', CREATED_AT: 'created_at', UPDATED_AT: 'updated_at' } as const;

/** TalentStore on PostgreSQL (PGlite or a real server); nested parts are jsonb. */
export class PostgresTalentStore implements TalentStore {
  constructor(private readonly db: Db) {}

  /** Runs one write and records its event in the same transaction: both commit, or neither. */
  private write(change: 'created' | 'updated', userId: string | null, statement: (tx: Queryable) => Promise<TalentRow[]>): Promise<Talent | null> {
    return linkingUser(userId, () =>
      this.db.transaction(async (tx) => {
        const [row] = await statement(tx);
        if (!row) return null;
        const talent = toTalent(row);
        await recordEvent(tx, { type: `talent.${change}`, aggregate: { type: 'Talent', id: talent.id }, payload: talentPayload(talent) });
        return talent;
      }),
    );
  }

  async create(fields: TalentFields, id: string = randomUUID()): Promise<Talent> {
    const created = await this.write('created', fields.userId, (tx) =>
      tx.query<TalentRow>(
        `insert into talents (id, name, headline, contact, salary_expectation, location, tags, owner_id, user_id)
         values ($1, $2, $3, $4::jsonb, $5::jsonb, $6::jsonb, $7::text[], $8, $9) returning *`,
        [
          id, fields.name, fields.headline, json(fields.contact), json(fields.salaryExpectation),
          json(fields.location), fields.tags, fields.ownerId, fields.userId,
        ],
      ),
    );
    return created!;
  }

  async update(id: string, fields: Partial<TalentFields>): Promise<Talent | null> {
    return this.write('updated', fields.userId ?? null, (tx) =>
      tx.query<TalentRow>(
        `update talents set
           name = coalesce($2, name),
           headline = case when $3::boolean then $4 else headline end,
           contact = coalesce($5::jsonb, contact),
           location = case when $6::boolean then $7::jsonb else location end,
           tags = coalesce($8::text[], tags),
           owner_id = case when $9::boolean then $10::uuid else owner_id end,
           user_id = case when $11::boolean then $12::uuid else user_id end,
           salary_expectation = case when $13::boolean then $14::jsonb else salary_expectation end,
           updated_at = now()
         where id = $1 returning *`,
        [
          id,
          fields.name ?? null,
          'headline' in fields, fields.headline ?? null,
          json(fields.contact),
          'location' in fields, json(fields.location ?? null),
          fields.tags ?? null,
          'ownerId' in fields, fields.ownerId ?? null,
          'userId' in fields, fields.userId ?? null,
          'salaryExpectation' in fields, json(fields.salaryExpectation ?? null),
        ],
      ),
    );
  }

  /** Deletes the resumes first, each with its own event, then the talent: consumers unlink children before the parent goes. */
  async delete(id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      // The row lock conflicts with createResume's key-share lock: a resume being saved either commits first
      // (and is deleted below, with its event) or waits and then finds no talent. No resume goes without an event.
      const [talent] = await tx.query<{ owner_id: string | null; user_id: string | null }>(
        'select owner_id, user_id from talents where id = $1 for update',
        [id],
      );
      if (!talent) return false;
      // Versions go with each resume (on delete cascade).
      const resumes = await tx.query<{ id: string; talent_id: string }>(
        `with deleted as (delete from resumes where talent_id = $1 returning id, talent_id, created_at)
         select id, talent_id from deleted order by created_at, id`,
        [id],
      );
      for (const resume of resumes) await recordResumeDeleted(tx, resume);
      await tx.query('delete from talents where id = $1', [id]);
      await recordEvent(tx, { type: 'talent.deleted', aggregate: { type: 'Talent', id }, payload: { id, ownerId: talent.owner_id, userId: talent.user_id } });
      return true;
    });
  }

  async getMany(ids: readonly string[]): Promise<Talent[]> {
    const rows = await this.db.query<TalentRow>('select * from talents where id = any($1::uuid[])', [ids]);
    return rows.map(toTalent);
  }

  async getManyByUser(userIds: readonly string[]): Promise<Talent[]> {
    const rows = await this.db.query<TalentRow>('select * from talents where user_id = any($1::uuid[])', [userIds]);
    return rows.map(toTalent);
  }

  async list(filter: TalentFilter, order: TalentOrder, page: Page) {
    const where = new SqlFilter();
    if (filter.search) {
      const pattern = containing(filter.search);
      where.add('name ilike $? or headline ilike $?', pattern, pattern);
    }
    if (filter.tags?.length) where.add('tags @> $?::text[]', filter.tags);
    if (filter.ownerId) where.add('owner_id = $?::uuid', filter.ownerId);
    if (filter.country) where.add(`lower(location->>'country') = lower($?)`, filter.country);
    if (filter.skillId) {
      where.add(
        `exists (select 1 from resumes r where r.talent_id = talents.id and r.document -> 'skills' @> $?::jsonb)`,
        JSON.stringify([{ skillId: filter.skillId }]),
      );
    }
    const direction = order.direction === 'DESC' ? 'desc' : 'asc';
    // The total in an uncorrelated subquery (run once), not `count(*) over ()`: that window would
    // read and sort every matching row, whole, before the first came out, so a page of five cost as
    // much as the table (issue 11, growth); this way the page walks the order's index and stops.
    const rows = await this.db.query<TalentRow & { total: number }>(
      `select *, (select count(*)::int from talents ${where.sql()}) as total from talents ${where.sql()}
       order by ${TALENT_ORDER_COLUMNS[order.field]} ${direction}, id
       limit ${page.limit} offset ${page.offset}`,
      where.params,
    );
    // No row means no match, or an empty page (`first: 0`, or past the end) whose total needs counting.
    const totalCount = rows[0]?.total ?? (page.offset > 0 || page.limit === 0 ? await this.countWhere(where) : 0);
    return { rows: rows.map(toTalent), totalCount };
  }

  private async countWhere(where: SqlFilter): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(`select count(*)::int as n from talents ${where.sql()}`, where.params);
    return row!.n;
  }

  async importMany(talents: readonly (TalentFields & { id: string })[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const chunk of chunks(talents)) {
        await tx.query(
          `insert into talents (id, name, headline, contact, salary_expectation, location, tags, owner_id, user_id)
           select id, name, headline, coalesce(contact, '{}'::jsonb), nullif("salaryExpectation", 'null'::jsonb), location,
                  coalesce(tags, '{}'), "ownerId", "userId"
           from jsonb_to_recordset($1::jsonb) as t(id uuid, name text, headline text, contact jsonb, "salaryExpectation" jsonb,
                                                  location jsonb, tags text[], "ownerId" uuid, "userId" uuid)`,
          [JSON.stringify(chunk)],
        );
      }
    });
  }

  async count(): Promise<number> {
    const [row] = await this.db.query<{ n: number }>('select count(*)::int as n from talents');
    return row!.n;
  }

  async snapshotPage(afterId: string | null, limit: number): Promise<SnapshotEntry[]> {
    const rows = await this.db.query<TalentRow>('select * from talents where $1::uuid is null or id > $1::uuid order by id limit $2', [afterId, limit]);
    return rows.map((row) => ({ id: row.id, payload: talentPayload(toTalent(row)) }));
  }
}

interface ResumeRow {
  id: string;
  talent_id: string;
  version: number;
  document: unknown;
  created_at: Date;
  updated_at: Date;
}

interface VersionRow {
  resume_id: string;
  version: number;
  document: unknown;
  author_id: string | null;
  created_at: Date;
}

const toResume = (row: ResumeRow): Resume => ({
  id: row.id,
  talentId: row.talent_id,
  version: row.version,
  ...toDocument(row.document),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toVersion = (row: VersionRow): ResumeVersion => ({
  resumeId: row.resume_id,
  version: row.version,
  authorId: row.author_id,
  ...toDocument(row.document),
  createdAt: row.created_at,
});

/** A resume (its current document) as its events and the snapshot carry it. */
const resumePayload = (resume: Resume) => ({ ...resume });

/** ResumeStore on PostgreSQL: the current document on `resumes`, every version in `resume_versions`. */
export class PostgresResumeStore implements ResumeStore {
  constructor(private readonly db: Db) {}

  /** Runs one write and records its event in the same transaction: both commit, or neither. */
  private write(change: 'created' | 'updated', statement: (tx: Queryable) => Promise<ResumeRow[]>, authorId: string | null): Promise<Resume | null> {
    return this.db.transaction(async (tx) => {
      const [row] = await statement(tx);
      if (!row) return null;
      await appendVersion(tx, row, authorId);
      const resume = toResume(row);
      await recordEvent(tx, { type: `resume.${change}`, aggregate: { type: 'Resume', id: resume.id }, payload: resumePayload(resume) });
      return resume;
    });
  }

  create(talentId: string, document: ResumeDocument, authorId: string | null, id: string = randomUUID()): Promise<Resume | null> {
    // Selecting from talents makes an unknown talent insert nothing rather than fail; the key-share
    // lock waits for a concurrent delete of the talent, which then also means nothing is inserted
    // (without it the foreign key check fails instead).
    return this.write(
      'created',
      (tx) =>
        tx.query<ResumeRow>(
          `insert into resumes (id, talent_id, version, document)
           select $1, id, 1, $3::jsonb from talents where id = $2 for key share returning *`,
          [id, talentId, JSON.stringify(document)],
        ),
      authorId,
    );
  }

  update(id: string, document: ResumeDocument, authorId: string | null): Promise<Resume | null> {
    // The row lock taken here serialises concurrent updates, so version numbers (and events) never collide.
    return this.write(
      'updated',
      (tx) =>
        tx.query<ResumeRow>(
          `update resumes set version = version + 1, document = $2::jsonb, updated_at = now()
           where id = $1 returning *`,
          [id, JSON.stringify(document)],
        ),
      authorId,
    );
  }

  async delete(id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      // Versions go with it (on delete cascade).
      const [deleted] = await tx.query<{ id: string; talent_id: string }>('delete from resumes where id = $1 returning id, talent_id', [id]);
      if (deleted) await recordResumeDeleted(tx, deleted);
      return deleted !== undefined;
    });
  }

  async getMany(ids: readonly string[]): Promise<Resume[]> {
    const rows = await this.db.query<ResumeRow>('select * from resumes where id = any($1::uuid[])', [ids]);
    return rows.map(toResume);
  }

  async listByTalents(talentIds: readonly string[]): Promise<Resume[]> {
    const rows = await this.db.query<ResumeRow>(
      'select * from resumes where talent_id = any($1::uuid[]) order by created_at desc, id',
      [talentIds],
    );
    return rows.map(toResume);
  }

  async listVersions(resumeIds: readonly string[]): Promise<ResumeVersion[]> {
    const rows = await this.db.query<VersionRow>(
      'select * from resume_versions where resume_id = any($1::uuid[]) order by resume_id, version',
      [resumeIds],
    );
    return rows.map(toVersion);
  }

  async getVersions(keys: readonly ResumeVersionKey[]): Promise<ResumeVersion[]> {
    const rows = await this.db.query<VersionRow>(
      `select v.* from resume_versions v
       join unnest($1::uuid[], $2::int[]) as k(resume_id, version) on v.resume_id = k.resume_id and v.version = k.version`,
      [keys.map((key) => key.resumeId), keys.map((key) => key.version)],
    );
    return rows.map(toVersion);
  }

  async importMany(resumes: readonly ImportedResume[]): Promise<void> {
    const current = resumes.map((resume) => {
      const document = resume.versions.at(-1);
      if (!document) throw new Error(`Resume ${resume.id} has no versions`);
      return { id: resume.id, talentId: resume.talentId, version: resume.versions.length, document };
    });
    const history = resumes.flatMap((resume) =>
      resume.versions.map((document, index) => ({ resumeId: resume.id, version: index + 1, document, authorId: resume.authorId })),
    );
    await this.db.transaction(async (tx) => {
      for (const chunk of chunks(current)) {
        await tx.query(
          `insert into resumes (id, talent_id, version, document)
           select id, "talentId", version, document
           from jsonb_to_recordset($1::jsonb) as r(id uuid, "talentId" uuid, version int, document jsonb)`,
          [JSON.stringify(chunk)],
        );
      }
      for (const chunk of chunks(history)) {
        await tx.query(
          `insert into resume_versions (resume_id, version, document, author_id)
           select "resumeId", version, document, "authorId"
           from jsonb_to_recordset($1::jsonb) as v("resumeId" uuid, version int, document jsonb, "authorId" uuid)`,
          [JSON.stringify(chunk)],
        );
      }
    });
  }

  async count(): Promise<number> {
    const [row] = await this.db.query<{ n: number }>('select count(*)::int as n from resumes');
    return row!.n;
  }

  async countVersions(): Promise<number> {
    const [row] = await this.db.query<{ n: number }>('select count(*)::int as n from resume_versions');
    return row!.n;
  }

  /** The current document sits on the resume's row: one statement, no history needed. */
  async snapshotPage(afterId: string | null, limit: number): Promise<SnapshotEntry[]> {
    const rows = await this.db.query<ResumeRow>('select * from resumes where $1::uuid is null or id > $1::uuid order by id limit $2', [afterId, limit]);
    return rows.map((row) => ({ id: row.id, payload: resumePayload(toResume(row)) }));
  }
}

/** A deleted resume's event names its talent, so consumers can unlink it without having kept the resume. */
function recordResumeDeleted(tx: Queryable, resume: { id: string; talent_id: string }): Promise<void> {
  return recordEvent(tx, { type: 'resume.deleted', aggregate: { type: 'Resume', id: resume.id }, payload: { id: resume.id, talentId: resume.talent_id } });
}

/** Records the row's current document as a version; `now()` is the transaction's time, so it matches the row. */
async function appendVersion(tx: Queryable, row: ResumeRow, authorId: string | null): Promise<void> {
  await tx.query(
    `insert into resume_versions (resume_id, version, document, author_id, created_at) values ($1, $2, $3::jsonb, $4, now())`,
    [row.id, row.version, JSON.stringify(row.document), authorId],
  );
}

/** Turns the unique violation on talents.user_id into a domain error. */
async function linkingUser<T>(userId: string | null, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { code?: string }).code === '23505' && String((error as Error).message).includes('user_id')) {
      throw new UserAlreadyLinkedError(userId);
    }
    throw error;
  }
}

function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let start = 0; start < items.length; start += IMPORT_CHUNK) yield items.slice(start, start + IMPORT_CHUNK);
}

function json(value: unknown): string | null {
  return value == null ? null : JSON.stringify(value);
}
