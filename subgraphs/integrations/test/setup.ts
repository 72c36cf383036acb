import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../../platform/db/db.ts';
import type { DomainEvent } from '../../../platform/events/index.ts';
import type { FakeZervigo } from '../../../test/fake-zervigo/server.ts';
import type { IntegrationsOptions } from '../index.ts';
import { integrationsConsumer } from '../projector.ts';

/** Options for the subgraph against a fake Zervigo: short timeouts and backoffs, a fast job runner. */
export function optionsFor(fake: FakeZervigo, overrides: Partial<IntegrationsOptions> = {}): IntegrationsOptions {
  return {
    zervigo: fake.config({ timeoutMs: 400 }),
    // A breaker that opens only when a test means it to (the breaker's own test lowers the threshold).
    policy: { attempts: 3, initialBackoffMs: 10, maxBackoffMs: 40, breakerThreshold: 1_000, breakerCooldownMs: 500 },
    jobs: { ratePerSecond: 100, idleMs: 50 },
    healthIntervalMs: 60_000,
    ...overrides,
  };
}

export const SKILLS = { typescript: randomUUID(), graphql: randomUUID(), postgres: randomUUID() };

let position = 1;
const event = (type: string, aggregate: string, id: string, payload: Record<string, unknown>): DomainEvent => ({
  id: randomUUID(),
  type,
  source: aggregate === 'Skill' ? 'skills' : 'resumes',
  aggregate: { type: aggregate, id },
  payload,
  occurredAt: new Date().toISOString(),
  position: position++,
});

/** The skills the resumes name, as the skills subgraph's events carry them. */
export async function seedSkills(db: Queryable): Promise<void> {
  const names = { typescript: 'TypeScript', graphql: 'GraphQL', postgres: 'PostgreSQL' } as const;
  for (const [key, id] of Object.entries(SKILLS)) {
    await integrationsConsumer.apply(undefined, event('skill.created', 'Skill', id, { id, name: names[key as keyof typeof names], aliases: [] }), db);
  }
}

/** A talent with one resume, as the resumes subgraph's events carry them; returns the talent's id. */
export async function seedTalent(db: Queryable, name: string, options: { tags?: string[]; email?: string } = {}): Promise<{ id: string; resumeId: string }> {
  const id = randomUUID();
  const resumeId = randomUUID();
  const now = new Date().toISOString();
  await integrationsConsumer.apply(
    undefined,
    event('talent.created', 'Talent', id, {
      id,
      name,
      headline: `${name}, engineer`,
      location: { city: 'Berlin', country: 'DE' },
      tags: options.tags ?? [],
      contact: { email: options.email ?? `${name.toLowerCase().replace(/\W+/g, '.')}@example.com`, phone: null },
      updatedAt: now,
    }),
    db,
  );
  await integrationsConsumer.apply(
    undefined,
    event('resume.created', 'Resume', resumeId, {
      id: resumeId,
      talentId: id,
      title: 'Backend engineer',
      summary: 'Builds APIs',
      skills: [
        { skillId: SKILLS.typescript, level: 'EXPERT', years: 6 },
        { skillId: SKILLS.graphql, level: 'ADVANCED', years: 4 },
      ],
      experience: [{ companyId: null, companyName: 'Acme', title: 'Engineer', from: '2020-01', to: null, description: null }],
      education: [{ institution: 'TU Berlin', degree: 'MSc', field: 'CS', from: null, to: null }],
      updatedAt: now,
    }),
    db,
  );
  return { id, resumeId };
}

/** A later change to a talent (their headline), as a live event. */
export async function changeTalent(db: Queryable, id: string, name: string): Promise<void> {
  await integrationsConsumer.apply(
    undefined,
    event('talent.updated', 'Talent', id, { id, name, headline: 'Changed', location: null, tags: [], contact: null, updatedAt: new Date().toISOString() }),
    db,
  );
}
