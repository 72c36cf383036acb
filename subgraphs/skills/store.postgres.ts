import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { recordEvent, type SnapshotEntry } from '../../platform/events/index.ts';
import type { Page } from '../../platform/pagination.ts';
import { SqlFilter, containing } from '../../platform/sql.ts';
import { distinctAliases, normalizeSkillKey } from './normalize.ts';
import {
  AliasNotFoundError,
  SkillKeyConflictError,
  UnknownSkillsError,
  type Skill,
  type SkillFields,
  type SkillFilter,
  type SkillOrder,
  type SkillStore,
} from './store.ts';

interface Row {
  id: string;
  name: string;
  category: Skill['category'];
  aliases: string[];
  description: string | null;
  created_at: Date;
  updated_at: Date;
}

const toSkill = (row: Row): Skill => ({
  id: row.id,
  name: row.name,
  category: row.category,
  aliases: row.aliases,
  description: row.description,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** A skill's columns and its related ids (in id order) from `skills s`, as its events and the snapshot need them. */
const WITH_RELATED_IDS = 's.*, array(select r.related_id::text from skill_relations r where r.skill_id = s.id order by r.related_id) as related_ids';
type RowWithRelated = Row & { related_ids: string[] };

/** A skill as its events and the snapshot carry it: one function, so a rebuild equals the live stream. */
function skillPayload(row: RowWithRelated) {
  const { id, name, category, aliases, description, createdAt, updatedAt } = toSkill(row);
  return { id, name, category, aliases, description, relatedIds: row.related_ids, createdAt, updatedAt };
}

const ORDER_COLUMNS = { NAME: ['lower(name)'], CATEGORY: ['category', 'lower(name)'] } as const;

/** SkillStore on PostgreSQL: PGlite by default, a real server when DATABASE_URL is set. */
export class PostgresSkillStore implements SkillStore {
  constructor(private readonly db: Db) {}

  create(fields: SkillFields, id: string = randomUUID()): Promise<Skill> {
    const aliases = distinctAliases(fields.name, fields.aliases);
    return this.guardKeys(() =>
      this.db.transaction(async (tx) => {
        // The relation is symmetric, so the related skills change too: lock them as every relation write does.
        await lockSkills(tx, fields.relatedIds);
        await claimKeys(tx, id, fields.name, aliases, { replace: false });
        await tx.query(
          `insert into skills (id, name, category, aliases, description) values ($1, $2, $3, $4::text[], $5)`,
          [id, fields.name, fields.category, aliases, fields.description],
        );
        // Keys reference the row, so they follow it (the conflict check above ran first).
        await insertKeys(tx, id, fields.name, aliases);
        await setRelations(tx, id, fields.relatedIds, { replace: false });
        const [created] = await recordChanges(tx, 'created', [id]);
        await recordChanges(tx, 'updated', await relatedIdsOf(tx, id), { touch: true });
        return created!;
      }),
    );
  }

  async createMany(skills: (SkillFields & { id: string })[]): Promise<number> {
    const skillRows = skills.map((skill) => ({
      id: skill.id,
      name: skill.name,
      category: skill.category,
      aliases: distinctAliases(skill.name, skill.aliases),
      description: skill.description,
    }));
    const ownerByKey = new Map<string, string>();
    const keyRows: { key: string; skill_id: string }[] = [];
    for (const skill of skillRows) {
      for (const spelling of [skill.name, ...skill.aliases]) {
        const key = normalizeSkillKey(spelling);
        const owner = ownerByKey.get(key);
        if (owner !== undefined) throw new SkillKeyConflictError(spelling, owner);
        ownerByKey.set(key, skill.name);
        keyRows.push({ key, skill_id: skill.id });
      }
    }
    const seenPairs = new Set<string>();
    const relationRows: { skill_id: string; related_id: string }[] = [];
    for (const skill of skills) {
      for (const relatedId of skill.relatedIds) {
        if (relatedId === skill.id) continue;
        for (const [a, b] of [[skill.id, relatedId], [relatedId, skill.id]] as const) {
          if (seenPairs.has(`${a}|${b}`)) continue;
          seenPairs.add(`${a}|${b}`);
          relationRows.push({ skill_id: a, related_id: b });
        }
      }
    }
    // One multi-row statement per table: hundreds of skills load in a few statements.
    await this.guardKeys(() =>
      this.db.transaction(async (tx) => {
        await tx.query(
          `insert into skills (id, name, category, aliases, description)
           select id, name, category, aliases, description
           from jsonb_to_recordset($1::jsonb) as x(id uuid, name text, category text, aliases text[], description text)`,
          [JSON.stringify(skillRows)],
        );
        await tx.query(
          `insert into skill_keys (key, skill_id)
           select key, skill_id from jsonb_to_recordset($1::jsonb) as x(key text, skill_id uuid)`,
          [JSON.stringify(keyRows)],
        );
        if (relationRows.length) {
          await tx.query(
            `insert into skill_relations (skill_id, related_id)
             select skill_id, related_id from jsonb_to_recordset($1::jsonb) as x(skill_id uuid, related_id uuid)
             on conflict do nothing`,
            [JSON.stringify(relationRows)],
          );
        }
      }),
    );
    return skills.length;
  }

  update(id: string, fields: Partial<SkillFields>): Promise<Skill | null> {
    return this.guardKeys(() =>
      this.db.transaction(async (tx) => {
        // Replacing the relations also changes the skills that gain or lose one: lock those too.
        const locked = fields.relatedIds ? await lockWithRelated(tx, id, fields.relatedIds) : await lockSkill(tx, id).then((skill) => skill && { skill, relatedIds: [] });
        if (!locked) return null;
        const current = locked.skill;
        const name = fields.name ?? current.name;
        const aliases = distinctAliases(name, fields.aliases ?? current.aliases);
        if (name !== current.name || !sameList(aliases, current.aliases)) {
          await claimKeys(tx, id, name, aliases, { replace: true });
          await insertKeys(tx, id, name, aliases);
        }
        await tx.query(
          `update skills set name = $2, category = $3, aliases = $4::text[],
             description = case when $5::boolean then $6 else description end, updated_at = now()
           where id = $1`,
          [id, name, fields.category ?? current.category, aliases, 'description' in fields, fields.description ?? null],
        );
        if (fields.relatedIds) await setRelations(tx, id, fields.relatedIds, { replace: true });
        const [updated] = await recordChanges(tx, 'updated', [id]);
        if (fields.relatedIds) {
          const before = new Set(locked.relatedIds);
          const after = new Set(await relatedIdsOf(tx, id));
          const gainedOrLost = [...after].filter((other) => !before.has(other)).concat([...before].filter((other) => !after.has(other)));
          await recordChanges(tx, 'updated', gainedOrLost.sort(), { touch: true });
        }
        return updated!;
      }),
    );
  }

  addAliases(id: string, added: string[]): Promise<Skill | null> {
    return this.guardKeys(() =>
      this.db.transaction(async (tx) => {
        const current = await lockSkill(tx, id);
        if (!current) return null;
        const aliases = distinctAliases(current.name, [...current.aliases, ...added]);
        // Nothing new: nothing written, no event.
        if (sameList(aliases, current.aliases)) return current;
        await claimKeys(tx, id, current.name, aliases, { replace: true });
        await insertKeys(tx, id, current.name, aliases);
        return saveAliases(tx, id, aliases);
      }),
    );
  }

  removeAlias(id: string, alias: string): Promise<Skill | null> {
    return this.db.transaction(async (tx) => {
      const current = await lockSkill(tx, id);
      if (!current) return null;
      const key = normalizeSkillKey(alias);
      const aliases = current.aliases.filter((existing) => normalizeSkillKey(existing) !== key);
      if (aliases.length === current.aliases.length) throw new AliasNotFoundError(alias);
      await tx.query('delete from skill_keys where key = $1 and skill_id = $2', [key, id]);
      return saveAliases(tx, id, aliases);
    });
  }

  relate(id: string, relatedId: string): Promise<Skill | null> {
    return this.db.transaction(async (tx) => {
      const current = await lockSkill(tx, id, [relatedId]);
      if (!current) return null;
      await requireSkills(tx, [relatedId]);
      const inserted = await tx.query(
        `insert into skill_relations (skill_id, related_id) values ($1, $2), ($2, $1) on conflict do nothing returning skill_id`,
        [id, relatedId],
      );
      // Already related: nothing changed, no event.
      if (!inserted.length) return current;
      const [skill] = await recordChanges(tx, 'updated', [id, relatedId], { touch: true });
      return skill!;
    });
  }

  unrelate(id: string, relatedId: string): Promise<Skill | null> {
    return this.db.transaction(async (tx) => {
      const current = await lockSkill(tx, id, [relatedId]);
      if (!current) return null;
      await requireSkills(tx, [relatedId]);
      const deleted = await tx.query(
        `delete from skill_relations where (skill_id = $1 and related_id = $2) or (skill_id = $2 and related_id = $1) returning skill_id`,
        [id, relatedId],
      );
      if (!deleted.length) return current;
      const [skill] = await recordChanges(tx, 'updated', [id, relatedId], { touch: true });
      return skill!;
    });
  }

  /** The skills that lose their relation to the deleted one are updated first, then the deletion is recorded. */
  async delete(id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const locked = await lockWithRelated(tx, id, []);
      if (!locked) return false;
      await tx.query('delete from skills where id = $1', [id]);
      await recordChanges(tx, 'updated', locked.relatedIds, { touch: true });
      await recordEvent(tx, { type: 'skill.deleted', aggregate: { type: 'Skill', id }, payload: { id } });
      return true;
    });
  }

  async getMany(ids: readonly string[]): Promise<Skill[]> {
    const rows = await this.db.query<Row>('select * from skills where id = any($1::uuid[])', [ids]);
    return rows.map(toSkill);
  }

  async findByKeys(keys: readonly string[]): Promise<{ key: string; skill: Skill }[]> {
    const rows = await this.db.query<Row & { key: string }>(
      `select k.key, s.* from skill_keys k join skills s on s.id = k.skill_id where k.key = any($1::text[])`,
      [keys],
    );
    return rows.map((row) => ({ key: row.key, skill: toSkill(row) }));
  }

  async relatedOf(ids: readonly string[]): Promise<{ skillId: string; related: Skill }[]> {
    const rows = await this.db.query<Row & { parent_id: string }>(
      `select r.skill_id as parent_id, s.* from skill_relations r join skills s on s.id = r.related_id
       where r.skill_id = any($1::uuid[]) order by lower(s.name), s.id`,
      [ids],
    );
    return rows.map((row) => ({ skillId: row.parent_id, related: toSkill(row) }));
  }

  async list(filter: SkillFilter, order: SkillOrder, page: Page) {
    const where = new SqlFilter();
    if (filter.category?.length) where.add('category = any($?::text[])', filter.category);
    const search = filter.search?.trim();
    if (search) {
      where.add(
        'name ilike $? or exists (select 1 from unnest(aliases) as alias where alias ilike $?)',
        containing(search),
        containing(search),
      );
    }
    const direction = order.direction === 'DESC' ? 'desc' : 'asc';
    // The direction applies to the chosen field; ties fall back to name then id, ascending.
    const [primary, ...ties] = ORDER_COLUMNS[order.field];
    const orderBy = [`${primary} ${direction}`, ...ties, 'lower(name)', 'id'].join(', ');
    // The total in a subquery run once: `count(*) over ()` would read and sort every matching row for a page (issue 11, growth).
    const rows = await this.db.query<Row & { total: number }>(
      `select *, (select count(*)::int from skills ${where.sql()}) as total from skills ${where.sql()}
       order by ${orderBy} limit ${page.limit} offset ${page.offset}`,
      where.params,
    );
    // No row can mean an empty result or an empty page (`first: 0`, or past the end): only the first is 0 for sure.
    const totalCount = rows[0]?.total ?? (page.offset > 0 || page.limit === 0 ? await this.countWhere(where) : 0);
    return { rows: rows.map(toSkill), totalCount };
  }

  private async countWhere(where: SqlFilter): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(`select count(*)::int as n from skills ${where.sql()}`, where.params);
    return row!.n;
  }

  async count(): Promise<number> {
    const [row] = await this.db.query<{ n: number }>('select count(*)::int as n from skills');
    return row!.n;
  }

  async snapshotPage(afterId: string | null, limit: number): Promise<SnapshotEntry[]> {
    const rows = await this.db.query<RowWithRelated>(
      `select ${WITH_RELATED_IDS} from skills s where $1::uuid is null or s.id > $1::uuid order by s.id limit $2`,
      [afterId, limit],
    );
    return rows.map((row) => ({ id: row.id, payload: skillPayload(row) }));
  }

  /** A concurrent writer can take a key between our check and our insert: report it the same way. */
  private async guardKeys<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const pgError = error as { code?: string; constraint?: string; detail?: string };
      if (pgError.code === '23505' && pgError.constraint === 'skill_keys_pkey') {
        const key = /\(key\)=\((.*)\)/.exec(pgError.detail ?? '')?.[1] ?? 'a name or alias';
        throw new SkillKeyConflictError(key, null);
      }
      throw error;
    }
  }
}

/**
 * Serialises writers of a skill and of the skills a write relates it to: all are locked at once,
 * in id order, so two writes relating A to B and B to A queue up instead of deadlocking. `for no
 * key update`, not `for update`: the id never changes, and the stronger lock would conflict with
 * the key-share locks that relating to a skill takes.
 */
async function lockSkill(tx: Queryable, id: string, alsoLock: readonly string[] = []): Promise<Skill | null> {
  const row = (await lockSkills(tx, [id, ...alsoLock])).find((candidate) => candidate.id === id);
  return row ? toSkill(row) : null;
}

async function lockSkills(tx: Queryable, ids: readonly string[]): Promise<Row[]> {
  if (!ids.length) return [];
  return tx.query<Row>('select * from skills where id = any($1::uuid[]) order by id for no key update', [[...new Set(ids)].sort()]);
}

/**
 * Locks the skill, `alsoLock` and every skill related to it, returning the skill and its related
 * ids. Every write that changes a relation locks both its skills, so once this skill is locked its
 * relations hold still: a second pass only locks a relation committed between the read and the lock.
 */
async function lockWithRelated(tx: Queryable, id: string, alsoLock: readonly string[] = []): Promise<{ skill: Skill; relatedIds: string[] } | null> {
  const locked = new Set<string>();
  let toLock = [id, ...alsoLock, ...(await relatedIdsOf(tx, id))];
  for (;;) {
    const skill = await lockSkill(tx, id, toLock);
    if (!skill) return null;
    for (const lockedId of toLock) locked.add(lockedId);
    const relatedIds = await relatedIdsOf(tx, id);
    toLock = relatedIds.filter((relatedId) => !locked.has(relatedId));
    if (!toLock.length) return { skill, relatedIds };
  }
}

/** In id order, so events listing them are deterministic. */
async function relatedIdsOf(tx: Queryable, id: string): Promise<string[]> {
  const rows = await tx.query<{ related_id: string }>('select related_id from skill_relations where skill_id = $1 order by related_id', [id]);
  return rows.map((row) => row.related_id);
}

/** Fails when any key of `name`/`aliases` belongs to another skill; with `replace`, drops this skill's own keys. */
async function claimKeys(tx: Queryable, id: string, name: string, aliases: string[], { replace }: { replace: boolean }) {
  const spellings = [name, ...aliases];
  const keys = spellings.map(normalizeSkillKey);
  const [taken] = await tx.query<{ key: string; name: string }>(
    `select k.key, s.name from skill_keys k join skills s on s.id = k.skill_id
     where k.key = any($1::text[]) and k.skill_id <> $2 order by k.key limit 1`,
    [keys, id],
  );
  if (taken) throw new SkillKeyConflictError(spellings[keys.indexOf(taken.key)]!, taken.name);
  if (replace) await tx.query('delete from skill_keys where skill_id = $1', [id]);
}

async function insertKeys(tx: Queryable, id: string, name: string, aliases: string[]) {
  const keys = [name, ...aliases].map(normalizeSkillKey);
  await tx.query('insert into skill_keys (key, skill_id) select key, $2::uuid from unnest($1::text[]) as key', [keys, id]);
}

async function setRelations(tx: Queryable, id: string, relatedIds: string[], { replace }: { replace: boolean }) {
  const wanted = [...new Set(relatedIds)].filter((relatedId) => relatedId !== id);
  if (replace) await tx.query('delete from skill_relations where skill_id = $1 or related_id = $1', [id]);
  if (!wanted.length) return;
  await requireSkills(tx, wanted);
  // A concurrent write relating the same pair (e.g. B's update listing A) may insert the same rows first.
  await tx.query(
    `insert into skill_relations (skill_id, related_id)
     select $1::uuid, related from unnest($2::uuid[]) as related
     union all select related, $1::uuid from unnest($2::uuid[]) as related
     on conflict do nothing`,
    [id, wanted],
  );
}

/**
 * UnknownSkillsError unless every id is a skill. `for key share` keeps them until commit: a
 * concurrent delete waits, so relating to them cannot fail on a row that vanished meanwhile.
 */
async function requireSkills(tx: Queryable, ids: string[]): Promise<void> {
  const found = await tx.query<{ id: string }>('select id from skills where id = any($1::uuid[]) for key share', [ids]);
  const foundIds = new Set(found.map((row) => row.id));
  const missing = ids.filter((relatedId) => !foundIds.has(relatedId));
  if (missing.length) throw new UnknownSkillsError(missing);
}

async function saveAliases(tx: Queryable, id: string, aliases: string[]): Promise<Skill> {
  await tx.query('update skills set aliases = $2::text[], updated_at = now() where id = $1', [id, aliases]);
  const [saved] = await recordChanges(tx, 'updated', [id]);
  return saved!;
}

/**
 * Records `skill.<change>` for each skill, in the order given, with the skill as it now is and its
 * related ids; `touch` first marks them updated (a relation gained or lost is a change of both skills).
 */
async function recordChanges(tx: Queryable, change: 'created' | 'updated', ids: readonly string[], { touch = false } = {}): Promise<Skill[]> {
  if (!ids.length) return [];
  if (touch) await tx.query('update skills set updated_at = now() where id = any($1::uuid[])', [ids]);
  const rows = await tx.query<RowWithRelated>(`select ${WITH_RELATED_IDS} from skills s where s.id = any($1::uuid[])`, [ids]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const skills: Skill[] = [];
  for (const id of ids) {
    const row = byId.get(id)!;
    await recordEvent(tx, { type: `skill.${change}`, aggregate: { type: 'Skill', id }, payload: skillPayload(row) });
    skills.push(toSkill(row));
  }
  return skills;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}
