import { numberFromEnv } from '../../platform/env-number.ts';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../platform/db/db.ts';
import type { SubgraphDefinition } from '../../platform/subgraph.ts';
import { registerIntegrationsMetrics } from './metrics.ts';
import { integrationsConsumer } from './projector.ts';
import { resolvers } from './resolvers/index.ts';
import { SyncJobRunner, type JobRunnerOptions } from './sync/job-runner.ts';
import { PlatformSyncStore } from './sync/store.ts';
import { TalentSync } from './sync/talent-sync.ts';
import { ZervigoClient, anyConfigured, zervigoConfigFromEnv, type ZervigoConfig } from '../../platform/zervigo-client.ts';
import { PlatformHealth } from './zervigo/health.ts';
import { CallPolicies, callPolicyOptionsFromEnv, type CallPolicyOptions } from './zervigo/policy.ts';

export interface Stores {
  /** Whether any Zervigo URL is set: without one every field answers NOT_CONFIGURED. */
  configured: boolean;
  zervigo: ZervigoClient;
  policies: CallPolicies;
  store: PlatformSyncStore;
  health: PlatformHealth;
  sync: TalentSync;
  runner: SyncJobRunner;
}

export interface IntegrationsOptions {
  zervigo: ZervigoConfig;
  policy: CallPolicyOptions;
  jobs: JobRunnerOptions;
  /** How often each Zervigo service's /health is checked. */
  healthIntervalMs: number;
}

const positive = (name: string, fallback: number) => numberFromEnv(process.env, name, fallback, { above: 0 });

/** ZERVIGO_* from the environment (platform/zervigo-client.ts and zervigo/policy.ts say which). */
export function integrationsOptionsFromEnv(): IntegrationsOptions {
  return {
    zervigo: zervigoConfigFromEnv(),
    policy: callPolicyOptionsFromEnv(),
    jobs: { ratePerSecond: positive('ZERVIGO_SYNC_RATE_PER_SECOND', 5), idleMs: 2_000 },
    healthIntervalMs: positive('ZERVIGO_HEALTH_INTERVAL_MS', 30_000),
  };
}

/**
 * The connector to Zervigo, the external recruiting platform. Its own tables (a copy of talents
 * built from the owners' events, their links to Zervigo, sync jobs) live in its schema; its
 * background work (health checks, the sync job runner) starts with the stores and stops with them.
 */
export function integrationsSubgraph(options: IntegrationsOptions | (() => IntegrationsOptions) = integrationsOptionsFromEnv): SubgraphDefinition<Stores> {
  return {
    name: 'integrations',
    directory: dirname(fileURLToPath(import.meta.url)),
    createStores(db: Db): Stores {
      const { zervigo: config, policy, jobs, healthIntervalMs } = typeof options === 'function' ? options() : options;
      const zervigo = new ZervigoClient(config);
      const policies = new CallPolicies(policy);
      const store = new PlatformSyncStore(db);
      const sync = new TalentSync(store, zervigo, policies);
      const configured = anyConfigured(config);
      const health = new PlatformHealth(zervigo, healthIntervalMs);
      const runner = new SyncJobRunner(store, sync, (key, work) => db.withLock(key, work), jobs);
      if (configured) {
        health.start();
        runner.start();
      }
      return { configured, zervigo, policies, store, health, sync, runner };
    },
    resolvers,
    consumer: integrationsConsumer,
    metrics: registerIntegrationsMetrics,
    external: (stores) => ({ zervigo: stores.configured ? stores.health.current() : 'not configured' }),
    close: async ({ health, runner }) => {
      health.stop();
      await runner.stop();
    },
  };
}

export const integrations = integrationsSubgraph();
