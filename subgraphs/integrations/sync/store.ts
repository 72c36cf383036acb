import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../../../platform/db/db.ts';

/** A talent as Zervigo gets them: their profile, latest resume, and the names of its skills. */
export interface TalentForPush {
  id: string;
  name: string;
  headline: string | null;
  location: { city?: string | null; region?: string | null; country?: string | null } | null;
  tags: string[];
  contact: { email?: string | null; phone?: string | null } | null;
  resume: { id: string; document: Record<string, unknown> } | null;
  skillNames: Map<string, string>;
}

export type SyncStatus = 'NOT_SYNCED' | 'SYNCED' | 'OUT_OF_DATE' | 'FAILED';

export interface PlatformLink {
  talentId: string;
  status: SyncStatus;
  externalId: string | null;
  lastSyncedAt: Date | null;
  lastError: string | null;
}

export interface SyncFilter {
  tags?: string[] | null;
  statuses?: SyncStatus[] | null;
}

export interface SyncJob {
  id: string;
  status: 'RUNNING' | 'COMPLETED';
  total: number;
  done: number;
  failed: number;
  startedAt: Date;
  finishedAt: Date | null;
}

export interface JobItem {
  position: number;
  talentId: string;
}

/** The status a link shows: a failed last attempt wins; a success older than the talent's last change is out of date. */
const STATUS_SQL = `case
  when l.talent_id is null then 'NOT_SYNCED'
  when l.last_error is not null then 'FAILED'
  when l.last_synced_at is null then 'NOT_SYNCED'
  when t.changed_at > l.last_synced_at then 'OUT_OF_DATE'
  else 'SYNCED' end`;

/** The integrations subgraph's tables: the local copy of talents, their links to Zervigo, and sync jobs. */
export class PlatformSyncStore {
  constructor(private readonly db: Db) {}

  async talentForPush(id: string, q: Queryable = this.db): Promise<TalentForPush | null> {
    const [talent] = await q.query<{ id: string; name: string; headline: string | null; location: TalentForPush['location']; tags: string[]; contact: TalentForPush['contact'] }>(
      'select id::text, name, headline, location, tags, contact from talents where id = $1',
      [id],
    );
    if (!talent) return null;
    const [resume] = await q.query<{ id: string; document: Record<string, unknown> }>(
      'select id::text, document from resumes where talent_id = $1 order by updated_at desc nulls last, id limit 1',
      [id],
    );
    const skillIds = Array.isArray(resume?.document.skills)
      ? (resume.document.skills as { skillId?: unknown }[]).map((skill) => skill.skillId).filter((skillId): skillId is string => typeof skillId === 'string')
      : [];
    const skills = skillIds.length ? await q.query<{ id: string; name: string }>('select id::text, name from skills where id = any($1::uuid[])', [skillIds]) : [];
    return { ...talent, resume: resume ?? null, skillNames: new Map(skills.map((skill) => [skill.id, skill.name])) };
  }

  /** Each talent's state on Zervigo, in the order asked; a talent never pushed is NOT_SYNCED. */
  async links(talentIds: readonly string[]): Promise<PlatformLink[]> {
    const rows = await this.db.query<{ talent_id: string; status: SyncStatus; external_id: string | null; last_synced_at: Date | null; last_error: string | null }>(
      `select ids.id::text as talent_id, ${STATUS_SQL} as status, l.external_id, l.last_synced_at, l.last_error
         from unnest($1::uuid[]) as ids(id)
         left join platform_links l on l.talent_id = ids.id
         left join talents t on t.id = ids.id`,
      [talentIds],
    );
    const byId = new Map(rows.map((row) => [row.talent_id, row]));
    return talentIds.map((id) => {
      const row = byId.get(id.toLowerCase());
      return {
        talentId: id,
        status: row?.status ?? 'NOT_SYNCED',
        externalId: row?.external_id ?? null,
        lastSyncedAt: row?.last_synced_at ? new Date(row.last_synced_at) : null,
        lastError: row?.last_error ?? null,
      };
    });
  }

  async recordSuccess(talentId: string, externalId: string, externalResumeId: string | null, attemptedAt: Date): Promise<void> {
    // The talent as read at `attemptedAt` is what Zervigo has: a change committed during the push stays OUT_OF_DATE.
    await this.db.query(
      `insert into platform_links (talent_id, external_id, external_resume_id, last_synced_at, last_attempt_at, last_error)
       values ($1, $2, $3, $4, $4, null)
       on conflict (talent_id) do update set external_id = excluded.external_id,
         external_resume_id = coalesce(excluded.external_resume_id, platform_links.external_resume_id),
         last_synced_at = excluded.last_synced_at, last_attempt_at = excluded.last_attempt_at, last_error = null`,
      [talentId, externalId, externalResumeId, attemptedAt],
    );
  }

  async recordFailure(talentId: string, error: string): Promise<void> {
    await this.db.query(
      `insert into platform_links (talent_id, last_attempt_at, last_error) values ($1, now(), $2)
       on conflict (talent_id) do update set last_attempt_at = now(), last_error = excluded.last_error`,
      [talentId, error],
    );
  }

  /**
   * Starts a job over every talent matching `filter`, in id order; null when one is already
   * running (the unique index on running jobs decides, across replicas).
   */
  async createJob(filter: SyncFilter, requestedBy: string | null): Promise<SyncJob | null> {
    const id = randomUUID();
    try {
      return await this.db.transaction(async (tx) => {
        await tx.query(`insert into sync_jobs (id, status, filter, requested_by, total) values ($1, 'RUNNING', $2::jsonb, $3, 0)`, [id, JSON.stringify(filter), requestedBy]);
        const [{ total }] = (await tx.query<{ total: number }>(
          `with chosen as (
             insert into sync_job_items (job_id, position, talent_id)
             select $1, row_number() over (order by t.id), t.id
               from talents t left join platform_links l on l.talent_id = t.id
              where ($2::text[] is null or t.tags @> $2::text[])
                and ($3::text[] is null or (${STATUS_SQL}) = any($3::text[]))
             returning 1)
           select count(*)::int as total from chosen`,
          [id, filter.tags?.length ? filter.tags : null, filter.statuses?.length ? filter.statuses : null],
        )) as [{ total: number }];
        await tx.query('update sync_jobs set total = $2 where id = $1', [id, total]);
        return (await this.job(id, tx))!;
      });
    } catch (error) {
      if ((error as { code?: string }).code === '23505') return null;
      throw error;
    }
  }

  async runningJob(): Promise<SyncJob | null> {
    const [row] = await this.db.query<{ id: string }>(`select id::text from sync_jobs where status = 'RUNNING'`);
    return row ? this.job(row.id) : null;
  }

  async job(id: string, q: Queryable = this.db): Promise<SyncJob | null> {
    const [row] = await q.query<{ id: string; status: SyncJob['status']; total: number; done: number; failed: number; started_at: Date; finished_at: Date | null }>(
      `select j.id::text, j.status, j.total, j.started_at, j.finished_at,
              count(*) filter (where i.status = 'DONE')::int as done,
              count(*) filter (where i.status = 'FAILED')::int as failed
         from sync_jobs j left join sync_job_items i on i.job_id = j.id
        where j.id = $1
        group by j.id`,
      [id],
    );
    if (!row) return null;
    return { id: row.id, status: row.status, total: row.total, done: row.done, failed: row.failed, startedAt: new Date(row.started_at), finishedAt: row.finished_at ? new Date(row.finished_at) : null };
  }

  /** The job's next items not tried yet, in order. */
  pending(jobId: string, limit: number): Promise<JobItem[]> {
    return this.db.query<JobItem>(
      `select position, talent_id::text as "talentId" from sync_job_items where job_id = $1 and status = 'PENDING' order by position limit $2`,
      [jobId, limit],
    );
  }

  async markItem(jobId: string, position: number, outcome: { error: string | null }): Promise<void> {
    await this.db.query(`update sync_job_items set status = $3, error = $4, attempted_at = now() where job_id = $1 and position = $2`, [
      jobId,
      position,
      outcome.error === null ? 'DONE' : 'FAILED',
      outcome.error,
    ]);
  }

  async completeJob(jobId: string): Promise<void> {
    await this.db.query(`update sync_jobs set status = 'COMPLETED', finished_at = now() where id = $1 and status = 'RUNNING'`, [jobId]);
  }

  failures(jobId: string, first: number): Promise<{ talentId: string; error: string; at: Date }[]> {
    return this.db.query(
      `select talent_id::text as "talentId", error, attempted_at as at from sync_job_items
        where job_id = $1 and status = 'FAILED' order by position limit $2`,
      [jobId, first],
    );
  }
}
