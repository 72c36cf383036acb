import { badInput, conflict, notFound } from '../../../platform/errors.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import { id } from '../../../platform/validate.ts';
import type { Stores } from '../index.ts';
import { AliasNotFoundError, SkillKeyConflictError, UnknownSkillsError, type SkillCategory, type SkillFields } from '../store.ts';
import { aliases, description, relatedIds, skillName } from '../validation.ts';

type Context = SubgraphContext<Stores>;

interface SkillInput {
  name?: string | null;
  category?: SkillCategory | null;
  aliases?: string[] | null;
  description?: string | null;
  relatedSkillIds?: string[] | null;
}

/** Validates only the fields present, so an update changes exactly what the client sent. */
function validFields(input: SkillInput, ownId?: string): Partial<SkillFields> {
  const fields: Partial<SkillFields> = {};
  if ('name' in input) fields.name = skillName(input.name);
  if ('category' in input) {
    if (input.category == null) throw badInput('category cannot be cleared', 'category');
    fields.category = input.category;
  }
  if ('aliases' in input) fields.aliases = aliases(input.aliases);
  if ('description' in input) fields.description = description(input.description);
  if ('relatedSkillIds' in input) {
    fields.relatedIds = relatedIds(input.relatedSkillIds);
    if (ownId && fields.relatedIds.includes(ownId)) throw badInput('A skill cannot be related to itself', 'relatedSkillIds');
  }
  return fields;
}

/** Turns the store's domain errors into the shared error codes. */
async function translated<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SkillKeyConflictError) throw conflict(error.message);
    if (error instanceof UnknownSkillsError) throw notFound(error.ids.length > 1 ? 'Skills' : 'Skill', error.ids.join(', '));
    throw error;
  }
}

function found<T>(skill: T | null, skillId: string): T {
  if (!skill) throw notFound('Skill', skillId);
  return skill;
}

/**
 * After a committed change: the skills it changed are read fresh from now on (the shared entity
 * cache). Skills it touched besides (relations gained or lost) follow with their domain events.
 */
async function changed<T>(ctx: Context, skill: T | null, requestedId: string, changedIds: string[]): Promise<T> {
  if (skill) await ctx.loaders.invalidate('Skill', changedIds);
  return found(skill, requestedId);
}

function otherId(skillId: string, value: string): string {
  const relatedId = id(value, 'relatedId');
  if (relatedId === skillId) throw badInput('A skill cannot be related to itself', 'relatedId');
  return relatedId;
}

/** Who may edit the taxonomy is the schema's business: every field here is `@hasPermission(permission: "skill:write")`. */
export const Mutation = {
  createSkill(_: unknown, args: { input: SkillInput }, ctx: Context) {
    const fields = validFields(args.input);
    if (!fields.name) throw badInput('name is required', 'name');
    if (!fields.category) throw badInput('category is required', 'category');
    return translated(() =>
      ctx.stores.skills.create({
        name: fields.name!,
        category: fields.category!,
        aliases: fields.aliases ?? [],
        description: fields.description ?? null,
        relatedIds: fields.relatedIds ?? [],
      }),
    );
  },

  async updateSkill(_: unknown, args: { id: string; input: SkillInput }, ctx: Context) {
    const skillId = id(args.id);
    const fields = validFields(args.input, skillId);
    return changed(ctx, await translated(() => ctx.stores.skills.update(skillId, fields)), args.id, [skillId]);
  },

  async addSkillAliases(_: unknown, args: { id: string; aliases: string[] }, ctx: Context) {
    const skillId = id(args.id);
    const added = aliases(args.aliases);
    return changed(ctx, await translated(() => ctx.stores.skills.addAliases(skillId, added)), args.id, [skillId]);
  },

  async removeSkillAlias(_: unknown, args: { id: string; alias: string }, ctx: Context) {
    const skillId = id(args.id);
    const alias = skillName(args.alias, 'alias');
    try {
      return await changed(ctx, await ctx.stores.skills.removeAlias(skillId, alias), args.id, [skillId]);
    } catch (error) {
      if (error instanceof AliasNotFoundError) throw notFound(`Alias "${alias}" of skill`, args.id);
      throw error;
    }
  },

  async relateSkills(_: unknown, args: { id: string; relatedId: string }, ctx: Context) {
    const skillId = id(args.id);
    const relatedId = otherId(skillId, args.relatedId);
    return changed(ctx, await translated(() => ctx.stores.skills.relate(skillId, relatedId)), args.id, [skillId, relatedId]);
  },

  async unrelateSkills(_: unknown, args: { id: string; relatedId: string }, ctx: Context) {
    const skillId = id(args.id);
    const relatedId = otherId(skillId, args.relatedId);
    return changed(ctx, await translated(() => ctx.stores.skills.unrelate(skillId, relatedId)), args.id, [skillId, relatedId]);
  },

  async deleteSkill(_: unknown, args: { id: string }, ctx: Context) {
    const skillId = id(args.id);
    if (!(await ctx.stores.skills.delete(skillId))) throw notFound('Skill', args.id);
    await ctx.loaders.invalidate('Skill', [skillId]);
    return args.id;
  },
};
