/**
 * Query and text analysis shared by every index backend, so they see the same terms: words
 * are lower-cased runs of letters and digits; a run of Chinese, Japanese or Korean characters,
 * which has no spaces between words, becomes its overlapping two-character pieces (what
 * Elasticsearch's `cjk` analyzer does), so "高级Java工程师" finds "高级 Java 工程师".
 */

const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}';
const HAN = new RegExp(`[${CJK}]`, 'u');
/** A CJK run, or a word of other letters and digits (CJK characters are letters too: kept out). */
const LETTER = `(?:(?![${CJK}])[\\p{L}\\p{N}])`;
export const TOKEN = new RegExp(`[${CJK}]+|${LETTER}+(?:[.#+](?:${LETTER}|[+#])*)*`, 'gu');

/** True for a character of a script written without spaces. */
export const isCjk = (text: string) => HAN.test(text);

/** Overlapping pairs of a CJK run ("工程师" → "工程", "程师"); a single character stays itself. */
export function bigrams(run: string): string[] {
  const chars = [...run];
  if (chars.length < 2) return chars;
  return chars.slice(0, -1).map((char, index) => char + chars[index + 1]);
}

/**
 * The words of a text, lower-cased, in order; CJK runs as bigrams. Dots, `#` and `+` inside a
 * word stay ("node.js", "c#", "c++"), trailing dots go.
 */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const [token] of text.toLowerCase().matchAll(TOKEN)) {
    if (isCjk(token)) out.push(...bigrams(token));
    else out.push(token.replace(/\.+$/, ''));
  }
  return out.filter(Boolean);
}

/** Lower-cased alias or name → the canonical skill name, from the skills taxonomy. */
export type SkillAliases = ReadonlyMap<string, string>;

export function aliasMap(skills: readonly { name: string; aliases: readonly string[] }[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const skill of skills) {
    for (const alias of [skill.name, ...skill.aliases]) map.set(alias.toLowerCase(), skill.name);
  }
  return map;
}

/**
 * A query as groups of alternative terms, one group per query word: the word itself, and the
 * canonical name of a skill it is an alias of ("js" → "javascript"; a multi-word name is a
 * phrase alternative, "ml" → "machine learning"). A multi-word alias in the query ("node js")
 * is recognised too and becomes one group. CJK bigrams are groups of their own.
 */
export function analyzeQuery(text: string, aliases: SkillAliases): string[][] {
  const tokens = words(text);
  const groups: string[][] = [];
  for (let index = 0; index < tokens.length; index++) {
    // Longest multi-word alias starting here (up to three words), e.g. "node js", "ruby on rails".
    let matched = false;
    for (let length = Math.min(3, tokens.length - index); length >= 2 && !matched; length--) {
      const phrase = tokens.slice(index, index + length).join(' ');
      const canonical = aliases.get(phrase);
      if (canonical) {
        groups.push(unique([phrase, canonical.toLowerCase()]));
        index += length - 1;
        matched = true;
      }
    }
    if (matched) continue;
    const token = tokens[index]!;
    const canonical = aliases.get(token);
    groups.push(unique(canonical ? [token, words(canonical).join(' ')] : [token]));
  }
  return groups;
}

const unique = (values: string[]) => [...new Set(values)];

const SENIORITY: readonly [RegExp, string][] = [
  [/\b(intern|trainee)\b|实习/i, 'Intern'],
  [/\b(junior|jr\.?|entry[- ]level)\b|初级/i, 'Junior'],
  [/\b(mid|mid-level|intermediate)\b|中级/i, 'Mid'],
  [/\b(senior|sr\.?)\b|高级/i, 'Senior'],
  [/\blead\b|主管/i, 'Lead'],
  [/\bstaff\b|资深/i, 'Staff'],
  [/\bprincipal\b|首席/i, 'Principal'],
  [/\b(head|director|vp)\b|总监/i, 'Head'],
];

/** The seniority a title or headline states (the list runs junior to senior: the most senior one wins). */
export function seniorityOf(text: string | null | undefined): string | null {
  if (!text) return null;
  let found: string | null = null;
  for (const [pattern, level] of SENIORITY) if (pattern.test(text)) found = level;
  return found;
}
