import type { GrowthOptions } from './options.ts';
import type { SizeResult } from './result.ts';

/**
 * Per-request work should grow at most with the logarithm of the data (an index lookup): from n
 * to m talents, a latency may grow by log(m)/log(n) and a rate may fall by as much. More than
 * that means something in the request path is linear in the data, and the report flags it.
 */
export const logFactor = (from: number, to: number) => Math.log(to) / Math.log(from);

const label = (talents: number) => (talents % 1000 === 0 ? `${talents / 1000}k` : String(talents));
const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

interface Metric {
  name: string;
  value: (result: SizeResult, operation: string) => number;
  show: (value: number) => string;
  /** 'up': growing is the cost (latency, memory); 'down': falling is (a rate). Null: never flagged. */
  cost: 'up' | 'down' | null;
}

const of = (result: SizeResult, operation: string) => {
  const found = result.operations.find((entry) => entry.summary.operation === operation);
  if (!found) throw new Error(`No ${operation} at ${result.talents} talents`);
  return found;
};

const METRICS: Metric[] = [
  { name: 'Requests per second', value: (r, o) => of(r, o).summary.rps.mean, show: (v) => fixed(v), cost: 'down' },
  { name: 'p50 latency (ms)', value: (r, o) => of(r, o).summary.p50, show: (v) => fixed(v, 1), cost: 'up' },
  { name: 'p99 latency (ms)', value: (r, o) => of(r, o).summary.p99, show: (v) => fixed(v, 1), cost: 'up' },
  { name: 'Errors', value: (r, o) => of(r, o).summary.errors, show: (v) => fixed(v), cost: null },
  { name: 'Peak RSS during the round', value: (r, o) => of(r, o).peakRss, show: mb, cost: null },
];

/** How much `to` costs over `from`: above the log factor, flagged. */
function ratioCell(metric: Metric, from: number, to: number, fromTalents: number, toTalents: number): { text: string; flagged: boolean } {
  if (!metric.cost || !(from > 0) || !(to > 0)) return { text: from > 0 && to > 0 ? `${(to / from).toFixed(2)}×` : '–', flagged: false };
  const growth = metric.cost === 'up' ? to / from : from / to;
  const flagged = growth > logFactor(fromTalents, toTalents);
  return { text: `${(to / from).toFixed(2)}×${flagged ? ' ⚠' : ''}`, flagged };
}

export interface GrowthReport {
  markdown: string;
  /** "<metric> of <operation> from <n> to <m> talents" for each flagged growth. */
  flagged: string[];
}

export function growthReport(results: readonly SizeResult[], options: GrowthOptions, command: string, node: string): GrowthReport {
  const flagged: string[] = [];
  const sizes = results.map((result) => result.talents);
  const steps = results.slice(1).map((result, index) => [results[index]!, result] as const);
  const stepHeads = steps.map(([a, b]) => `${label(b.talents)}/${label(a.talents)}`);
  const head = (first: string) => `| ${[first, ...sizes.map(label), ...stepHeads].join(' | ')} |\n|${'---|'.repeat(1 + sizes.length + steps.length)}`;
  const operations = results[0]?.operations.map((entry) => entry.summary.operation) ?? [];
  const lines: string[] = [];

  lines.push(`Command: \`${command}\``);
  lines.push('');
  lines.push(
    `${options.connections} connections; per operation and size a ${options.warmupSeconds} s warm-up round, then one measured ${options.seconds} s round; ` +
      `each size in its own process on a fresh embedded store (PGlite); ${node}; ${results[0]?.pinning ?? ''}.`,
  );
  lines.push(
    `⚠: grew by more than the log factor of the sizes (${steps.map(([a, b]) => `${label(a.talents)}→${label(b.talents)}: ${logFactor(a.talents, b.talents).toFixed(2)}×`).join(', ')}), ` +
      'i.e. work linear in the data in the request path, or noise: see the text.',
  );
  lines.push('');
  lines.push('### Datasets and start-up');
  lines.push('');
  lines.push(head('talents'));
  const row = (name: string, cell: (result: SizeResult) => string) => lines.push(`| ${[name, ...results.map(cell), ...steps.map(() => '')].join(' | ')} |`);
  row('companies / jobs / applications / projects / users', (r) => `${r.counts.companies} / ${r.counts.jobs} / ${r.counts.applications} / ${r.counts.projects} / ${r.counts.users}`);
  row('generating the dataset', (r) => seconds(r.times.generateMs));
  row('loading it (owners\' loadDemo)', (r) => seconds(r.times.loadMs));
  const loaders = [...new Set(results.flatMap((r) => Object.keys(r.times.loadMsBySubgraph)))];
  for (const name of loaders) row(`&nbsp;&nbsp;${name}`, (r) => seconds(r.times.loadMsBySubgraph[name] ?? 0));
  row('then up (every subgraph ready, derived stores drawn)', (r) => seconds(r.times.upMs));
  row('RSS when up', (r) => mb(r.times.rssWhenUp));
  row('peak RSS of the whole size', (r) => mb(r.peakRss));
  row('graph path length', (r) => (r.pathLength === null ? 'none within 6' : String(r.pathLength)));

  for (const metric of METRICS) {
    lines.push('');
    lines.push(`### ${metric.name}`);
    lines.push('');
    lines.push(head('operation'));
    for (const operation of operations) {
      const values = results.map((result) => metric.value(result, operation));
      const ratios = steps.map(([a, b], index) => {
        const cell = ratioCell(metric, values[index]!, values[index + 1]!, a.talents, b.talents);
        if (cell.flagged) flagged.push(`${metric.name} of ${operation} from ${a.talents} to ${b.talents} talents: ${cell.text.replace(' ⚠', '')}`);
        return cell.text;
      });
      lines.push(`| ${[operation, ...values.map(metric.show), ...ratios].join(' | ')} |`);
    }
  }
  const examples = results.flatMap((result) => result.operations.flatMap((entry) => entry.summary.examples.map((text) => `${label(result.talents)} ${entry.summary.operation}: ${text}`)));
  if (examples.length) {
    lines.push('');
    lines.push('Failures seen:');
    for (const example of examples.slice(0, 10)) lines.push(`- ${example}`);
  }
  return { markdown: lines.join('\n'), flagged };
}
