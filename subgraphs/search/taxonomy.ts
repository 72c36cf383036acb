import type { Queryable } from '../../platform/db/db.ts';
import { aliasMap, type SkillAliases } from '../../platform/text-analysis.ts';
import { loadSkills } from './sources.ts';

/**
 * The skill aliases query analysis expands ("js" → JavaScript), read from the skills the index
 * has been told about. Cached briefly: the consumer that applies a skill change clears this
 * process's copy at once; other replicas of the subgraph pick the change up within `ttlMs`.
 */
export class Taxonomy {
  private cached: { aliases: Promise<SkillAliases>; at: number } | undefined;

  constructor(
    private readonly db: Queryable,
    private readonly ttlMs = 5_000,
  ) {}

  aliases(): Promise<SkillAliases> {
    if (!this.cached || Date.now() - this.cached.at > this.ttlMs) {
      const aliases = loadSkills(this.db).then(aliasMap);
      this.cached = { aliases, at: Date.now() };
      aliases.catch(() => (this.cached = undefined));
    }
    return this.cached.aliases;
  }

  invalidate(): void {
    this.cached = undefined;
  }
}
