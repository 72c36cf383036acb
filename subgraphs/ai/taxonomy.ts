import type { Queryable } from '../../platform/db/db.ts';
import { aliasMap, type SkillAliases } from '../../platform/text-analysis.ts';

export interface Skills {
  /** Skill id → name, for the texts that get embedded. */
  names: ReadonlyMap<string, string>;
  /** Lower-cased name or alias → canonical name, for the hashing embedder's skill features. */
  aliases: SkillAliases;
}

/**
 * The skills this subgraph has been told about, cached. Loaded through the caller's Queryable
 * (a consumer's transaction sees the skill it is saving, and the hashing embedder reads `current`
 * while it embeds); the consumer that applies a skill change clears this process's copy, and
 * drops it when its transaction fails; other replicas pick a change up within `ttlMs`.
 */
export class Taxonomy {
  private cached: { skills: Skills; at: number } | undefined;

  constructor(private readonly ttlMs = 5_000) {}

  /** The skills as last loaded (empty before the first load). */
  get current(): Skills {
    return this.cached?.skills ?? { names: new Map(), aliases: new Map() };
  }

  async load(q: Queryable): Promise<Skills> {
    if (this.cached && Date.now() - this.cached.at <= this.ttlMs) return this.cached.skills;
    const rows = await q.query<{ id: string; name: string; aliases: string[] }>('select id::text, name, aliases from skills');
    const skills = { names: new Map(rows.map((row) => [row.id, row.name])), aliases: aliasMap(rows) };
    this.cached = { skills, at: Date.now() };
    return skills;
  }

  invalidate(): void {
    this.cached = undefined;
  }
}
