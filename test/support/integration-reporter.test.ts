import { describe, expect, it } from 'vitest';
import type { TestModule } from 'vitest/node';
import type { ContractTag } from './contract.ts';
import { collectOutcomes, renderTable, type Outcome } from './integration-reporter.ts';

const outcome = (tag: Omit<ContractTag, 'label'> & { label?: string }, counts: Partial<Outcome> = {}): Outcome => ({
  label: tag.backend,
  passed: 0,
  failed: 0,
  skippedTests: 0,
  pending: 0,
  hookFailed: false,
  ...tag,
  ...counts,
});

describe('the integration table', () => {
  it('puts suites in rows and backends in columns, embedded ones first, with skip reasons as numbered notes', () => {
    const table = renderTable([
      outcome({ suite: 'search index', backend: 'Elasticsearch', label: 'Elasticsearch at http://es', skipped: 'UNREACHABLE (connect ECONNREFUSED)' }, { skippedTests: 9 }),
      outcome({ suite: 'search index', backend: 'PostgreSQL' }, { passed: 12 }),
      outcome({ suite: 'search index', backend: 'PGlite' }, { passed: 12 }),
      outcome({ suite: 'login limiter', backend: 'Redis' }, { passed: 2, failed: 1, skippedTests: 1 }),
      outcome({ suite: 'login limiter', backend: 'in memory' }, { passed: 3, skippedTests: 1 }),
      outcome({ suite: 'graph store', backend: 'Neo4j', label: 'Neo4j at bolt://n', skipped: 'UNREACHABLE (refused)' }, { skippedTests: 4 }),
      // The same reason on the same backend is one note; two suites on one cell add up.
      outcome({ suite: 'graph through the gateway', backend: 'Neo4j', label: 'Neo4j at bolt://n', skipped: 'UNREACHABLE (refused)' }),
      outcome({ suite: 'graph store', backend: 'PGlite' }, { passed: 5 }),
      outcome({ suite: 'graph store', backend: 'PGlite' }, { passed: 2 }),
      outcome({ suite: 'graph through the gateway', backend: 'PGlite' }, { skippedTests: 6, hookFailed: true }),
      outcome({ suite: 'a custom one', backend: 'Cassandra' }, { pending: 2 }),
    ]);
    expect(table).toBe(
      [
        'Contract suites by backend (test/support/contract.ts; numbers are tests):',
        '',
        'suite                      PGlite         in memory            PostgreSQL  Redis       Neo4j        Elasticsearch  Cassandra',
        '-------------------------  -------------  -------------------  ----------  ----------  -----------  -------------  ---------',
        'a custom one               -              -                    -           -           -            -              not run',
        'graph store                passed 7       -                    -           -           skipped [1]  -              -',
        'graph through the gateway  FAILED (hook)  -                    -           -           skipped [1]  -              -',
        'login limiter              -              passed 3 +1 skipped  -           FAILED 1/4  -            -              -',
        'search index               passed 12      -                    passed 12   -           -            skipped [2]    -',
        '',
        '[1] Neo4j at bolt://n: UNREACHABLE (refused)',
        '[2] Elasticsearch at http://es: UNREACHABLE (connect ECONNREFUSED)',
        '10 suite-backend pairs (5 suites, 7 backends): 4 passed, 2 FAILED, 3 skipped, 1 not run.',
      ].join('\n'),
    );
  });

  it('reads each contract suite once from a run (nested suites inherit its meta), and names files that did not load', () => {
    const contract: ContractTag = { suite: 'vector store', backend: 'PGlite', label: 'PGlite (embedded)' };
    const test = (state: string) => ({ result: () => ({ state }) });
    const nested = { type: 'suite', meta: () => ({ contract }), state: () => 'passed', children: { allTests: function* () {}, allSuites: function* () {} } };
    const top = {
      type: 'suite',
      meta: () => ({ contract }),
      state: () => 'failed',
      parent: { type: 'module' },
      children: {
        *allTests() {
          yield* [test('passed'), test('passed'), test('failed'), test('skipped')];
        },
        *allSuites() {
          yield nested;
        },
      },
    };
    Object.assign(nested, { parent: top });
    const plain = { type: 'suite', meta: () => ({}), parent: { type: 'module' } };
    const modules = [
      { relativeModuleId: 'a.test.ts', errors: () => [], children: { size: 2, *allSuites() { yield* [top, nested, plain]; } } },
      { relativeModuleId: 'broken.test.ts', errors: () => [new Error('SyntaxError')], children: { size: 0, *allSuites() {} } },
    ] as unknown as TestModule[];

    expect(collectOutcomes(modules)).toEqual({
      outcomes: [{ ...contract, passed: 2, failed: 1, skippedTests: 1, pending: 0, hookFailed: true }],
      unloaded: ['broken.test.ts'],
    });
  });
});
