import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS entry (the Apollo packages are CommonJS); Vite would pick the
    // .mjs one for our files, and graphql refuses objects from two copies of itself.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'data/**'],
    // Suites send hundreds of operations a minute from 127.0.0.1 through one gateway: no per-principal
    // rate limit unless a test sets its own (gateway/operability.test.ts).
    env: { NODE_ENV: 'test', SIGNING_KEY_ACTIVATION_SECONDS: '1', GATEWAY_RATE_LIMIT_PER_MINUTE: '0' },
    globalSetup: ['test/support/global-setup.ts'],
    // Contract suites (test/support/contract.ts) carry this tag: `npm run test:integration` runs
    // them alone, and the second reporter ends every run with their table, backend by backend.
    tags: [{ name: 'integration', description: 'a contract suite on one backend (test/support/contract.ts)' }],
    reporters: ['default', './test/support/integration-reporter.ts'],
    // One PGlite per worker, shared by the suites it runs (see test/support/databases.ts).
    pool: 'forks',
    isolate: false,
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
