import { domains } from '../subgraphs/index.ts';
import { logger } from '../platform/logger.ts';
import { generateDemoDataset } from './dataset.ts';

/** Loads the demo dataset into freshly migrated stores, subgraph by subgraph. */
export async function loadDemoData(stores: Map<string, unknown>): Promise<void> {
  const started = Date.now();
  const dataset = generateDemoDataset();
  for (const { definition, loadDemo } of domains) {
    const own = stores.get(definition.name);
    if (own && loadDemo) await loadDemo(own, dataset);
  }
  logger.info(
    { ms: Date.now() - started, talents: dataset.talents.length, companies: dataset.companies.length, jobs: dataset.jobs.length, skills: dataset.skills.length },
    'demo dataset loaded',
  );
}
