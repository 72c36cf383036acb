import { badInput } from '../../platform/errors.ts';
import { id, optionalText, requiredText } from '../../platform/validate.ts';
import { normalizeSkillKey } from './normalize.ts';

/** Skill-specific input checks on top of platform/validate.ts; each throws BAD_USER_INPUT naming the field. */

const MAX_ALIASES = 50;
const MAX_RELATED = 100;

/** The lookup key of a name; a name with nothing left after normalising ("", " - ") is rejected. */
export function lookupKey(name: string, field: string): string {
  const text = requiredText(name, field, 200);
  const key = normalizeSkillKey(text);
  if (!key) throw badInput(`${field} has no letters, digits or symbols once spaces, dots, hyphens and underscores are removed`, field);
  return key;
}

export function skillName(value: string | null | undefined, field = 'name'): string {
  const text = requiredText(value, field, 100);
  lookupKey(text, field);
  return text;
}

export function aliases(values: readonly string[] | null | undefined, field = 'aliases'): string[] {
  const list = values ?? [];
  if (list.length > MAX_ALIASES) throw badInput(`${field} may hold at most ${MAX_ALIASES} entries`, field);
  return list.map((alias, index) => skillName(alias, `${field}[${index}]`));
}

export function relatedIds(values: readonly string[] | null | undefined, field = 'relatedSkillIds'): string[] {
  const list = values ?? [];
  if (list.length > MAX_RELATED) throw badInput(`${field} may hold at most ${MAX_RELATED} entries`, field);
  return list.map((value, index) => id(value, `${field}[${index}]`));
}

export function description(value: string | null | undefined): string | null {
  return optionalText(value, 'description', 2000);
}
