import type { DemoDataset } from '../../demo/types.ts';
import type { Stores } from './index.ts';

/**
 * Loads the demo projects and their teams into an empty store in one transaction. The dataset
 * has no status or dates for projects, so every demo project is ACTIVE and undated.
 */
export async function loadDemo(stores: Stores, dataset: DemoDataset): Promise<void> {
  await stores.projects.createMany(
    dataset.projects.map((project) => ({
      id: project.id,
      name: project.name,
      description: project.description,
      companyId: project.companyId,
      status: 'ACTIVE',
      startDate: null,
      endDate: null,
      skillIds: [...new Set(project.skillIds.map((skillId) => skillId.toLowerCase()))],
      members: project.members,
    })),
  );
}
