import type { DemoDataset } from '../../demo/types.ts';
import type { Stores } from './index.ts';
import { SKILL_CATEGORIES, type SkillCategory } from './store.ts';

const isCategory = (value: string): value is SkillCategory => (SKILL_CATEGORIES as readonly string[]).includes(value);

/** Loads the demo skills into an empty store: all skills first, then their relations, in one transaction. */
export async function loadDemo(stores: Stores, dataset: DemoDataset): Promise<void> {
  await stores.skills.createMany(
    dataset.skills.map((skill) => {
      if (!isCategory(skill.category)) throw new Error(`Demo skill ${skill.name} has an unknown category ${skill.category}`);
      return {
        id: skill.id,
        name: skill.name,
        category: skill.category,
        aliases: skill.aliases,
        description: null,
        relatedIds: skill.relatedIds,
      };
    }),
  );
}
