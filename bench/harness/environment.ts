/**
 * Settings the stack reads once, at import: imported first by main.ts, so they hold before
 * platform/config.ts is evaluated. Anything already set in the environment wins.
 */
const defaults: Record<string, string> = {
  // One signed-in principal sends thousands of operations a minute: the per-principal budget
  // (600 a minute by default) would turn the run into a test of the rate limiter.
  GATEWAY_RATE_LIMIT_PER_MINUTE: '0',
  // A log line per request would measure the logger.
  LOG_LEVEL: 'warn',
  // The tokens are signed once, before the first round; a full run lasts longer than their 15 minutes.
  ACCESS_TOKEN_TTL_SECONDS: '7200',
};

export const applied: string[] = [];
for (const [name, value] of Object.entries(defaults)) {
  if (process.env[name] !== undefined) continue;
  process.env[name] = value;
  applied.push(`${name}=${value}`);
}
