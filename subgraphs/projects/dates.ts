import { badInput } from '../../platform/errors.ts';
import { optionalText } from '../../platform/validate.ts';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date as `YYYY-MM-DD` (a real day: no 2025-02-30), or null when absent or blank. */
export function optionalDate(value: string | null | undefined, field: string): string | null {
  const text = optionalText(value, field, 10);
  if (text == null) return null;
  const match = DATE.exec(text);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    if (year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day) return text;
  }
  throw badInput(`${field} must be a calendar date as YYYY-MM-DD`, field);
}
