import type { Queryable } from '../../platform/db/db.ts';
import type { Payload, Sources } from './documents.ts';
import type { EntityRef, EntityType } from './store.ts';

/** The owners' payloads the index is drawn from (table `sources`), and what depends on what. */

export type SourceType = EntityType | 'Resume';

export async function saveSources(tx: Queryable, rows: readonly { type: SourceType; id: string; payload: Payload }[]): Promise<void> {
  if (!rows.length) return;
  await tx.query(
    `insert into sources (type, id, payload)
     select type, id, payload from jsonb_to_recordset($1::jsonb) as s(type text, id uuid, payload jsonb)
     on conflict (type, id) do update set payload = excluded.payload`,
    [JSON.stringify(rows)],
  );
}

export async function forgetSource(tx: Queryable, type: SourceType, id: string): Promise<void> {
  await tx.query('delete from sources where type = $1 and id = $2', [type, id]);
  // A talent's resumes go with it (its owner deletes them together).
  if (type === 'Talent') await tx.query(`delete from sources where type = 'Resume' and payload->>'talentId' = $1`, [id]);
}

/** The documents that show something of this entity (itself included, when it is one). */
export async function dependents(tx: Queryable, type: SourceType, id: string): Promise<EntityRef[]> {
  const refs = await tx.query<EntityRef>(
    `select type, id::text from sources where type = $1 and id = $2 and type <> 'Resume'
     union select 'Talent', payload->>'talentId' from sources where type = 'Resume' and id = $2 and $1 = 'Resume'
     union select type, id::text from sources where $1 = 'Company' and type in ('Job', 'Project') and payload->>'companyId' = $2::text
     union select 'Talent', payload->>'talentId' from sources
            where type = 'Resume' and (($1 = 'Company' and payload->'experience' @> jsonb_build_array(jsonb_build_object('companyId', $2::text)))
                                    or ($1 = 'Skill' and payload->'skills' @> jsonb_build_array(jsonb_build_object('skillId', $2::text))))
     union select type, id::text from sources
            where $1 = 'Skill' and ((type = 'Job' and payload->'requiredSkills' @> jsonb_build_array(jsonb_build_object('skillId', $2::text)))
                                 or (type = 'Project' and payload->'skillIds' ? $2::text))`,
    [type, id],
  );
  // The entity itself, even when it is not (or no longer) in sources: its document may need removing.
  if (type !== 'Resume' && !refs.some((ref) => ref.type === type && ref.id === id)) refs.push({ type, id });
  return refs;
}

/** Every entity that has a document. */
export async function everyDocument(tx: Queryable): Promise<EntityRef[]> {
  return tx.query<EntityRef>(`select type, id::text from sources where type <> 'Resume' order by type, id`);
}

/** The payloads the documents of `refs` are drawn from: the entities, their resumes, and the companies and skills they name. */
export async function loadSources(tx: Queryable, refs: readonly EntityRef[]): Promise<Sources> {
  const sources: Sources = { talents: new Map(), resumesByTalent: new Map(), companies: new Map(), skills: new Map(), jobs: new Map(), projects: new Map() };
  if (!refs.length) return sources;
  const rows = await tx.query<{ type: SourceType; id: string; payload: Payload }>(
    `select s.type, s.id::text, s.payload from sources s
       join jsonb_to_recordset($1::jsonb) as r(type text, id uuid) on r.type = s.type and r.id = s.id
     union all
     select 'Resume', s.id::text, s.payload from sources s
      where s.type = 'Resume' and s.payload->>'talentId' in (select r.id::text from jsonb_to_recordset($1::jsonb) as r(type text, id uuid) where r.type = 'Talent')`,
    [JSON.stringify(refs)],
  );
  const companyIds = new Set<string>();
  const skillIds = new Set<string>();
  const resumes: Payload[] = [];
  for (const { type, id, payload } of rows) {
    if (type === 'Resume') resumes.push(payload);
    else byType(sources, type).set(id, payload);
    for (const companyId of [payload.companyId, ...asList(payload.experience).map((job) => job.companyId)]) if (typeof companyId === 'string') companyIds.add(companyId);
    for (const skill of [...asList(payload.requiredSkills), ...asList(payload.skills)]) if (typeof skill.skillId === 'string') skillIds.add(skill.skillId);
    if (Array.isArray(payload.skillIds)) for (const skillId of payload.skillIds) if (typeof skillId === 'string') skillIds.add(skillId);
  }
  for (const resume of resumes.sort((a, b) => String(b.updatedAt).localeCompare(String(a.updatedAt)))) {
    const talentId = String(resume.talentId);
    sources.resumesByTalent.set(talentId, [...(sources.resumesByTalent.get(talentId) ?? []), resume]);
  }
  const named = await tx.query<{ type: 'Company' | 'Skill'; id: string; payload: Payload }>(
    `select type, id::text, payload from sources where (type = 'Company' and id::text = any($1::text[])) or (type = 'Skill' and id::text = any($2::text[]))`,
    [[...companyIds], [...skillIds]],
  );
  for (const { type, id, payload } of named) byType(sources, type).set(id, payload);
  return sources;
}

const asList = (value: unknown): Payload[] => (Array.isArray(value) ? value.filter((item): item is Payload => typeof item === 'object' && item !== null) : []);

function byType(sources: Sources, type: EntityType): Map<string, Payload> {
  switch (type) {
    case 'Talent':
      return sources.talents;
    case 'Company':
      return sources.companies;
    case 'Skill':
      return sources.skills;
    case 'Job':
      return sources.jobs;
    case 'Project':
      return sources.projects;
  }
}

/** The skills taxonomy as the index knows it, for query analysis (aliases). */
export async function loadSkills(db: Queryable): Promise<{ name: string; aliases: string[] }[]> {
  const rows = await db.query<{ name: string | null; aliases: unknown }>(`select payload->>'name' as name, payload->'aliases' as aliases from sources where type = 'Skill'`);
  return rows.filter((row) => row.name).map((row) => ({ name: row.name!, aliases: Array.isArray(row.aliases) ? row.aliases.filter((a): a is string => typeof a === 'string') : [] }));
}
