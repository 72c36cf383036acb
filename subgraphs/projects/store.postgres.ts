import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { recordEvent, type SnapshotEntry } from '../../platform/events/index.ts';
import { groupByKey } from '../../platform/loaders.ts';
import type { Page } from '../../platform/pagination.ts';
import { SqlFilter, containing } from '../../platform/sql.ts';
import {
  DatesOutOfOrderError,
  type MemberChange,
  type NewProject,
  type NewProjectMember,
  type Project,
  type ProjectFields,
  type ProjectFilter,
  type ProjectMember,
  type ProjectOrder,
  type ProjectPage,
  type ProjectStore,
} from './store.ts';

interface Row {
  id: string;
  name: string;
  description: string | null;
  company_id: string | null;
  status: Project['status'];
  start_date: string | null;
  end_date: string | null;
  skill_ids: string[];
  created_at: Date;
  updated_at: Date;
}

interface MemberRow {
  project_id: string;
  talent_id: string;
  role: string;
  joined_at: Date;
}

const toProject = (row: Row): Project => ({
  id: row.id,
  name: row.name,
  description: row.description,
  companyId: row.company_id,
  status: row.status,
  startDate: row.start_date,
  endDate: row.end_date,
  skillIds: row.skill_ids,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toMember = (row: MemberRow): ProjectMember => ({
  projectId: row.project_id,
  talentId: row.talent_id,
  role: row.role,
  joinedAt: row.joined_at,
});

const ORDER_COLUMNS = { NAME: 'lower(p.name)', CREATED_AT: 'p.created_at', START_DATE: 'p.start_date' } as const;

/** `order by` text for a project order; undated projects sort last either way, ids break ties. */
function orderBy(order: ProjectOrder): string {
  return `${ORDER_COLUMNS[order.field]} ${order.direction === 'DESC' ? 'desc' : 'asc'} nulls last, p.id`;
}

/** The filter's conditions on `projects p`, appended to `where`. */
function filterProjects(filter: ProjectFilter, where: SqlFilter = new SqlFilter()): SqlFilter {
  if (filter.nameContains) where.add('p.name ilike $?', containing(filter.nameContains));
  if (filter.companyId) where.add('p.company_id = $?::uuid', filter.companyId);
  if (filter.status?.length) where.add('p.status = any($?::text[])', filter.status);
  if (filter.skillId) where.add('p.skill_ids @> array[$?::text]', filter.skillId);
  if (filter.talentId) {
    where.add('exists (select 1 from project_members m where m.project_id = p.id and m.talent_id = $?::uuid)', filter.talentId);
  }
  return where;
}

const PROJECT_COLUMNS = 'id, name, description, company_id, status, start_date, end_date, skill_ids';
const PROJECT_CASTS = ['uuid', 'text', 'text', 'uuid', 'text', 'text', 'text', 'text[]'];
const MEMBER_CASTS = ['uuid', 'uuid', 'text'];
/** Rows per multi-row insert, far below PostgreSQL's 65,535 parameters per statement. */
const INSERT_CHUNK = 500;

/** `($1::uuid, $2::text), ($3::uuid, $4::text)` for `rows` rows of these column casts. */
function valuesList(rows: number, casts: readonly string[]): string {
  return Array.from({ length: rows }, (_, row) => `(${casts.map((cast, column) => `$${row * casts.length + column + 1}::${cast}`).join(', ')})`).join(', ');
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

async function insertProjects(tx: Queryable, projects: readonly (ProjectFields & { id: string })[]): Promise<Project[]> {
  const inserted: Project[] = [];
  for (const chunk of chunks(projects, INSERT_CHUNK)) {
    const rows = await tx.query<Row>(
      `insert into projects (${PROJECT_COLUMNS}) values ${valuesList(chunk.length, PROJECT_CASTS)} returning *`,
      chunk.flatMap((p) => [p.id, p.name, p.description, p.companyId, p.status, p.startDate, p.endDate, p.skillIds]),
    );
    inserted.push(...rows.map(toProject));
  }
  return inserted;
}

async function insertMembers(tx: Queryable, members: readonly (NewProjectMember & { projectId: string })[]): Promise<void> {
  for (const chunk of chunks(members, INSERT_CHUNK)) {
    await tx.query(
      `insert into project_members (project_id, talent_id, role) values ${valuesList(chunk.length, MEMBER_CASTS)}`,
      chunk.flatMap((m) => [m.projectId, m.talentId, m.role]),
    );
  }
}

/** The team as the events carry it: the project id is the event's aggregate id already. */
type EventMember = Omit<ProjectMember, 'projectId'>;

/**
 * The teams of these projects, in `projectIds` order, each in joining order, from one statement.
 * The ids must be spelled as PostgreSQL returns them (read from a row), since they are matched as text.
 */
async function teamsOf(db: Queryable, projectIds: readonly string[]): Promise<EventMember[][]> {
  const rows = await db.query<MemberRow>('select * from project_members where project_id = any($1::uuid[]) order by joined_at, seq', [projectIds]);
  return groupByKey(projectIds, rows, (row) => row.project_id).map((team) =>
    team.map(({ talent_id, role, joined_at }) => ({ talentId: talent_id, role, joinedAt: joined_at })),
  );
}

const teamOf = async (tx: Queryable, projectId: string): Promise<EventMember[]> => (await teamsOf(tx, [projectId]))[0]!;

/** A project and its whole team as its events and the snapshot carry them: one function, so a rebuild equals the live stream. */
const projectPayload = (project: Project, members: EventMember[]) => ({ ...project, members });

/**
 * Records `project.<change>` with the project and its whole team as they are after the change,
 * so a consumer can replace its copy whatever the change was. `detail` says what a team change did.
 */
async function recordProjectEvent(
  tx: Queryable,
  change: 'created' | 'updated' | 'membersChanged',
  project: Project,
  detail: Record<string, unknown> = {},
): Promise<void> {
  const payload = { ...projectPayload(project, await teamOf(tx, project.id)), ...detail };
  await recordEvent(tx, { type: `project.${change}`, aggregate: { type: 'Project', id: project.id }, payload });
}

/** ProjectStore on PostgreSQL: PGlite by default, a real server when DATABASE_URL is set. */
export class PostgresProjectStore implements ProjectStore {
  constructor(private readonly db: Db) {}

  async create(fields: ProjectFields, members: NewProjectMember[], id: string = randomUUID()): Promise<Project> {
    return this.db.transaction(async (tx) => {
      const [project] = await insertProjects(tx, [{ ...fields, id }]);
      await insertMembers(tx, members.map((member) => ({ ...member, projectId: id })));
      await recordProjectEvent(tx, 'created', project!);
      return project!;
    });
  }

  /** Bulk loading records no events: a reindex rebuilds whatever derives from the projects. */
  async createMany(projects: NewProject[]): Promise<void> {
    if (projects.length === 0) return;
    await this.db.transaction(async (tx) => {
      await insertProjects(tx, projects);
      await insertMembers(tx, projects.flatMap((p) => p.members.map((member) => ({ ...member, projectId: p.id }))));
    });
  }

  async update(id: string, fields: Partial<ProjectFields>): Promise<Project | null> {
    return datesInOrder(() => this.db.transaction(async (tx) => {
      const [row] = await tx.query<Row>(
        `update projects set
           name = coalesce($2, name),
           description = case when $3::boolean then $4 else description end,
           company_id = case when $5::boolean then $6::uuid else company_id end,
           status = coalesce($7, status),
           start_date = case when $8::boolean then $9 else start_date end,
           end_date = case when $10::boolean then $11 else end_date end,
           skill_ids = coalesce($12::text[], skill_ids),
           updated_at = now()
         where id = $1 returning *`,
        [
          id,
          fields.name ?? null,
          'description' in fields, fields.description ?? null,
          'companyId' in fields, fields.companyId ?? null,
          fields.status ?? null,
          'startDate' in fields, fields.startDate ?? null,
          'endDate' in fields, fields.endDate ?? null,
          fields.skillIds ?? null,
        ],
      );
      if (!row) return null;
      const project = toProject(row);
      await recordProjectEvent(tx, 'updated', project);
      return project;
    }));
  }

  async delete(id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      // Locked first, so no member joins between reading the team and the cascade deleting it.
      const [project] = await tx.query<Pick<Row, 'id' | 'company_id' | 'skill_ids'>>('select id, company_id, skill_ids from projects where id = $1 for update', [id]);
      if (!project) return false;
      const team = await teamOf(tx, project.id);
      await tx.query('delete from projects where id = $1', [id]);
      // The ids a consumer needs to unlink the project from companies, talents and skills.
      const payload = { id, companyId: project.company_id, talentIds: team.map((member) => member.talentId), skillIds: project.skill_ids };
      await recordEvent(tx, { type: 'project.deleted', aggregate: { type: 'Project', id }, payload });
      return true;
    });
  }

  async getMany(ids: readonly string[]): Promise<Project[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.query<Row>('select * from projects where id = any($1::uuid[])', [ids]);
    return rows.map(toProject);
  }

  async list(filter: ProjectFilter, order: ProjectOrder, page: Page): Promise<ProjectPage> {
    const where = filterProjects(filter);
    // The total in a subquery run once: `count(*) over ()` would read and sort every matching row for a page (issue 11, growth).
    const rows = await this.db.query<Row & { total: number }>(
      `select p.*, (select count(*)::int from projects p ${where.sql()}) as total from projects p ${where.sql()}
       order by ${orderBy(order)}
       limit ${page.limit} offset ${page.offset}`,
      where.params,
    );
    // No row means no match, or an empty page (`first: 0`, or past the end) whose total needs counting.
    const totalCount = rows[0]?.total ?? (page.offset > 0 || page.limit === 0 ? await this.countWhere(where) : 0);
    return { rows: rows.map(toProject), totalCount };
  }

  private async countWhere(where: SqlFilter): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(`select count(*)::int as n from projects p ${where.sql()}`, where.params);
    return row!.n;
  }

  async listForCompanies(companyIds: readonly string[], filter: ProjectFilter, order: ProjectOrder, page: Page): Promise<ProjectPage[]> {
    if (companyIds.length === 0) return [];
    const where = filterProjects(filter, new SqlFilter().add('p.company_id = any($?::uuid[])', companyIds));
    // Each company's first row always comes back, so a page past the end still knows its total.
    const rows = await this.db.query<Row & { place: number; total: number }>(
      `select * from (
         select p.*,
                (row_number() over (partition by p.company_id order by ${orderBy(order)}))::int as place,
                (count(*) over (partition by p.company_id))::int as total
         from projects p ${where.sql()}
       ) ranked
       where place = 1 or place between ${page.offset + 1} and ${page.offset + page.limit}
       order by place`,
      where.params,
    );
    const pages = new Map<string, ProjectPage>(companyIds.map((id) => [id, { rows: [], totalCount: 0 }]));
    for (const row of rows) {
      const companyPage = pages.get(row.company_id!);
      if (!companyPage) continue;
      companyPage.totalCount = row.total;
      if (row.place > page.offset && row.place <= page.offset + page.limit) companyPage.rows.push(toProject(row));
    }
    return companyIds.map((id) => pages.get(id)!);
  }

  async listForTalents(talentIds: readonly string[]): Promise<{ talentId: string; project: Project }[]> {
    if (talentIds.length === 0) return [];
    const rows = await this.db.query<Row & { member_talent_id: string }>(
      `select p.*, m.talent_id as member_talent_id
       from project_members m join projects p on p.id = m.project_id
       where m.talent_id = any($1::uuid[])
       order by p.start_date desc nulls last, lower(p.name), p.id`,
      [talentIds],
    );
    return rows.map((row) => ({ talentId: row.member_talent_id, project: toProject(row) }));
  }

  async membersOf(projectIds: readonly string[]): Promise<ProjectMember[]> {
    if (projectIds.length === 0) return [];
    const rows = await this.db.query<MemberRow>(
      'select * from project_members where project_id = any($1::uuid[]) order by joined_at, seq',
      [projectIds],
    );
    return rows.map(toMember);
  }

  async addMember(projectId: string, member: NewProjectMember): Promise<MemberChange> {
    return this.db.transaction(async (tx) => {
      // Locking the project row orders concurrent changes to one team.
      const [locked] = await tx.query('select id from projects where id = $1 for update', [projectId]);
      if (!locked) return { ok: false, reason: 'PROJECT_NOT_FOUND' } as const;
      const added = await tx.query(
        `insert into project_members (project_id, talent_id, role) values ($1, $2, $3)
         on conflict (project_id, talent_id) do nothing returning talent_id`,
        [projectId, member.talentId, member.role],
      );
      if (added.length === 0) return { ok: false, reason: 'ALREADY_MEMBER' } as const;
      const project = await touch(tx, projectId);
      await recordProjectEvent(tx, 'membersChanged', project, { added: [{ talentId: member.talentId, role: member.role }], removed: [] });
      return { ok: true, project } as const;
    });
  }

  async removeMember(projectId: string, talentId: string): Promise<MemberChange> {
    return this.db.transaction(async (tx) => {
      const [locked] = await tx.query('select id from projects where id = $1 for update', [projectId]);
      if (!locked) return { ok: false, reason: 'PROJECT_NOT_FOUND' } as const;
      const removed = await tx.query<Pick<MemberRow, 'role'>>(
        'delete from project_members where project_id = $1 and talent_id = $2 returning role',
        [projectId, talentId],
      );
      if (removed.length === 0) return { ok: false, reason: 'NOT_A_MEMBER' } as const;
      const project = await touch(tx, projectId);
      await recordProjectEvent(tx, 'membersChanged', project, { added: [], removed: [{ talentId, role: removed[0]!.role }] });
      return { ok: true, project } as const;
    });
  }

  async count(): Promise<number> {
    const [row] = await this.db.query<{ n: number }>('select count(*)::int as n from projects');
    return row!.n;
  }

  async countMembers(): Promise<number> {
    const [row] = await this.db.query<{ n: number }>('select count(*)::int as n from project_members');
    return row!.n;
  }

  /** The page's projects, then all their teams in one more statement. */
  async snapshotPage(afterId: string | null, limit: number): Promise<SnapshotEntry[]> {
    const rows = await this.db.query<Row>('select * from projects where $1::uuid is null or id > $1::uuid order by id limit $2', [afterId, limit]);
    if (rows.length === 0) return [];
    const teams = await teamsOf(this.db, rows.map((row) => row.id));
    return rows.map((row, index) => ({ id: row.id, payload: projectPayload(toProject(row), teams[index]!) }));
  }
}

/** Turns a violation of projects_dates_in_order into a domain error. */
async function datesInOrder<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code === '23514' && constraint === 'projects_dates_in_order') throw new DatesOutOfOrderError();
    throw error;
  }
}

/** A team change is a change to the project: bump updated_at and return the project. */
async function touch(tx: Queryable, projectId: string): Promise<Project> {
  const [row] = await tx.query<Row>('update projects set updated_at = now() where id = $1 returning *', [projectId]);
  return toProject(row!);
}
