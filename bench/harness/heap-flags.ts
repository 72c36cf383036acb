/**
 * The V8 heap-size flags this process runs with, from its command line or NODE_OPTIONS: they
 * change what the collector costs, so every report names them (package.json's `bench` and
 * `start` scripts set the young generation's size).
 */
function heapFlags(): string[] {
  const fromEnvironment = (process.env.NODE_OPTIONS ?? '').split(/\s+/);
  return [...new Set([...process.execArgv, ...fromEnvironment].filter((arg) => /^--(max|min)-.*-size/.test(arg)))];
}

/** " with --max-semi-space-size=64", or nothing under V8's defaults. */
export function heapFlagsNote(): string {
  const flags = heapFlags();
  return flags.length ? ` with ${flags.join(' ')}` : '';
}
