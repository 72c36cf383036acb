import type { SnapshotEntry } from '../../platform/events/index.ts';
import type { Page } from '../../platform/pagination.ts';

export const SKILL_CATEGORIES = [
  'LANGUAGE', 'FRAMEWORK', 'LIBRARY', 'DATABASE', 'CLOUD', 'DEVOPS', 'DATA', 'AI_ML',
  'TOOL', 'METHODOLOGY', 'SOFT_SKILL', 'DESIGN', 'SECURITY', 'MOBILE', 'OTHER',
] as const;
export type SkillCategory = (typeof SKILL_CATEGORIES)[number];

export interface Skill {
  id: string;
  name: string;
  category: SkillCategory;
  aliases: string[];
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a caller writes; `relatedIds` replaces the skill's whole (symmetric) relation set. */
export interface SkillFields {
  name: string;
  category: SkillCategory;
  aliases: string[];
  description: string | null;
  relatedIds: string[];
}

export interface SkillFilter {
  category?: SkillCategory[] | null;
  /** Case-insensitive substring of the name or of any alias. */
  search?: string | null;
}

export interface SkillOrder {
  field: 'NAME' | 'CATEGORY';
  direction: 'ASC' | 'DESC';
}

/** A name or alias whose key already belongs to another skill. */
export class SkillKeyConflictError extends Error {
  constructor(
    readonly spelling: string,
    readonly ownerName: string | null,
  ) {
    super(ownerName ? `"${spelling}" already names the skill ${ownerName}` : `"${spelling}" already names another skill`);
  }
}

/** Related skill ids that do not exist. */
export class UnknownSkillsError extends Error {
  constructor(readonly ids: string[]) {
    super(`Unknown skill ids: ${ids.join(', ')}`);
  }
}

/** `removeAlias` was asked for a spelling that is not one of the skill's aliases. */
export class AliasNotFoundError extends Error {
  constructor(readonly alias: string) {
    super(`"${alias}" is not an alias of this skill`);
  }
}

/**
 * The skill taxonomy. Aliases that normalise to the skill's own name or to an earlier alias are
 * dropped; every write keeps "one key, one skill" or throws SkillKeyConflictError and changes nothing.
 */
export interface SkillStore {
  /** `id` is optional so the demo loader can keep its references stable. */
  create(fields: SkillFields, id?: string): Promise<Skill>;
  /** Bulk load for the demo dataset: skills first, then relations, in one transaction. */
  createMany(skills: (SkillFields & { id: string })[]): Promise<number>;
  update(id: string, fields: Partial<SkillFields>): Promise<Skill | null>;
  addAliases(id: string, aliases: string[]): Promise<Skill | null>;
  /** Removes the alias with the same key as `alias`; AliasNotFoundError when there is none. */
  removeAlias(id: string, alias: string): Promise<Skill | null>;
  /** Null when `id` is unknown; UnknownSkillsError when `relatedId` is. Idempotent. */
  relate(id: string, relatedId: string): Promise<Skill | null>;
  unrelate(id: string, relatedId: string): Promise<Skill | null>;
  delete(id: string): Promise<boolean>;
  getMany(ids: readonly string[]): Promise<Skill[]>;
  /** The skills owning these normalised keys, one row per key found. */
  findByKeys(keys: readonly string[]): Promise<{ key: string; skill: Skill }[]>;
  /** The related skills of every given skill, ordered by name within each. */
  relatedOf(ids: readonly string[]): Promise<{ skillId: string; related: Skill }[]>;
  list(filter: SkillFilter, order: SkillOrder, page: Page): Promise<{ rows: Skill[]; totalCount: number }>;
  count(): Promise<number>;
  /** Skills with an id after `afterId`, in id order, each with its related ids as its events carry it (rebuilding derived stores). */
  snapshotPage(afterId: string | null, limit: number): Promise<SnapshotEntry[]>;
}
