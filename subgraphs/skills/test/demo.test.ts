import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DemoDataset, DemoSkill } from '../../../demo/types.ts';
import { graphql } from '../../../test/support/client.ts';
import { backends } from '../../../test/support/databases.ts';
import { contractSuite } from '../../../test/support/contract.ts';
import { startTestSubgraph } from '../../../test/support/services.ts';
import { loadDemo } from '../demo.ts';
import { skills, type Stores } from '../index.ts';

const SIZE = 200;
const idOf = (index: number) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;

/** A dataset shaped like demo/dataset.ts output: each skill related to the next and the 7th next. */
function dataset(demoSkills: DemoSkill[]): DemoDataset {
  return { users: [], skills: demoSkills, companies: [], talents: [], resumes: [], jobs: [], applications: [], projects: [], acquaintances: [] };
}
const demoSkills: DemoSkill[] = Array.from({ length: SIZE }, (_, i) => ({
  id: idOf(i),
  name: `Demo Skill ${i}`,
  category: i % 2 ? 'TOOL' : 'LANGUAGE',
  // The second alias repeats the name's key and is dropped.
  aliases: [`DS${i}`, `demo-skill-${i}`],
  relatedIds: [idOf((i + 1) % SIZE), idOf((i + 7) % SIZE)],
}));

for (const { backend, target } of await backends()) {
  contractSuite('skills demo loader', target, () => {
    let running: Awaited<ReturnType<typeof startTestSubgraph<Stores>>>;
    beforeAll(async () => {
      running = await startTestSubgraph(skills, backend);
    });
    afterAll(() => running?.stop());

    it('rejects a dataset with a shared key and loads nothing', async () => {
      const clash = [demoSkills[0]!, { ...demoSkills[1]!, aliases: ['ds 0'] }];
      await expect(loadDemo(running.stores, dataset(clash))).rejects.toThrow(/ds 0/);
      const badCategory = [{ ...demoSkills[0]!, category: 'WIZARDRY' }];
      await expect(loadDemo(running.stores, dataset(badCategory))).rejects.toThrow(/WIZARDRY/);
      expect(await running.stores.skills.count()).toBe(0);
    });

    it(`loads ${SIZE} skills with their ids, aliases and symmetric relations in a few statements`, async () => {
      const before = running.db.stats.queries;
      const started = performance.now();
      await loadDemo(running.stores, dataset(demoSkills));
      const elapsed = performance.now() - started;
      expect(elapsed).toBeLessThan(2000);
      expect(running.db.stats.queries - before).toBeLessThanOrEqual(5);
      expect(await running.stores.skills.count()).toBe(SIZE);

      const result = await graphql<{ skill: { name: string; category: string; aliases: string[]; related: { id: string }[] } }>(
        running.url,
        `query($id: ID!) { skill(id: $id) { name category aliases related { id } } }`,
        { id: idOf(0) },
      );
      expect(result.data!.skill).toMatchObject({ name: 'Demo Skill 0', category: 'LANGUAGE', aliases: ['DS0'] });
      // 0 lists 1 and 7 itself; 199 and 193 list 0, so 0 lists them too.
      expect(result.data!.skill.related.map((s) => s.id).sort()).toEqual([1, 7, SIZE - 7, SIZE - 1].map(idOf).sort());

      const normalized = await graphql<{ normalizeSkills: { id: string }[] }>(
        running.url,
        `{ normalizeSkills(names: ["ds-42", "DEMO SKILL 43"]) { id } }`,
      );
      expect(normalized.data!.normalizeSkills).toEqual([{ id: idOf(42) }, { id: idOf(43) }]);
    });
  });
}
