import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { recordEvent, type SnapshotEntry } from '../../platform/events/index.ts';
import type { Page } from '../../platform/pagination.ts';
import { SqlFilter, containing } from '../../platform/sql.ts';
import type { Company, CompanyFields, CompanyFilter, CompanyOrder, CompanyStore } from './store.ts';

interface Row {
  id: string;
  name: string;
  industry: string | null;
  size: Company['size'];
  website: string | null;
  location: Company['location'];
  description: string | null;
  created_at: Date;
  updated_at: Date;
}

const toCompany = (row: Row): Company => ({
  id: row.id,
  name: row.name,
  industry: row.industry,
  size: row.size,
  website: row.website,
  location: row.location,
  description: row.description,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** A company as its events and the snapshot carry it: one function, so a rebuild equals the live stream. */
const companyPayload = (company: Company) => ({ ...company });

/** Rows per bulk insert: large enough to be fast, small enough to keep one parameter modest. */
const IMPORT_CHUNK = 1000;

const ORDER_COLUMNS = { NAME: 'lower(name)', CREATED_AT: 'created_at' } as const;

/** CompanyStore on PostgreSQL: PGlite by default, a real server when DATABASE_URL is set. */
export class PostgresCompanyStore implements CompanyStore {
  constructor(private readonly db: Db) {}

  /** Runs one write and records its event in the same transaction: both commit, or neither. */
  private async write(change: 'created' | 'updated', statement: (tx: Queryable) => Promise<Row[]>): Promise<Company | null> {
    return this.db.transaction(async (tx) => {
      const [row] = await statement(tx);
      if (!row) return null;
      const company = toCompany(row);
      await recordEvent(tx, { type: `company.${change}`, aggregate: { type: 'Company', id: company.id }, payload: companyPayload(company) });
      return company;
    });
  }

  async create(fields: CompanyFields, id: string = randomUUID()): Promise<Company> {
    const created = await this.write('created', (tx) =>
      tx.query<Row>(
        `insert into companies (id, name, industry, size, website, location, description)
         values ($1, $2, $3, $4, $5, $6::jsonb, $7) returning *`,
        [id, fields.name, fields.industry, fields.size, fields.website, json(fields.location), fields.description],
      ),
    );
    return created!;
  }

  async importMany(companies: readonly (CompanyFields & { id: string })[]): Promise<void> {
    const rows = companies.map(({ id, name, industry, size, website, location, description }, n) => ({ id, name, industry, size, website, location, description, n }));
    await this.db.transaction(async (tx) => {
      for (let start = 0; start < rows.length; start += IMPORT_CHUNK) {
        // One microsecond apart, in list order: CREATED_AT orders them as listed, as one-by-one creates would.
        await tx.query(
          `insert into companies (id, name, industry, size, website, location, description, created_at, updated_at)
           select c.id, c.name, c.industry, c.size, c.website, c.location, c.description,
                  now() + c.n * interval '1 microsecond', now() + c.n * interval '1 microsecond'
           from jsonb_to_recordset($1::jsonb) as c(id uuid, name text, industry text, size text, website text, location jsonb, description text, n int)`,
          [JSON.stringify(rows.slice(start, start + IMPORT_CHUNK))],
        );
      }
    });
  }

  async update(id: string, fields: Partial<CompanyFields>): Promise<Company | null> {
    return this.write('updated', (tx) => tx.query<Row>(
      `update companies set
         name = coalesce($2, name),
         industry = case when $3::boolean then $4 else industry end,
         size = case when $5::boolean then $6 else size end,
         website = case when $7::boolean then $8 else website end,
         location = case when $9::boolean then $10::jsonb else location end,
         description = case when $11::boolean then $12 else description end,
         updated_at = now()
       where id = $1 returning *`,
      [
        id,
        fields.name ?? null,
        'industry' in fields, fields.industry ?? null,
        'size' in fields, fields.size ?? null,
        'website' in fields, fields.website ?? null,
        'location' in fields, json(fields.location ?? null),
        'description' in fields, fields.description ?? null,
      ],
    ));
  }

  async delete(id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const deleted = await tx.query('delete from companies where id = $1 returning id', [id]);
      if (deleted.length) await recordEvent(tx, { type: 'company.deleted', aggregate: { type: 'Company', id }, payload: { id } });
      return deleted.length > 0;
    });
  }

  async getMany(ids: readonly string[]): Promise<Company[]> {
    const rows = await this.db.query<Row>('select * from companies where id = any($1::uuid[])', [ids]);
    return rows.map(toCompany);
  }

  async list(filter: CompanyFilter, order: CompanyOrder, page: Page) {
    const where = new SqlFilter();
    if (filter.nameContains) where.add('name ilike $?', containing(filter.nameContains));
    if (filter.industry) where.add('lower(industry) = lower($?)', filter.industry);
    if (filter.size?.length) where.add('size = any($?::text[])', filter.size);
    if (filter.country) where.add(`lower(location->>'country') = lower($?)`, filter.country);
    const direction = order.direction === 'DESC' ? 'desc' : 'asc';
    // The total in a subquery run once: `count(*) over ()` would read and sort every matching row for a page (issue 11, growth).
    const rows = await this.db.query<Row & { total: number }>(
      `select *, (select count(*)::int from companies ${where.sql()}) as total from companies ${where.sql()}
       order by ${ORDER_COLUMNS[order.field]} ${direction}, id
       limit ${page.limit} offset ${page.offset}`,
      where.params,
    );
    // No row can mean an empty result or an empty page (`first: 0`, or past the end): only the first is 0 for sure.
    const totalCount = rows[0]?.total ?? (page.offset > 0 || page.limit === 0 ? await this.countWhere(where) : 0);
    return { rows: rows.map(toCompany), totalCount };
  }

  private async countWhere(where: SqlFilter): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(`select count(*)::int as n from companies ${where.sql()}`, where.params);
    return row!.n;
  }

  async count(): Promise<number> {
    const [row] = await this.db.query<{ n: number }>('select count(*)::int as n from companies');
    return row!.n;
  }

  async snapshotPage(afterId: string | null, limit: number): Promise<SnapshotEntry[]> {
    const rows = await this.db.query<Row>('select * from companies where $1::uuid is null or id > $1::uuid order by id limit $2', [afterId, limit]);
    return rows.map((row) => ({ id: row.id, payload: companyPayload(toCompany(row)) }));
  }
}

function json(value: unknown): string | null {
  return value == null ? null : JSON.stringify(value);
}
