import { ratio, type Summary } from './aggregate.ts';
import { LOOMA } from './target.ts';
import type { Verdict } from './verdicts.ts';

/** Everything one run reports. */
export interface Report {
  /** The exact command line of the run. */
  command: string;
  /** When it ran (ISO 8601). */
  date: string;
  /** Cores, memory, OS and Node of the machine. */
  machine: string;
  settings: { connections: number; seconds: number; warmupSeconds: number; rounds: number };
  pinning: string;
  /** Environment the harness set for the stack, e.g. GATEWAY_RATE_LIMIT_PER_MINUTE=0. */
  environment: string[];
  /** What each operation sends, by name. */
  operations: { name: string; description: string }[];
  summaries: Summary[];
  verdicts: Verdict[];
  /** Peak RSS of the process holding the gateway, the subgraphs and the peers, in bytes. */
  peakRss: number;
  notes: string[];
}

const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : '—');
const rate = (value: number) => value.toFixed(0);
const OUTCOME = { pass: 'PASS', fail: 'FAIL', 'not measured': 'NOT MEASURED' } as const;

/** The table of RPS, latency, errors and Looma's ratio against each peer, one row per operation and target. */
export function resultsTable(summaries: readonly Summary[]): string {
  const rows = summaries.map((summary) => {
    const looma = summaries.find((s) => s.operation === summary.operation && s.target === LOOMA);
    const versus = summary.target === LOOMA ? '—' : looma ? `${ratio(looma, summary).toFixed(2)}×` : 'n/a';
    return `| ${summary.operation} | ${summary.target} | ${rate(summary.rps.mean)} | ${rate(summary.rps.min)}–${rate(summary.rps.max)} | ${ms(summary.p50)} | ${ms(summary.p95)} | ${ms(summary.p99)} | ${summary.errors} | ${versus} |`;
  });
  return ['| operation | target | RPS (mean) | RPS (min–max) | p50 | p95 | p99 | errors | Looma ÷ target |', '|---|---|---|---|---|---|---|---|---|', ...rows].join('\n');
}

export function verdictLines(verdicts: readonly Verdict[]): string {
  return verdicts.map((verdict) => `- **${OUTCOME[verdict.outcome]}** ${verdict.target}: ${verdict.detail}`).join('\n');
}

/** The report as markdown, without a heading: what is printed, and what goes under the section in BENCHMARKS.md. */
export function renderReport(report: Report): string {
  const { settings } = report;
  const failures = report.summaries.filter((summary) => summary.examples.length > 0);
  return [
    '```bash',
    report.command,
    '```',
    '',
    `${report.date.slice(0, 10)}, ${report.machine}. ${settings.connections} connections; per operation a ${settings.warmupSeconds} s warm-up round on each target, ` +
      `then ${settings.rounds} round${settings.rounds === 1 ? '' : 's'} of ${settings.seconds} s on each, the targets alternating; a round starts once the previous target answers promptly again and, after mutations, every domain event they caused has been applied. Load: autocannon in its own process; ${report.pinning}. ` +
      `Every target runs in one process on the same stores and demo data${report.environment.length ? ` (${report.environment.join(', ')})` : ''}.`,
    '',
    ...report.operations.map((operation) => `- **${operation.name}**: ${operation.description}`),
    '',
    resultsTable(report.summaries),
    '',
    'Errors: responses outside 2xx, 2xx answers with GraphQL `errors` or without `data`, and requests without a response.',
    '',
    verdictLines(report.verdicts),
    '',
    `Peak RSS of the process (gateway, subgraphs, peers, embedded PostgreSQL), sampled every 250 ms over the run: ${(report.peakRss / 2 ** 20).toFixed(0)} MB.`,
    ...(report.notes.length ? ['', ...report.notes.map((note) => `- ${note}`)] : []),
    ...(failures.length
      ? ['', 'First failures:', '', ...failures.flatMap((summary) => summary.examples.map((example) => `- ${summary.operation} on ${summary.target}: \`${example.replaceAll('`', "'")}\``))]
      : []),
  ].join('\n');
}
