/**
 * The lookup key of a skill name or alias: NFKC-folded, lower-cased, trimmed, with spaces, dots,
 * hyphens (any dash) and underscores removed. `+` and `#` stay, so C, C++ and C# stay apart.
 * "Java Script", "javascript" and "JAVA-SCRIPT" all give "javascript"; "Node.js" gives "nodejs".
 */
export function normalizeSkillKey(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .trim()
    .replace(/[\s._\p{Pd}]/gu, '');
}

/**
 * The aliases worth keeping for a skill: the first spelling of each key, without the key of the
 * name itself (normalisation already finds the skill by any variant of its name) or empty keys.
 */
export function distinctAliases(name: string, aliases: readonly string[]): string[] {
  const seen = new Set([normalizeSkillKey(name)]);
  const kept: string[] = [];
  for (const alias of aliases) {
    const key = normalizeSkillKey(alias);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    kept.push(alias);
  }
  return kept;
}
