import { parseArgs } from 'node:util';

export interface GrowthOptions {
  /** Talents per dataset, in order. */
  sizes: number[];
  connections: number;
  /** Seconds of each measured round. */
  seconds: number;
  /** Seconds of the warm-up round before each operation's measured round. */
  warmupSeconds: number;
}

export const DEFAULT_SIZES = [1000, 10000, 100000];

/** `npx tsx bench/growth.ts [sizes] [--connections N] [--seconds N] [--warmup N]`; a bad value fails before anything starts. */
export function parseGrowthOptions(args: string[]): GrowthOptions {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      connections: { type: 'string', default: '50' },
      seconds: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
    },
  });
  if (positionals.length > 1) throw new Error(`One list of sizes, e.g. 1000,10000, not ${positionals.join(' ')}`);
  const sizes = positionals[0] === undefined ? DEFAULT_SIZES : positionals[0].split(',').map((size) => positive('sizes', size.trim()));
  return {
    sizes,
    connections: positive('connections', values.connections),
    seconds: positive('seconds', values.seconds),
    warmupSeconds: positive('warmup', values.warmup),
  };
}

function positive(name: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`--${name} must be a positive whole number, not ${JSON.stringify(value)}`);
  return parsed;
}
