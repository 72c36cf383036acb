import { parseArgs } from 'node:util';

export interface HarnessOptions {
  connections: number;
  /** Seconds of each measured round. */
  seconds: number;
  /** Seconds of the warm-up round each target gets before an operation's measured rounds. */
  warmupSeconds: number;
  /** Measured rounds per target and operation. */
  rounds: number;
  /** Only these operations (by name), all when empty. */
  only: string[];
  /** Hive Gateway's deduplication of identical in-flight subgraph requests: its default (on), off with --hive-no-dedupe. */
  hiveDedupe: boolean;
  /** Replace the harness's section of BENCHMARKS.md with the report. */
  write: boolean;
}

/** The command line of `npm run bench -- …`; a bad value fails before anything starts. */
export function parseOptions(args: string[]): HarnessOptions {
  const { values } = parseArgs({
    args,
    options: {
      connections: { type: 'string', default: '50' },
      seconds: { type: 'string', default: '10' },
      warmup: { type: 'string' },
      rounds: { type: 'string', default: '3' },
      only: { type: 'string', multiple: true, default: [] },
      'hive-no-dedupe': { type: 'boolean', default: false },
      write: { type: 'boolean', default: false },
    },
  });
  const seconds = positive('seconds', values.seconds);
  return {
    connections: positive('connections', values.connections),
    seconds,
    warmupSeconds: values.warmup === undefined ? Math.min(5, seconds) : positive('warmup', values.warmup),
    rounds: positive('rounds', values.rounds),
    only: values.only.flatMap((names) => names.split(',')).map((name) => name.trim()).filter(Boolean),
    hiveDedupe: !values['hive-no-dedupe'],
    write: values.write,
  };
}

function positive(name: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`--${name} must be a positive whole number, not ${JSON.stringify(value)}`);
  return parsed;
}
