/**
 * A number from the environment: `fallback` when the variable is unset or empty; anything else
 * must be a number of the kind asked for (at least `min`, or above `above`; whole if asked), or
 * start-up fails naming the variable, rather than going on with NaN (a timer of ~1 ms) or a
 * negative count.
 */
export function numberFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, kind: { min?: number; above?: number; whole?: boolean } = {}): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  const { min = 0, above, whole = false } = kind;
  const fits = (whole ? Number.isInteger(parsed) : Number.isFinite(parsed)) && (above === undefined ? parsed >= min : parsed > above);
  if (!fits) throw new Error(`${name} must be ${whole ? 'a whole number' : 'a number'} ${above === undefined ? `≥ ${min}` : `> ${above}`}, not ${JSON.stringify(value)}`);
  return parsed;
}
