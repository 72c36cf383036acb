import { describe, expect, it } from 'vitest';
import { DEMO_TALENTS, generateDemoDataset, sizesFor } from './dataset.ts';

// The bilingual slice (demo/bilingual.ts) comes on top of any size.
const SLICE = { talents: 11, companies: 3, jobs: 9 };

describe('the demo dataset', () => {
  it('is the same demo with or without its size given', () => {
    const demo = generateDemoDataset();
    expect(generateDemoDataset(2026, DEMO_TALENTS)).toEqual(demo);
    expect([demo.talents.length, demo.companies.length, demo.jobs.length, demo.projects.length, demo.users.length]).toEqual([211, 33, 109, 40, 56]);
  });

  it('grows companies, jobs, recruiters and projects in the demo\'s proportion to the talents', () => {
    const sizes = sizesFor(1000);
    expect(sizes).toEqual({ talents: 1000, companies: 150, jobs: 500, recruiters: 60, projects: 200 });
    const grown = generateDemoDataset(2026, 1000);
    expect(grown.talents).toHaveLength(sizes.talents + SLICE.talents);
    expect(grown.companies).toHaveLength(sizes.companies + SLICE.companies);
    expect(grown.jobs).toHaveLength(sizes.jobs + SLICE.jobs);
    expect(grown.projects).toHaveLength(sizes.projects);
    // Staff (five named accounts, then recruiters) and one account per fifth talent.
    expect(grown.users.filter((user) => user.role === 'user' && !grown.talents.some((talent) => talent.userId === user.id))).toHaveLength(sizes.recruiters);
  });

  it('gives the same data for the same seed and size, and other data for another seed', () => {
    const grown = generateDemoDataset(7, 1000);
    expect(generateDemoDataset(7, 1000)).toEqual(grown);
    expect(generateDemoDataset(8, 1000).talents[0]!.id).not.toBe(grown.talents[0]!.id);
  });

  it('keeps every reference inside the dataset and every account email distinct', () => {
    const grown = generateDemoDataset(2026, 10_000);
    expect(new Set(grown.users.map((user) => user.email)).size).toBe(grown.users.length);
    const talents = new Set(grown.talents.map((talent) => talent.id));
    const jobs = new Set(grown.jobs.map((job) => job.id));
    expect(grown.applications.every((application) => talents.has(application.talentId) && jobs.has(application.jobId))).toBe(true);
    expect(grown.acquaintances.every((link) => talents.has(link.talentId) && talents.has(link.otherId) && link.talentId !== link.otherId)).toBe(true);
    expect(grown.projects.every((project) => project.members.every((member) => talents.has(member.talentId)))).toBe(true);
    // A job's applicants are distinct talents (the store allows one application per talent and job).
    const pairs = grown.applications.map((application) => `${application.jobId}/${application.talentId}`);
    expect(new Set(pairs).size).toBe(pairs.length);
  });

  it('refuses a size that is not a whole number of talents', () => {
    expect(() => generateDemoDataset(2026, 0)).toThrow(/whole number of talents/);
    expect(() => generateDemoDataset(2026, 10.5)).toThrow(/whole number of talents/);
  });
});
