import type { DemoDataset } from '../../demo/types.ts';
import type { Stores } from './index.ts';

/** Loads the demo companies into an empty store. */
export async function loadDemo(stores: Stores, dataset: DemoDataset): Promise<void> {
  for (const { id, ...fields } of dataset.companies) await stores.companies.create(fields, id);
}
