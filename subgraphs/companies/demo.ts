import type { DemoDataset } from '../../demo/types.ts';
import type { Stores } from './index.ts';

/** Loads the demo companies into an empty store, in bulk (the growth benchmark loads tens of thousands). */
export async function loadDemo(stores: Stores, dataset: DemoDataset): Promise<void> {
  await stores.companies.importMany(dataset.companies);
}
