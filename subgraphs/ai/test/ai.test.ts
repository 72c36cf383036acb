import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../../demo/load.ts';
import { codes } from '../../../test/support/client.ts';
import { eventually } from '../../../test/support/eventually.ts';
import { startTestSupergraph } from '../../../test/support/services.ts';
import { signedIn } from '../../../test/support/signed-in.ts';
import type { Stores } from '../index.ts';

/**
 * Matching through the gateway on the demo data, with the embedded defaults (the hashing
 * embedder, pgvector in PGlite), fed by the owners' events.
 */

interface Explained {
  score: number;
  explanation: {
    parts: { name: string; value: number; weight: number }[];
    matchedSkills: { skill: { id: string; name: string }; level: string; requiredLevel: string; fit: number }[];
    missingSkills: { skill: { id: string; name: string }; requiredLevel: string }[];
    yearsOfExperience: number;
  };
}

const EXPLANATION = `score explanation {
  parts { name value weight }
  matchedSkills { skill { id name } level requiredLevel fit }
  missingSkills { skill { id name } requiredLevel }
  yearsOfExperience
}`;

const FLAGSHIP = `query($id: ID!) {
  job(id: $id) {
    title
    requiredSkills { level skill { id name } }
    matchingTalents(first: 5) {
      talent { id name colleagues(first: 3) { overlapMonths talent { name } company { name } } }
      ${EXPLANATION}
    }
  }
}`;

let supergraph: Awaited<ReturnType<typeof startTestSupergraph>>;
const people = signedIn({ recruiter: 'recruiter@looma.dev', admin: 'admin@looma.dev', guest: 'guest@looma.dev', anonymous: null });

const expectConsistent = (match: Explained) => {
  const { parts } = match.explanation;
  expect(parts.map((part) => part.name)).toEqual(['SKILLS', 'SIMILARITY', 'EXPERIENCE', 'LOCATION']);
  expect(parts.reduce((sum, part) => sum + part.weight, 0)).toBeCloseTo(1, 10);
  for (const value of [match.score, ...parts.map((part) => part.value)]) {
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThanOrEqual(1);
  }
  expect(match.score).toBeCloseTo(parts.reduce((sum, part) => sum + part.weight * part.value, 0), 10);
};

describe('matching through the gateway (hashing embedder, pgvector in PGlite)', () => {
  let jobId: string;

  beforeAll(async () => {
    supergraph = await startTestSupergraph(loadDemoData);
    await supergraph.built();
    await people.signIn(supergraph.url);
    const { jobs } = await people.ok<{ jobs: { edges: { node: { id: string } }[] } }>('recruiter', `{ jobs(first: 1, filter: { status: [OPEN] }) { edges { node { id } } } }`);
    jobId = jobs.edges[0]!.node.id;
  }, 120_000);
  afterAll(() => supergraph?.stop());

  it("answers in one request a job, its top 5 talents with explanations, and each talent's colleagues", async () => {
    const { job } = await people.ok<{
      job: { requiredSkills: { skill: { id: string } }[]; matchingTalents: (Explained & { talent: { name: string; colleagues: unknown[] } })[] };
    }>('recruiter', FLAGSHIP, { id: jobId });
    expect(job.matchingTalents).toHaveLength(5);
    const scores = job.matchingTalents.map((match) => match.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const required = job.requiredSkills.map((entry) => entry.skill.id).sort();
    for (const match of job.matchingTalents) {
      expectConsistent(match);
      expect(match.talent.name).toEqual(expect.any(String));
      expect(Array.isArray(match.talent.colleagues)).toBe(true);
      // Every required skill is either held (with a name from the skills subgraph) or missing.
      const named = [...match.explanation.matchedSkills, ...match.explanation.missingSkills].map((entry) => entry.skill);
      expect(named.map((skill) => skill.id).sort()).toEqual(required);
      for (const skill of named) expect(skill.name).toEqual(expect.any(String));
    }
    // The best talent for a job holds some of what it asks.
    expect(job.matchingTalents[0]!.explanation.matchedSkills.length).toBeGreaterThan(0);
  });

  it('ranks open jobs for a talent, explained the same way', async () => {
    const { talents } = await people.ok<{ talents: { edges: { node: { id: string } }[] } }>('recruiter', `{ talents(first: 1) { edges { node { id } } } }`);
    const { talent } = await people.ok<{ talent: { matchingJobs: (Explained & { job: { status: string } })[] } }>(
      'recruiter',
      `query($id: ID!) { talent(id: $id) { matchingJobs(first: 10) { job { status } ${EXPLANATION} } } }`,
      { id: talents.edges[0]!.node.id },
    );
    expect(talent.matchingJobs.length).toBeGreaterThan(0);
    for (const match of talent.matchingJobs) {
      expect(match.job.status).toBe('OPEN');
      expectConsistent(match);
    }
  });

  it('puts a new talent who fits the job exactly at the top within 2 seconds, and forgets them once deleted', async () => {
    const { job } = await people.ok<{ job: { title: string; location: { city: string | null; country: string | null } | null; requiredSkills: { level: string; skill: { id: string } }[] } }>(
      'recruiter',
      `query($id: ID!) { job(id: $id) { title location { city country } requiredSkills { level skill { id } } } }`,
      { id: jobId },
    );
    const { createTalent } = await people.ok<{ createTalent: { id: string } }>('recruiter', `mutation($input: CreateTalentInput!) { createTalent(input: $input) { id } }`, {
      input: { name: 'Perfect Fit', headline: job.title, location: { city: job.location?.city ?? null, country: job.location?.country ?? null } },
    });
    const talentId = createTalent.id;
    await people.ok('recruiter', `mutation($id: ID!, $input: ResumeInput!) { createResume(talentId: $id, input: $input) { id } }`, {
      id: talentId,
      input: {
        title: job.title,
        experience: [{ companyName: 'Somewhere', title: job.title, from: '2012-01', to: null }],
        skills: job.requiredSkills.map((entry) => ({ skillId: entry.skill.id, level: 'EXPERT', years: 8 })),
      },
    });
    const top = () => people.ok<{ job: { matchingTalents: (Explained & { talent: { id: string } })[] } }>('recruiter', `query($id: ID!) { job(id: $id) { matchingTalents(first: 1) { talent { id } ${EXPLANATION} } } }`, { id: jobId });
    const found = await eventually(top, (data) => data.job.matchingTalents[0]?.talent.id === talentId, 2_000);
    const best = found.job.matchingTalents[0]!;
    expect(best.explanation.missingSkills).toEqual([]);
    expect(best.explanation.matchedSkills.every((skill) => skill.fit === 1)).toBe(true);

    await people.ok('admin', `mutation($id: ID!) { deleteTalent(id: $id) }`, { id: talentId });
    await eventually(top, (data) => data.job.matchingTalents[0]?.talent.id !== talentId, 2_000);
    const { stores } = supergraph.subgraphs.get('ai')! as { stores: Stores };
    expect(await stores.vectors.vectorOf('Talent', talentId)).toBeNull();
  });

  it('embeds a job again within 2 seconds of a change to it', async () => {
    const { stores } = supergraph.subgraphs.get('ai')! as { stores: Stores };
    const before = await stores.vectors.vectorOf('Job', jobId);
    expect(before).not.toBeNull();
    await people.ok('admin', `mutation($id: ID!) { updateJob(id: $id, input: { description: "Now also: welding, forklifts and pastry" }) { id } }`, { id: jobId });
    await eventually(
      () => stores.vectors.vectorOf('Job', jobId),
      (after) => after !== null && after.some((value, index) => Math.abs(value - before![index]!) > 1e-9),
      2_000,
    );
  });

  it('stores no embedding for a talent whose profile has no words yet, and matches them without failing', async () => {
    const { createTalent } = await people.ok<{ createTalent: { id: string } }>('recruiter', `mutation($input: CreateTalentInput!) { createTalent(input: $input) { id } }`, {
      input: { name: 'Nobody Yet' },
    });
    const talentId = createTalent.id;
    const { stores } = supergraph.subgraphs.get('ai')! as { stores: Stores };
    // Embedded once the AI subgraph holds the talent: a text with no words is a zero vector, which has no cosine.
    await eventually(
      () => stores.db.query('select 1 from talents where id = $1', [talentId]),
      (rows) => rows.length === 1,
      2_000,
    );
    expect(await stores.vectors.vectorOf('Talent', talentId)).toBeNull();
    const { talent } = await people.ok<{ talent: { matchingJobs: Explained[] } }>('recruiter', `query($id: ID!) { talent(id: $id) { matchingJobs(first: 10) { ${EXPLANATION} } } }`, {
      id: talentId,
    });
    for (const match of talent.matchingJobs) expectConsistent(match);
    await people.ok('admin', `mutation($id: ID!) { deleteTalent(id: $id) }`, { id: talentId });
  });

  it('keeps talents from whoever may not read them, and refuses a page size out of range', async () => {
    const asGuest = await people.as('guest', `query($id: ID!) { job(id: $id) { title matchingTalents { score } } }`, { id: jobId });
    expect(codes(asGuest)).toEqual(['FORBIDDEN']);
    expect(asGuest.data).toEqual({ job: { title: expect.any(String), matchingTalents: null } });
    const tooMany = await people.as('recruiter', `query($id: ID!) { job(id: $id) { matchingTalents(first: 51) { score } } }`, { id: jobId });
    expect(codes(tooMany)).toEqual(['BAD_USER_INPUT']);
  });
});
