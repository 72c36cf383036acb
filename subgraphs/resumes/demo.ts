import type { DemoDataset } from '../../demo/types.ts';
import { tags } from '../../platform/validate.ts';
import type { Stores } from './index.ts';

/**
 * Loads the demo talents and resumes into empty stores, each resume's versions in order as its
 * history. Bulk statements in one transaction each: hundreds of talents load in about a second.
 */
export async function loadDemo(stores: Stores, dataset: DemoDataset): Promise<void> {
  await stores.talents.importMany(
    dataset.talents.map((talent) => ({
      id: talent.id,
      name: talent.name,
      headline: talent.headline,
      contact: talent.contact,
      // The dataset has no salary expectations (demo/types.ts names none).
      salaryExpectation: null,
      location: talent.location,
      // Stored tags are lower-case, as the mutations keep them, so tag filters match.
      tags: tags(talent.tags),
      ownerId: talent.ownerId,
      userId: talent.userId,
    })),
  );
  // The dataset names no resume authors; the talent's owning recruiter is the natural one.
  const ownerOf = new Map(dataset.talents.map((talent) => [talent.id, talent.ownerId]));
  await stores.resumes.importMany(
    dataset.resumes.map((resume) => ({
      id: resume.id,
      talentId: resume.talentId,
      authorId: ownerOf.get(resume.talentId) ?? null,
      versions: resume.versions,
    })),
  );
}
