import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { recordEvent, type SnapshotEntry } from '../../platform/events/index.ts';
import { groupByKey } from '../../platform/loaders.ts';
import type { Page } from '../../platform/pagination.ts';
import { SqlFilter, containing } from '../../platform/sql.ts';
import { FINAL_STAGES, PIPELINE, canMoveStage } from './application-stage.ts';
import { canChangeJobStatus } from './job-status.ts';
import type {
  Application,
  ApplicationFilter,
  ApplicationOrder,
  ApplicationStage,
  ApplicationStore,
  ApplyResult,
  Job,
  JobFields,
  JobFilter,
  JobOrder,
  JobStatus,
  JobStatusResult,
  JobStore,
  JobUpdate,
  MoveResult,
  PageOf,
  StageChange,
  JobStatusChange,
  WithdrawResult,
} from './store.ts';

/** Rows per statement when importing; keeps each parameter a reasonable size. */
const IMPORT_CHUNK = 1000;

/** History entries as stored in jsonb: timestamps come back as ISO strings. */
type Stored<Change extends { at: Date }> = Omit<Change, 'at'> & { at: string };

interface JobRow {
  id: string;
  company_id: string;
  title: string;
  description: string | null;
  required_skills: Job['requiredSkills'];
  location: Job['location'];
  employment_type: Job['employmentType'];
  salary_min: number | null;
  salary_max: number | null;
  salary_currency: string | null;
  salary_period: NonNullable<Job['salary']>['period'] | null;
  status: JobStatus;
  status_history: Stored<JobStatusChange>[];
  opened_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

interface ApplicationRow {
  id: string;
  job_id: string;
  talent_id: string;
  stage: ApplicationStage;
  history: Stored<StageChange>[];
  created_at: Date;
  updated_at: Date;
}

const toJob = (row: JobRow): Job => ({
  id: row.id,
  companyId: row.company_id,
  title: row.title,
  description: row.description,
  requiredSkills: row.required_skills,
  location: row.location,
  employmentType: row.employment_type,
  salary:
    row.salary_min == null || row.salary_max == null || row.salary_currency == null || row.salary_period == null
      ? null
      : { min: row.salary_min, max: row.salary_max, currency: row.salary_currency, period: row.salary_period },
  status: row.status,
  statusHistory: row.status_history.map((change) => ({ ...change, at: new Date(change.at) })),
  openedAt: row.opened_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toApplication = (row: ApplicationRow): Application => ({
  id: row.id,
  jobId: row.job_id,
  talentId: row.talent_id,
  stage: row.stage,
  history: row.history.map((change) => ({ ...change, at: new Date(change.at) })),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/**
 * What other subgraphs need of a job in its events: its company, what it asks for and its status.
 * Description, salary and the status history (with its authors) stay here; a consumer that needs
 * them asks the API. The snapshot carries the same, so a rebuild equals the live stream.
 */
const jobPayload = (job: Job) => ({
  id: job.id,
  companyId: job.companyId,
  title: job.title,
  description: job.description,
  status: job.status,
  requiredSkills: job.requiredSkills.map(({ skillId, level }) => ({ skillId, level })),
  location: job.location,
  employmentType: job.employmentType,
});

/** An application's event payload: who applied to which job, and how far it got (not the notes). */
const applicationPayload = (application: Pick<Application, 'id' | 'talentId' | 'jobId' | 'stage'>) => ({
  id: application.id,
  talentId: application.talentId,
  jobId: application.jobId,
  stage: application.stage,
});

const recordJobEvent = (tx: Queryable, change: string, payload: { id: string } & Record<string, unknown>) =>
  recordEvent(tx, { type: `job.${change}`, aggregate: { type: 'Job', id: payload.id }, payload });

const recordApplicationEvent = (tx: Queryable, change: string, payload: { id: string } & Record<string, unknown>) =>
  recordEvent(tx, { type: `application.${change}`, aggregate: { type: 'Application', id: payload.id }, payload });

const JOB_ORDER = {
  TITLE: (direction: string) => `lower(title) ${direction}`,
  CREATED_AT: (direction: string) => `created_at ${direction}`,
  // Jobs without a salary say nothing about pay: last whichever way the list runs.
  SALARY_MAX: (direction: string) => `salary_max ${direction} nulls last`,
} as const;

const STAGE_POSITION = `array_position(array[${[...PIPELINE, 'REJECTED'].map((stage) => `'${stage}'`).join(', ')}]::text[], stage)`;
const APPLICATION_ORDER = {
  CREATED_AT: (direction: string) => `created_at ${direction}`,
  UPDATED_AT: (direction: string) => `updated_at ${direction}`,
  STAGE: (direction: string) => `${STAGE_POSITION} ${direction}`,
} as const;

const sqlDirection = (direction: 'ASC' | 'DESC') => (direction === 'DESC' ? 'desc' : 'asc');
const jobOrderSql = (order: JobOrder) => `${JOB_ORDER[order.field](sqlDirection(order.direction))}, id`;
const applicationOrderSql = (order: ApplicationOrder) => `${APPLICATION_ORDER[order.field](sqlDirection(order.direction))}, id`;

function jobWhere(filter: JobFilter): SqlFilter {
  const where = new SqlFilter();
  if (filter.status?.length) where.add('status = any($?::text[])', filter.status);
  if (filter.companyId) where.add('company_id = $?', filter.companyId);
  if (filter.employmentType?.length) where.add('employment_type = any($?::text[])', filter.employmentType);
  if (filter.skillId) where.add('required_skills @> $?::jsonb', JSON.stringify([{ skillId: filter.skillId }]));
  if (filter.titleContains) where.add('title ilike $?', containing(filter.titleContains));
  if (filter.country) where.add(`lower(location->>'country') = lower($?)`, filter.country);
  if (filter.remote != null) where.add(`coalesce((location->>'remote')::boolean, false) = $?`, filter.remote);
  return where;
}

function applicationWhere(filter: ApplicationFilter): SqlFilter {
  const where = new SqlFilter();
  if (filter.jobId) where.add('job_id = $?', filter.jobId);
  if (filter.talentId) where.add('talent_id = $?', filter.talentId);
  if (filter.stage?.length) where.add('stage = any($?::text[])', filter.stage);
  return where;
}

/** One page of a filtered table, with the total, in one statement (a second only past the end). */
async function pageOf<Row>(db: Db, table: string, where: SqlFilter, orderSql: string, page: Page): Promise<PageOf<Row>> {
  // The total in a subquery run once: `count(*) over ()` would read and sort every matching row for a page (issue 11, growth).
  const rows = await db.query<Row & { total: number }>(
    `select *, (select count(*)::int from ${table} ${where.sql()}) as total from ${table} ${where.sql()}
     order by ${orderSql} limit ${page.limit} offset ${page.offset}`,
    where.params,
  );
  if (rows[0]) return { rows, totalCount: rows[0].total };
  if (page.offset === 0 && page.limit > 0) return { rows, totalCount: 0 };
  const [counted] = await db.query<{ n: number }>(`select count(*)::int as n from ${table} ${where.sql()}`, where.params);
  return { rows, totalCount: counted!.n };
}

/**
 * One page per parent (e.g. each company's jobs) for any number of parents in one statement:
 * rows are numbered and counted per parent, and only each parent's page is returned. A parent
 * whose page is empty past its end gets its total from one more statement for all such parents.
 */
async function pagesByParent<Row>(
  db: Db,
  table: string,
  parentColumn: string,
  parentIds: readonly string[],
  where: () => SqlFilter,
  orderSql: string,
  page: Page,
): Promise<PageOf<Row>[]> {
  if (parentIds.length === 0) return [];
  const ranked = where().add(`${parentColumn} = any($?::uuid[])`, parentIds);
  const rows = await db.query<Row & { parent_id: string; total: number }>(
    `select * from (
       select *, ${parentColumn} as parent_id,
              row_number() over (partition by ${parentColumn} order by ${orderSql}) as position,
              count(*) over (partition by ${parentColumn})::int as total
       from ${table} ${ranked.sql()}
     ) ranked
     where position > ${page.offset} and position <= ${page.offset + page.limit}
     order by parent_id, position`,
    ranked.params,
  );
  const groups = groupByKey(parentIds, rows, (row) => row.parent_id);
  const totals = new Map<string, number>();
  groups.forEach((group, index) => {
    if (group[0]) totals.set(parentIds[index]!, group[0].total);
  });
  const unknown = parentIds.filter((id) => !totals.has(id));
  if (unknown.length && (page.offset > 0 || page.limit === 0)) {
    const counting = where().add(`${parentColumn} = any($?::uuid[])`, unknown);
    const counts = await db.query<{ parent_id: string; n: number }>(
      `select ${parentColumn} as parent_id, count(*)::int as n from ${table} ${counting.sql()} group by ${parentColumn}`,
      counting.params,
    );
    for (const { parent_id, n } of counts) totals.set(parent_id, n);
  }
  return groups.map((group, index) => ({ rows: group, totalCount: totals.get(parentIds[index]!) ?? 0 }));
}

/** Inserts records in chunks of multi-row statements, all in one transaction. */
async function importRows(db: Db, insert: (tx: Queryable, payload: string) => Promise<unknown>, rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return;
  await db.transaction(async (tx) => {
    for (let start = 0; start < rows.length; start += IMPORT_CHUNK) {
      await insert(tx, JSON.stringify(rows.slice(start, start + IMPORT_CHUNK)));
    }
  });
}

/** JobStore on PostgreSQL: PGlite by default, a real server when DATABASE_URL is set. */
export class PostgresJobStore implements JobStore {
  constructor(private readonly db: Db) {}

  /** Runs one write of a job and records its event in the same transaction: both commit, or neither. */
  private write(change: 'created' | 'updated', statement: (tx: Queryable) => Promise<JobRow[]>): Promise<Job | null> {
    return this.db.transaction(async (tx) => {
      const [row] = await statement(tx);
      if (!row) return null;
      const job = toJob(row);
      await recordJobEvent(tx, change, jobPayload(job));
      return job;
    });
  }

  async create(fields: JobFields, byUserId: string | null, id: string = randomUUID()): Promise<Job> {
    const created = await this.write('created', (tx) => tx.query<JobRow>(
      `insert into jobs (id, company_id, title, description, required_skills, location, employment_type,
                         salary_min, salary_max, salary_currency, salary_period, status, status_history)
       values ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8, $9, $10, $11, 'DRAFT',
               jsonb_build_array(jsonb_build_object('from', null, 'to', 'DRAFT', 'at', now(), 'byUserId', $12::text)))
       returning *`,
      [
        id,
        fields.companyId,
        fields.title,
        fields.description,
        JSON.stringify(fields.requiredSkills),
        json(fields.location),
        fields.employmentType,
        fields.salary?.min ?? null,
        fields.salary?.max ?? null,
        fields.salary?.currency ?? null,
        fields.salary?.period ?? null,
        byUserId,
      ],
    ));
    return created!;
  }

  async update(id: string, fields: JobUpdate): Promise<Job | null> {
    const salary = fields.salary ?? null;
    return this.write('updated', (tx) => tx.query<JobRow>(
      `update jobs set
         title = coalesce($2, title),
         description = case when $3::boolean then $4 else description end,
         required_skills = coalesce($5::jsonb, required_skills),
         location = case when $6::boolean then $7::jsonb else location end,
         employment_type = coalesce($8, employment_type),
         salary_min = case when $9::boolean then $10::int else salary_min end,
         salary_max = case when $9::boolean then $11::int else salary_max end,
         salary_currency = case when $9::boolean then $12 else salary_currency end,
         salary_period = case when $9::boolean then $13 else salary_period end,
         updated_at = now()
       where id = $1 returning *`,
      [
        id,
        fields.title ?? null,
        'description' in fields, fields.description ?? null,
        json(fields.requiredSkills ?? null),
        'location' in fields, json(fields.location ?? null),
        fields.employmentType ?? null,
        'salary' in fields, salary?.min ?? null, salary?.max ?? null, salary?.currency ?? null, salary?.period ?? null,
      ],
    ));
  }

  changeStatus(id: string, to: JobStatus, byUserId: string | null): Promise<JobStatusResult> {
    return this.db.transaction(async (tx) => {
      // The lock makes the check and the change one step: two concurrent changes cannot both pass.
      const [current] = await tx.query<{ status: JobStatus }>('select status from jobs where id = $1 for update', [id]);
      if (!current) return { outcome: 'not-found' };
      if (!canChangeJobStatus(current.status, to)) return { outcome: 'illegal', current: current.status };
      const [row] = await tx.query<JobRow>(
        `update jobs set
           status = $2::text,
           status_history = status_history || jsonb_build_array(
             jsonb_build_object('from', status, 'to', $2::text, 'at', now(), 'byUserId', $3::text)),
           opened_at = case when $2::text = 'OPEN' then now() else opened_at end,
           updated_at = now()
         where id = $1 returning *`,
        [id, to, byUserId],
      );
      const job = toJob(row!);
      // One event, specific enough that a consumer need not diff: the job as it is now, plus the step.
      await recordJobEvent(tx, 'statusChanged', { ...jobPayload(job), from: current.status, to });
      return { outcome: 'changed', job };
    });
  }

  delete(id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      // Locking the job first keeps a concurrent apply (which share-locks it) from adding an
      // application that the cascade would then remove without an event.
      const [job] = await tx.query<{ id: string; company_id: string }>('select id, company_id from jobs where id = $1 for update', [id]);
      if (!job) return false;
      // Deleted explicitly rather than by the cascade so each one records its event.
      const applications = await tx.query<ApplicationRow>(
        `with deleted as (delete from applications where job_id = $1 returning *)
         select * from deleted order by created_at, id`,
        [job.id],
      );
      for (const row of applications) {
        await recordApplicationEvent(tx, 'deleted', { id: row.id, talentId: row.talent_id, jobId: row.job_id });
      }
      await tx.query('delete from jobs where id = $1', [job.id]);
      await recordJobEvent(tx, 'deleted', { id: job.id, companyId: job.company_id });
      return true;
    });
  }

  async getMany(ids: readonly string[]): Promise<Job[]> {
    const rows = await this.db.query<JobRow>('select * from jobs where id = any($1::uuid[])', [ids]);
    return rows.map(toJob);
  }

  async list(filter: JobFilter, order: JobOrder, page: Page): Promise<PageOf<Job>> {
    const { rows, totalCount } = await pageOf<JobRow>(this.db, 'jobs', jobWhere(filter), jobOrderSql(order), page);
    return { rows: rows.map(toJob), totalCount };
  }

  async listByCompany(companyIds: readonly string[], filter: JobFilter, order: JobOrder, page: Page): Promise<PageOf<Job>[]> {
    const pages = await pagesByParent<JobRow>(this.db, 'jobs', 'company_id', companyIds, () => jobWhere(filter), jobOrderSql(order), page);
    return pages.map(({ rows, totalCount }) => ({ rows: rows.map(toJob), totalCount }));
  }

  async importMany(jobs: readonly Job[]): Promise<void> {
    const rows = jobs.map((job) => ({
      id: job.id,
      company_id: job.companyId,
      title: job.title,
      description: job.description,
      required_skills: job.requiredSkills,
      location: job.location,
      employment_type: job.employmentType,
      salary_min: job.salary?.min ?? null,
      salary_max: job.salary?.max ?? null,
      salary_currency: job.salary?.currency ?? null,
      salary_period: job.salary?.period ?? null,
      status: job.status,
      status_history: job.statusHistory,
      opened_at: job.openedAt,
      created_at: job.createdAt,
      updated_at: job.updatedAt,
    }));
    await importRows(
      this.db,
      (tx, payload) =>
        tx.query(
          `insert into jobs (id, company_id, title, description, required_skills, location, employment_type, salary_min,
                             salary_max, salary_currency, salary_period, status, status_history, opened_at, created_at, updated_at)
           select id, company_id, title, description, coalesce(required_skills, '[]'), location, employment_type, salary_min,
                  salary_max, salary_currency, salary_period, status, status_history, opened_at, created_at, updated_at
           from jsonb_to_recordset($1::jsonb) as r(
             id uuid, company_id uuid, title text, description text, required_skills jsonb, location jsonb,
             employment_type text, salary_min int, salary_max int, salary_currency text, salary_period text,
             status text, status_history jsonb, opened_at timestamptz, created_at timestamptz, updated_at timestamptz)`,
          [payload],
        ),
      rows,
    );
  }

  async count(): Promise<number> {
    const [row] = await this.db.query<{ n: number }>('select count(*)::int as n from jobs');
    return row!.n;
  }

  async snapshotPage(afterId: string | null, limit: number): Promise<SnapshotEntry[]> {
    const rows = await this.db.query<JobRow>('select * from jobs where $1::uuid is null or id > $1::uuid order by id limit $2', [afterId, limit]);
    return rows.map((row) => ({ id: row.id, payload: jobPayload(toJob(row)) }));
  }
}

/** ApplicationStore on PostgreSQL, in the same schema as the jobs it refers to. */
export class PostgresApplicationStore implements ApplicationStore {
  constructor(private readonly db: Db) {}

  apply(jobId: string, talentId: string, byUserId: string | null, note: string | null, id: string = randomUUID()): Promise<ApplyResult> {
    return this.db.transaction(async (tx) => {
      // A shared lock keeps the job from closing between the check and the insert.
      const [job] = await tx.query<{ status: JobStatus }>('select status from jobs where id = $1 for share', [jobId]);
      if (!job) return { outcome: 'job-not-found' };
      if (job.status !== 'OPEN') return { outcome: 'job-not-open', status: job.status };
      const [row] = await tx.query<ApplicationRow>(
        `insert into applications (id, job_id, talent_id, stage, history)
         values ($1, $2, $3, 'APPLIED',
                 jsonb_build_array(jsonb_build_object('from', null, 'to', 'APPLIED', 'at', now(), 'byUserId', $4::text, 'note', $5::text)))
         on conflict (job_id, talent_id) do nothing
         returning *`,
        [id, jobId, talentId, byUserId, note],
      );
      if (!row) return { outcome: 'duplicate' };
      const application = toApplication(row);
      await recordApplicationEvent(tx, 'created', applicationPayload(application));
      return { outcome: 'applied', application };
    });
  }

  move(id: string, to: ApplicationStage, byUserId: string | null, note: string | null): Promise<MoveResult> {
    return this.db.transaction(async (tx) => {
      const [current] = await tx.query<{ stage: ApplicationStage }>('select stage from applications where id = $1 for update', [id]);
      if (!current) return { outcome: 'not-found' };
      if (!canMoveStage(current.stage, to)) return { outcome: 'illegal', current: current.stage };
      const [row] = await tx.query<ApplicationRow>(
        `update applications set
           stage = $2::text,
           history = history || jsonb_build_array(
             jsonb_build_object('from', stage, 'to', $2::text, 'at', now(), 'byUserId', $3::text, 'note', $4::text)),
           updated_at = now()
         where id = $1 returning *`,
        [id, to, byUserId, note],
      );
      const application = toApplication(row!);
      await recordApplicationEvent(tx, 'stageChanged', { ...applicationPayload(application), from: current.stage, to });
      return { outcome: 'moved', application };
    });
  }

  withdraw(id: string): Promise<WithdrawResult> {
    return this.db.transaction(async (tx) => {
      const [deleted] = await tx.query<{ id: string; talent_id: string; job_id: string }>(
        'delete from applications where id = $1 and stage <> all($2::text[]) returning id, talent_id, job_id',
        [id, FINAL_STAGES],
      );
      if (deleted) {
        await recordApplicationEvent(tx, 'deleted', { id: deleted.id, talentId: deleted.talent_id, jobId: deleted.job_id });
        return { outcome: 'withdrawn' };
      }
      const [row] = await tx.query<{ stage: ApplicationStage }>('select stage from applications where id = $1', [id]);
      return row ? { outcome: 'final', stage: row.stage } : { outcome: 'not-found' };
    });
  }

  async getMany(ids: readonly string[]): Promise<Application[]> {
    const rows = await this.db.query<ApplicationRow>('select * from applications where id = any($1::uuid[])', [ids]);
    return rows.map(toApplication);
  }

  async list(filter: ApplicationFilter, order: ApplicationOrder, page: Page): Promise<PageOf<Application>> {
    const { rows, totalCount } = await pageOf<ApplicationRow>(this.db, 'applications', applicationWhere(filter), applicationOrderSql(order), page);
    return { rows: rows.map(toApplication), totalCount };
  }

  listByJob(jobIds: readonly string[], filter: ApplicationFilter, order: ApplicationOrder, page: Page): Promise<PageOf<Application>[]> {
    return this.listByParent('job_id', jobIds, filter, order, page);
  }

  listByTalent(talentIds: readonly string[], filter: ApplicationFilter, order: ApplicationOrder, page: Page): Promise<PageOf<Application>[]> {
    return this.listByParent('talent_id', talentIds, filter, order, page);
  }

  private async listByParent(
    column: 'job_id' | 'talent_id',
    parentIds: readonly string[],
    filter: ApplicationFilter,
    order: ApplicationOrder,
    page: Page,
  ): Promise<PageOf<Application>[]> {
    const pages = await pagesByParent<ApplicationRow>(
      this.db,
      'applications',
      column,
      parentIds,
      () => applicationWhere(filter),
      applicationOrderSql(order),
      page,
    );
    return pages.map(({ rows, totalCount }) => ({ rows: rows.map(toApplication), totalCount }));
  }

  async importMany(applications: readonly Application[]): Promise<void> {
    const rows = applications.map((application) => ({
      id: application.id,
      job_id: application.jobId,
      talent_id: application.talentId,
      stage: application.stage,
      history: application.history,
      created_at: application.createdAt,
      updated_at: application.updatedAt,
    }));
    await importRows(
      this.db,
      (tx, payload) =>
        tx.query(
          `insert into applications (id, job_id, talent_id, stage, history, created_at, updated_at)
           select id, job_id, talent_id, stage, history, created_at, updated_at
           from jsonb_to_recordset($1::jsonb) as r(
             id uuid, job_id uuid, talent_id uuid, stage text, history jsonb, created_at timestamptz, updated_at timestamptz)`,
          [payload],
        ),
      rows,
    );
  }

  async count(): Promise<number> {
    const [row] = await this.db.query<{ n: number }>('select count(*)::int as n from applications');
    return row!.n;
  }

  async snapshotPage(afterId: string | null, limit: number): Promise<SnapshotEntry[]> {
    const rows = await this.db.query<ApplicationRow>('select * from applications where $1::uuid is null or id > $1::uuid order by id limit $2', [afterId, limit]);
    return rows.map((row) => ({ id: row.id, payload: applicationPayload(toApplication(row)) }));
  }
}

function json(value: unknown): string | null {
  return value == null ? null : JSON.stringify(value);
}
