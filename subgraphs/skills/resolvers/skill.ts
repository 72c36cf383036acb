import { withDates } from '../../../platform/entity-cache.ts';
import { alignByKey, groupByKey } from '../../../platform/loaders.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import { isId } from '../../../platform/validate.ts';
import type { Stores } from '../index.ts';
import type { Skill as SkillRecord } from '../store.ts';

type Context = SubgraphContext<Stores>;

const reviveSkill = withDates<SkillRecord>('createdAt', 'updatedAt');

/**
 * Batches every skill lookup by id in one request into one query, of the skills the shared
 * entity cache does not hold (when there is one); anything but a UUID string is not found.
 */
export function loadSkill(ctx: Context, id: unknown): Promise<SkillRecord | null> {
  if (typeof id !== 'string' || !isId(id)) return Promise.resolve(null);
  return ctx.loaders
    .entities<SkillRecord>('Skill', async (ids) => alignByKey(ids, await ctx.stores.skills.getMany(ids), (s) => s.id), reviveSkill)
    .load(id.toLowerCase());
}

/** Batches every lookup by normalised key (normalizeSkill, normalizeSkills) into one query. */
export function loadSkillByKey(ctx: Context, key: string): Promise<SkillRecord | null> {
  return ctx.loaders
    .get<string, SkillRecord | null>('skillByKey', async (keys) => {
      const found = await ctx.stores.skills.findByKeys(keys);
      return alignByKey(keys, found, (row) => row.key).map((row) => row?.skill ?? null);
    })
    .load(key);
}

export const Skill = {
  __resolveReference: (reference: { id?: unknown }, ctx: Context) => loadSkill(ctx, reference.id),

  /** One query for the related skills of every parent in the response. */
  related: (skill: SkillRecord, _: unknown, ctx: Context) =>
    ctx.loaders
      .get<string, SkillRecord[]>('relatedSkills', async (ids) =>
        groupByKey(ids, await ctx.stores.skills.relatedOf(ids), (row) => row.skillId).map((rows) => rows.map((row) => row.related)),
      )
      .load(skill.id),
};
