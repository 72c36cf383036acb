import { describe } from 'vitest';
import type { Target } from './targets.ts';

/**
 * Contract suites: one `describe` per suite and backend, made by `contractSuite`. Each is tagged
 * `integration` (`npm run test:integration` runs those alone) and carries its suite, backend and
 * skip reason in its meta, from which test/support/integration-reporter.ts prints its table.
 * A new backend for a suite is one more call, e.g.
 *   contractSuite('resume store', await mongodbTarget(), () => resumeStoreContract(...));
 * Backends are named by targets (test/support/targets.ts).
 */

/** The vitest tag of every contract suite (declared in vitest.config.ts). */
export const INTEGRATION_TAG = 'integration';

/** What a contract suite's meta carries to the reporter. */
export interface ContractTag {
  suite: string;
  backend: string;
  label: string;
  /** The reason it was skipped, when it was. */
  skipped?: string;
}

declare module '@vitest/runner' {
  interface TaskMeta {
    contract?: ContractTag;
  }
}

/** The title a contract suite gets: '<suite> on <label>', and ' — <reason>, skipped' when it is. */
export function contractTitle(suite: string, target: Target): string {
  return `${suite} on ${target.label ?? target.backend}${target.unreachable ? ` — ${target.unreachable}, skipped` : ''}`;
}

/** `suite` run on `target`: skipped, with the reason in its title and meta, when the target is unreachable. */
export function contractSuite(suite: string, target: Target, body: () => void): void {
  const skipped = target.unreachable || undefined;
  const contract: ContractTag = { suite, backend: target.backend, label: target.label ?? target.backend, ...(skipped && { skipped }) };
  describe(contractTitle(suite, target), { skip: skipped !== undefined, tags: [INTEGRATION_TAG], meta: { contract } }, body);
}

