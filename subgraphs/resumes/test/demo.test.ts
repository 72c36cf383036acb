import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DemoDataset, DemoResume, DemoResumeDocument, DemoTalent } from '../../../demo/types.ts';
import { graphql } from '../../../test/support/client.ts';
import { backends } from '../../../test/support/databases.ts';
import { contractSuite } from '../../../test/support/contract.ts';
import { startTestSubgraph, tokenFor } from '../../../test/support/services.ts';
import { loadDemo } from '../demo.ts';
import { resumes, type Stores } from '../index.ts';

const TALENTS = 240;
const uuid = (kind: number, n: number) => `00000000-0000-4000-8${kind.toString(16).padStart(3, '0')}-${n.toString(16).padStart(12, '0')}`;
const SKILLS = Array.from({ length: 30 }, (_, i) => uuid(1, i));

/** A deterministic dataset the size of the real demo: every talent has 1–3 resumes of 1–4 versions. */
function dataset(): DemoDataset {
  const talents: DemoTalent[] = [];
  const resumeList: DemoResume[] = [];
  for (let t = 0; t < TALENTS; t++) {
    talents.push({
      id: uuid(2, t),
      name: `Demo Talent ${t}`,
      headline: `Engineer #${t}`,
      contact: { email: `talent${t}@example.com`, phone: null, linkedin: `https://linkedin.com/in/t${t}`, website: null },
      location: { city: 'Berlin', region: null, country: t % 2 ? 'DE' : 'FR', remote: t % 3 === 0 },
      tags: t % 5 === 0 ? ['Senior', 'remote'] : ['junior'],
      ownerId: uuid(3, t % 4),
      userId: t % 10 === 0 ? uuid(4, t) : null,
    });
    for (let r = 0; r < 1 + (t % 3); r++) {
      const versions = Array.from({ length: 1 + ((t + r) % 4) }, (_, v) => document(t, r, v));
      resumeList.push({ id: uuid(5, t * 10 + r), talentId: uuid(2, t), versions });
    }
  }
  return { users: [], skills: [], companies: [], talents, resumes: resumeList, jobs: [], applications: [], projects: [], acquaintances: [] };
}

function document(t: number, r: number, v: number): DemoResumeDocument {
  return {
    title: `Resume ${r} of talent ${t}`,
    summary: `Version ${v + 1}: ${'experienced builder of things. '.repeat(5)}`,
    education: [{ institution: 'TU Berlin', degree: 'MSc', field: 'Computer Science', from: '2010-10', to: '2012-09' }],
    experience: Array.from({ length: 3 + v }, (_, e) => ({
      companyId: e % 2 ? uuid(6, e) : null,
      companyName: `Company ${e}`,
      title: e === 0 && v > 0 ? `Lead ${v}` : 'Engineer',
      from: `${2012 + e}-01`,
      to: e === 2 + v ? null : `${2013 + e}-01`,
      description: 'Shipped features and mentored people.',
    })),
    skills: Array.from({ length: 8 }, (_, s) => ({ skillId: SKILLS[(t + s) % SKILLS.length]!, level: 'ADVANCED' as const, years: s + 1 })),
    projects: [{ name: 'Side project', description: null, url: 'https://example.com/' }],
    certifications: [{ name: 'CKA', issuer: 'CNCF', issuedOn: '2021-01', expiresOn: null }],
  };
}

for (const { backend, target } of await backends()) {
  contractSuite('resumes demo loader', target, () => {
    let running: Awaited<ReturnType<typeof startTestSubgraph<Stores>>>;
    const data = dataset();
    beforeAll(async () => {
      running = await startTestSubgraph(resumes, backend);
    });
    afterAll(() => running?.stop());

    it('loads hundreds of talents with their resume histories in a few bulk statements', async () => {
      const statementsBefore = running.db.stats.queries;
      const started = performance.now();
      await loadDemo(running.stores, data);
      const elapsed = performance.now() - started;
      // One statement per table while under the chunk size: never one per row.
      expect(running.db.stats.queries - statementsBefore).toBeLessThanOrEqual(6);
      expect(elapsed).toBeLessThan(5_000);

      const versions = data.resumes.reduce((sum, resume) => sum + resume.versions.length, 0);
      expect(await running.stores.talents.count()).toBe(TALENTS);
      expect(await running.stores.resumes.count()).toBe(data.resumes.length);
      expect(await running.stores.resumes.countVersions()).toBe(versions);
    });

    it('serves the loaded history, owners, linked users and filters', async () => {
      const talent = data.talents[5]!;
      const resume = data.resumes.find((candidate) => candidate.talentId === talent.id && candidate.versions.length > 1)!;
      const result = await graphql<{ talent: Record<string, unknown>; resume: { version: number; title: string; versions: { version: number; author: { id: string } }[]; changes: { path: string }[] } }>(
        running.url,
        `query($talent: ID!, $resume: ID!, $last: Int!) {
          talent(id: $talent) { name tags owner { id } contact { email } salaryExpectation { min } resumes { id } }
          resume(id: $resume) { version title versions { version author { id } } changes(from: 1, to: $last) { path } }
        }`,
        { talent: talent.id, resume: resume.id, last: resume.versions.length },
        // The owning recruiter, who may read the contact details.
        await tokenFor('user', talent.ownerId),
      );
      expect(result.errors).toBeUndefined();
      // The dataset names no salary expectations, so none is loaded.
      expect(result.data!.talent).toMatchObject({
        name: talent.name,
        tags: ['senior', 'remote'],
        owner: { id: talent.ownerId },
        contact: { email: talent.contact.email },
        salaryExpectation: null,
      });
      expect(result.data!.resume.version).toBe(resume.versions.length);
      expect(result.data!.resume.versions).toEqual(resume.versions.map((_, i) => ({ version: i + 1, author: { id: talent.ownerId } })));
      expect(result.data!.resume.changes.map((change) => change.path)).toContain('experience[0].title');

      const recruiter = await tokenFor('user');
      const linked = data.talents.find((candidate) => candidate.userId)!;
      const profile = await graphql(
        running.url,
        `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { talentProfile { name } } } }`,
        { reps: [{ __typename: 'User', id: linked.userId }] },
        recruiter,
      );
      expect(profile.data).toEqual({ _entities: [{ talentProfile: { name: linked.name } }] });

      const filtered = await graphql<{ talents: { totalCount: number } }>(
        running.url,
        `query($skill: ID!) { talents(filter: { skillId: $skill, tags: ["SENIOR"] }) { totalCount } }`,
        { skill: SKILLS[0] },
        recruiter,
      );
      const expected = data.talents.filter((candidate) => {
        const lists = data.resumes.filter((r) => r.talentId === candidate.id).map((r) => r.versions.at(-1)!.skills.map((s) => s.skillId));
        return candidate.tags.includes('Senior') && lists.some((skills) => skills.includes(SKILLS[0]!));
      });
      expect(expected.length).toBeGreaterThan(0);
      expect(filtered.data!.talents.totalCount).toBe(expected.length);
    });
  });
}
