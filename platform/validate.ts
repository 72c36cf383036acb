import { badInput } from './errors.ts';

/** Input checks shared by every domain; each throws BAD_USER_INPUT naming the field. */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** PostgreSQL text cannot hold NUL nor broken UTF-16; say so rather than fail in the database. */
function assertStorable(text: string, field: string): void {
  if (text.includes('\u0000')) throw badInput(`${field} must not contain NUL characters`, field);
  if (LONE_SURROGATE.test(text)) throw badInput(`${field} is not valid Unicode text`, field);
}

export function requiredText(value: string | null | undefined, field: string, max = 200): string {
  const text = value?.trim() ?? '';
  assertStorable(text, field);
  if (!text) throw badInput(`${field} is required`, field);
  if (text.length > max) throw badInput(`${field} must be at most ${max} characters`, field);
  return text;
}

export function optionalText(value: string | null | undefined, field: string, max = 5000): string | null {
  if (value == null) return null;
  const text = value.trim();
  assertStorable(text, field);
  if (text.length > max) throw badInput(`${field} must be at most ${max} characters`, field);
  return text || null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

export function email(value: string | null | undefined, field = 'email'): string {
  const text = requiredText(value, field, 254).toLowerCase();
  if (!EMAIL.test(text)) throw badInput(`${field} is not a valid email address`, field);
  return text;
}

export function optionalUrl(value: string | null | undefined, field: string): string | null {
  const text = optionalText(value, field, 2000);
  if (text == null) return null;
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
    return url.toString();
  } catch {
    throw badInput(`${field} must be an http(s) URL`, field);
  }
}

export function intInRange(value: number | null | undefined, field: string, min: number, max: number): number | null {
  if (value == null) return null;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badInput(`${field} must be a whole number from ${min} to ${max}`, field);
  }
  return value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else is a client mistake, not a missing row. */
export function id(value: string, field = 'id'): string {
  if (!UUID.test(value)) throw badInput(`${field} is not a valid id`, field);
  return value.toLowerCase();
}

/** True for a UUID string; representations in `_entities` can carry any JSON, so check the type too. */
export function isId(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export function tags(values: readonly string[] | null | undefined, field = 'tags'): string[] {
  const cleaned = [...new Set((values ?? []).map((tag) => tag.trim().toLowerCase()).filter(Boolean))];
  if (cleaned.length > 50) throw badInput(`${field} may hold at most 50 entries`, field);
  for (const tag of cleaned) {
    if (tag.length > 50) throw badInput(`each of ${field} must be at most 50 characters`, field);
    assertStorable(tag, field);
  }
  return cleaned;
}

/** The `Location` value type every subgraph declares as @shareable. */
export interface Location {
  city?: string | null;
  region?: string | null;
  country?: string | null;
  remote?: boolean | null;
}

export function location(value: Location | null | undefined, field = 'location'): Location | null {
  if (value == null) return null;
  return {
    city: optionalText(value.city, `${field}.city`, 100),
    region: optionalText(value.region, `${field}.region`, 100),
    country: optionalText(value.country, `${field}.country`, 100),
    remote: value.remote ?? null,
  };
}
