import { domains } from '../subgraphs/index.ts';
import { logger } from '../platform/logger.ts';
import { generateDemoDataset } from './dataset.ts';
import type { DemoDataset } from './types.ts';

/** Loads the demo dataset into freshly migrated stores, subgraph by subgraph. */
export async function loadDemoData(stores: Map<string, unknown>): Promise<void> {
  await loadDataset(stores, generateDemoDataset());
}

/**
 * Loads a dataset (the demo's, or a grown one) into freshly migrated stores, subgraph by subgraph,
 * and logs and returns how long each subgraph took: what shows which load dominates.
 */
export async function loadDataset(stores: Map<string, unknown>, dataset: DemoDataset): Promise<Record<string, number>> {
  const started = Date.now();
  const msBySubgraph: Record<string, number> = {};
  for (const { definition, loadDemo } of domains) {
    const own = stores.get(definition.name);
    if (!own || !loadDemo) continue;
    const subgraphStarted = Date.now();
    await loadDemo(own, dataset);
    msBySubgraph[definition.name] = Date.now() - subgraphStarted;
  }
  logger.info(
    { ms: Date.now() - started, msBySubgraph, talents: dataset.talents.length, companies: dataset.companies.length, jobs: dataset.jobs.length, skills: dataset.skills.length },
    'demo dataset loaded',
  );
  return msBySubgraph;
}
