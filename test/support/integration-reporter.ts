import type { Reporter, TestModule, TestSuite, Vitest } from 'vitest/node';
import type { ContractTag } from './contract.ts';

/**
 * A vitest reporter (vitest.config.ts runs it after the default one) that prints, at the end of
 * a run, the contract suites (test/support/contract.ts) as a table: a row per suite, a column
 * per backend, and in each cell what happened there — passed (with its number of tests),
 * FAILED, or skipped with a note giving the reason.
 */

/** One contract suite on one backend, as a run left it. */
export interface Outcome extends ContractTag {
  passed: number;
  failed: number;
  /** Tests skipped inside a suite that ran (it.skip, a filter). */
  skippedTests: number;
  /** Tests that never finished (an interrupted run). */
  pending: number;
  /** A hook of the suite, or of one nested in it, failed. */
  hookFailed: boolean;
}

/** Embedded backends first, then the servers; any other backend after these, by name. */
const COLUMN_ORDER = ['PGlite', 'in memory', 'PostgreSQL', 'Redis', 'Neo4j', 'Elasticsearch', 'MongoDB', 'Weaviate'];

/** The outcomes of every contract suite in `modules`, and the files that failed before any suite in them was collected. */
export function collectOutcomes(modules: ReadonlyArray<TestModule>): { outcomes: Outcome[]; unloaded: string[] } {
  const outcomes: Outcome[] = [];
  const unloaded: string[] = [];
  for (const module of modules) {
    if (module.children.size === 0 && module.errors().length > 0) unloaded.push(module.relativeModuleId);
    for (const suite of module.children.allSuites()) {
      const tag = suite.meta().contract;
      // Nested suites inherit their parent's meta: count each contract suite once, at its top.
      if (!tag || (suite.parent.type === 'suite' && suite.parent.meta().contract)) continue;
      outcomes.push({ ...tag, ...count(suite) });
    }
  }
  return { outcomes, unloaded };
}

function count(suite: TestSuite): Omit<Outcome, keyof ContractTag> {
  const tally = { passed: 0, failed: 0, skippedTests: 0, pending: 0 };
  for (const test of suite.children.allTests()) {
    const { state } = test.result();
    if (state === 'passed') tally.passed++;
    else if (state === 'failed') tally.failed++;
    else if (state === 'skipped') tally.skippedTests++;
    else tally.pending++;
  }
  const hookFailed = suite.state() === 'failed' || [...suite.children.allSuites()].some((nested) => nested.state() === 'failed');
  return { ...tally, hookFailed };
}

type Verdict = 'passed' | 'failed' | 'skipped' | 'not run';

/** What one cell says, from the outcomes of its suite on its backend (usually one). */
function cell(outcomes: Outcome[], note: (outcome: Outcome) => number): { text: string; verdict: Verdict } {
  const sum = (key: 'passed' | 'failed' | 'skippedTests' | 'pending') => outcomes.reduce((total, outcome) => total + outcome[key], 0);
  const [passed, failed, skipped, pending] = [sum('passed'), sum('failed'), sum('skippedTests'), sum('pending')];
  if (failed > 0 || outcomes.some((outcome) => outcome.hookFailed)) {
    return { text: failed > 0 ? `FAILED ${failed}/${passed + failed + skipped + pending}` : 'FAILED (hook)', verdict: 'failed' };
  }
  const unreachable = outcomes.find((outcome) => outcome.skipped);
  if (unreachable) return { text: `skipped [${note(unreachable)}]`, verdict: 'skipped' };
  if (passed > 0) return { text: `passed ${passed}${skipped ? ` +${skipped} skipped` : ''}`, verdict: 'passed' };
  if (pending > 0) return { text: 'not run', verdict: 'not run' };
  return { text: 'skipped', verdict: 'skipped' };
}

/** The table for `outcomes`: rows by suite name, columns by backend, reasons for skips as numbered notes under it. */
export function renderTable(outcomes: Outcome[], unloaded: string[] = []): string {
  const rank = (backend: string) => (COLUMN_ORDER.includes(backend) ? COLUMN_ORDER.indexOf(backend) : COLUMN_ORDER.length);
  const backends = [...new Set(outcomes.map((outcome) => outcome.backend))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const suites = [...new Set(outcomes.map((outcome) => outcome.suite))].sort((a, b) => a.localeCompare(b));

  const notes: string[] = [];
  const note = (outcome: Outcome) => {
    const text = `${outcome.label}: ${outcome.skipped}`;
    if (!notes.includes(text)) notes.push(text);
    return notes.indexOf(text) + 1;
  };
  const verdicts: Record<Verdict, number> = { passed: 0, failed: 0, skipped: 0, 'not run': 0 };
  const rows = suites.map((suite) => [
    suite,
    ...backends.map((backend) => {
      const here = outcomes.filter((outcome) => outcome.suite === suite && outcome.backend === backend);
      if (here.length === 0) return '-';
      const { text, verdict } = cell(here, note);
      verdicts[verdict]++;
      return text;
    }),
  ]);

  const header = ['suite', ...backends];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((text, column) => text.padEnd(widths[column]!)).join('  ').trimEnd();
  const totals = Object.entries(verdicts)
    .filter(([verdict, n]) => n > 0 || verdict !== 'not run')
    .map(([verdict, n]) => `${n} ${verdict === 'failed' ? 'FAILED' : verdict}`);
  return [
    'Contract suites by backend (test/support/contract.ts; numbers are tests):',
    '',
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    '',
    ...notes.map((text, index) => `[${index + 1}] ${text}`),
    ...(unloaded.length ? [`Files that failed before their suites were collected (rows may be missing): ${unloaded.join(', ')}`] : []),
    `${Object.values(verdicts).reduce((a, b) => a + b, 0)} suite-backend pairs (${rows.length} suites, ${backends.length} backends): ${totals.join(', ')}.`,
  ].join('\n');
}

export default class IntegrationReporter implements Reporter {
  private vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const { outcomes, unloaded } = collectOutcomes(modules);
    if (outcomes.length === 0) return;
    const table = `\n${renderTable(outcomes, unloaded)}\n`;
    if (this.vitest) this.vitest.logger.log(table);
    else console.log(table);
  }
}
