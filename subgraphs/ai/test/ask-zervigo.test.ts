import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { config } from '../../../platform/config.ts';
import type { DomainEvent } from '../../../platform/events/index.ts';
import { startFakeZervigo, type FakeZervigo } from '../../../test/fake-zervigo/server.ts';
import { graphql } from '../../../test/support/client.ts';
import { startTestSubgraph, tokenFor } from '../../../test/support/services.ts';
import type { Answerer } from '../answering/answer.ts';
import { ChatAnswerer } from '../answering/chat.ts';
import { answerProviderFrom, createAnswerer } from '../answering/provider.ts';
import type { TalentRecord } from '../answering/record.ts';
import { ZervigoAnswerer } from '../answering/zervigo.ts';
import { ai, type Stores } from '../index.ts';
import { aiConsumer } from '../projector.ts';

/**
 * askAboutTalent answered by Zervigo's AI service (a fake Zervigo on loopback), called as the
 * gateway calls the ai subgraph: cited answers with source PLATFORM, the record as the caller may
 * read it and nothing more sent out, and the offline answer whenever Zervigo fails.
 */

interface Asked {
  answer: string;
  answered: boolean;
  citations: { field: string; value: string }[];
  source: string;
}

const ASK = `query($id: ID!, $question: String!) { askAboutTalent(talentId: $id, question: $question) { answer answered citations { field value } source } }`;

const OWNER_ID = '00000000-0000-4000-8000-0000000000a1';
const RECRUITER_ID = '00000000-0000-4000-8000-0000000000b2';
const TALENT = {
  id: randomUUID(),
  name: 'Mira Castellano',
  email: 'mira.castellano@example.org',
  phone: '+351 210 000 000',
};

let fake: FakeZervigo;
let running: Awaited<ReturnType<typeof startTestSubgraph<Stores>>>;
/** Not the owner and without talent:read:contact: her contact details are not in the record they get. */
let recruiter: string;
/** data_admin holds talent:read:contact. */
let dataAdmin: string;

async function ask(token: string, question: string): Promise<Asked> {
  const response = await graphql<{ askAboutTalent: Asked }>(running.url, ASK, { id: TALENT.id, question }, token);
  expect(response.errors).toBeUndefined();
  return response.data!.askAboutTalent;
}

/** What Zervigo's AI was sent, request by request. */
const chatRequests = () => fake.requests('ai').map((request) => request.body as { question: string; subject: string; facts: { field: string; text: string }[] });

let position = 0;
const event = (type: 'Skill' | 'Talent' | 'Resume', source: string, payload: Record<string, unknown> & { id: string }): DomainEvent => ({
  id: randomUUID(),
  type: `${type.toLowerCase()}.updated`,
  source,
  aggregate: { type, id: payload.id },
  payload,
  occurredAt: new Date().toISOString(),
  position: ++position,
});

beforeAll(async () => {
  fake = await startFakeZervigo();
  // The ai subgraph as it starts, its answerer the one AI_ANSWER_PROVIDER=zervigo chooses, pointed at the fake.
  running = await startTestSubgraph<Stores>({
    ...ai,
    async createStores(db) {
      const stores = await ai.createStores(db);
      return { ...stores, answerer: createAnswerer('zervigo', { offline: stores.offline, zervigo: () => fake.config() }) };
    },
  });
  const skillId = randomUUID();
  const apply = (change: DomainEvent) => running.db.transaction((tx) => aiConsumer.apply(running.stores, change, tx));
  await apply(event('Skill', 'skills', { id: skillId, name: 'Rust', aliases: [] }));
  await apply(
    event('Talent', 'resumes', {
      id: TALENT.id,
      name: TALENT.name,
      headline: 'Platform engineer',
      location: { city: 'Lisbon', country: 'Portugal', remote: false },
      tags: [],
      contact: { email: TALENT.email, phone: TALENT.phone },
      ownerId: OWNER_ID,
    }),
  );
  await apply(
    event('Resume', 'resumes', {
      id: randomUUID(),
      talentId: TALENT.id,
      updatedAt: new Date().toISOString(),
      title: 'Senior platform engineer',
      summary: 'Runs Kubernetes clusters for payment systems.',
      experience: [{ title: 'Site reliability engineer', companyName: 'Northwind', from: '2019-03', to: null, description: 'On call for the payment systems.' }],
      skills: [{ skillId, level: 'ADVANCED', years: 4 }],
      education: [],
    }),
  );
  recruiter = await tokenFor('user', RECRUITER_ID);
  dataAdmin = await tokenFor('data_admin');
}, 120_000);

afterAll(async () => {
  await running?.stop();
  await fake?.stop();
});

describe("askAboutTalent through Zervigo's AI service", () => {
  it('passes on its answer with the fields it cited, as source PLATFORM', async () => {
    fake.reset();
    expect(await ask(recruiter, 'What is her location?')).toEqual({
      answer: 'Lisbon, Portugal',
      answered: true,
      citations: [{ field: 'talent.location', value: 'Lisbon, Portugal' }],
      source: 'PLATFORM',
    });
    const [sent, ...more] = chatRequests();
    expect(more).toEqual([]);
    expect(sent!.question).toBe('What is her location?');
    expect(sent!.subject).toBe(TALENT.name);
    expect(sent!.facts).toContainEqual({ field: 'talent.location', text: 'Lisbon, Portugal' });
    expect(sent!.facts).toContainEqual({ field: 'resume.skills[0]', text: 'Rust (advanced, 4 years)' });
  });

  it('reports no answer when the record does not hold one', async () => {
    const reply = await ask(recruiter, 'What is her favourite food?');
    expect(reply).toEqual({ answer: `${TALENT.name}'s record does not say.`, answered: false, citations: [], source: 'PLATFORM' });
  });

  it('never sends personal data the caller may not read, so cannot answer with it', async () => {
    fake.reset();
    const reply = await ask(recruiter, 'What is her email address?');
    expect(reply).toMatchObject({ answered: false, citations: [], source: 'PLATFORM' });
    expect(reply.answer).not.toContain(TALENT.email);
    const [sent] = chatRequests();
    expect(sent!.facts.length).toBeGreaterThan(0);
    expect(sent!.facts.filter((fact) => fact.field.startsWith('talent.contact'))).toEqual([]);
    expect(JSON.stringify(fake.requests())).not.toContain(TALENT.email);
    expect(JSON.stringify(fake.requests())).not.toContain(TALENT.phone);

    // A caller who may read it: the same question is sent with the email, and answered from it.
    fake.reset();
    expect(await ask(dataAdmin, 'What is her email address?')).toEqual({
      answer: TALENT.email,
      answered: true,
      citations: [{ field: 'talent.contact.email', value: TALENT.email }],
      source: 'PLATFORM',
    });
    expect(chatRequests()[0]!.facts).toContainEqual({ field: 'talent.contact.email', text: TALENT.email });
  });

  it('answers offline, without an error, when Zervigo is down, failing or too slow', async () => {
    const offline = { answer: `From ${TALENT.name}'s record: Lisbon, Portugal.`, answered: true, citations: [{ field: 'talent.location', value: 'Lisbon, Portugal' }], source: 'EXTRACTIVE' };
    await fake.down('ai');
    try {
      expect(await ask(recruiter, 'What is her location?')).toEqual(offline);
    } finally {
      await fake.up('ai');
    }
    fake.reset();
    fake.failNext('ai', 1, 500);
    expect(await ask(recruiter, 'What is her location?')).toEqual(offline);
    expect(fake.requests('ai')).toHaveLength(1);
    fake.slow('ai', 1_500); // beyond the client's 1 s timeout
    expect(await ask(recruiter, 'What is her location?')).toEqual(offline);
    fake.slow('ai', 0);
    // Nothing sticks: the next question goes to Zervigo again.
    expect(await ask(recruiter, 'What is her location?')).toMatchObject({ answered: true, source: 'PLATFORM' });
  });
});

describe('the Zervigo answerer on answers Zervigo should not give', () => {
  const record: TalentRecord = {
    talentId: TALENT.id,
    name: TALENT.name,
    facts: [{ field: 'talent.location', topic: 'location', text: 'Lisbon, Portugal' }],
    personalDataWithheld: true,
  };
  const replying = (reply: unknown) => new ZervigoAnswerer({ chat: () => Promise.resolve(reply as never) });

  it('counts an answer only with a citation of a field it was given', async () => {
    expect(await replying({ answer: TALENT.email, fields: ['talent.contact.email'] }).answer(record, 'Her email?')).toMatchObject({ answered: false, citations: [], source: 'PLATFORM' });
    expect(await replying({ answer: 'Lisbon', fields: [] }).answer(record, 'Where?')).toMatchObject({ answered: false, source: 'PLATFORM' });
    expect(await replying({ answer: '  ', fields: ['talent.location'] }).answer(record, 'Where?')).toMatchObject({ answered: false, source: 'PLATFORM' });
    expect(await replying({ answer: 'Lisbon', fields: ['talent.location', 'talent.salary'] }).answer(record, 'Where?')).toEqual({
      text: 'Lisbon',
      answered: true,
      citations: record.facts,
      source: 'PLATFORM',
    });
  });

  it('throws on an answer not shaped as agreed, so the resolver answers offline', async () => {
    for (const reply of [null, 'Lisbon', { answer: 'Lisbon' }, { answer: 42, fields: [] }, { answer: 'Lisbon', fields: [7] }]) {
      await expect(replying(reply).answer(record, 'Where?')).rejects.toMatchObject({ name: 'ZervigoError', failure: 'bad-answer' });
    }
  });
});

describe('choosing the answer provider (AI_ANSWER_PROVIDER)', () => {
  const offline: Answerer = { answer: () => Promise.reject(new Error('not called')) };
  const chat = { baseUrl: 'http://127.0.0.1:9/v1', model: 'm', timeoutMs: 1_000 };
  const noZervigo = () => ({ urls: {}, timeoutMs: 1_000 });

  it('defaults to the chat model with AI_BASE_URL, else the extractive answerer, and reads any case', () => {
    expect(answerProviderFrom(undefined, undefined)).toBe('extractive');
    expect(answerProviderFrom('', 'http://model/v1')).toBe('chat');
    expect(answerProviderFrom(undefined, 'http://model/v1')).toBe('chat');
    expect(answerProviderFrom(' Zervigo ', undefined)).toBe('zervigo');
    expect(answerProviderFrom('zervigo', 'http://model/v1')).toBe('zervigo');
    expect(answerProviderFrom('extractive', 'http://model/v1')).toBe('extractive');
    expect(answerProviderFrom('chat', 'http://model/v1')).toBe('chat');
  });

  it('refuses an unknown provider, and chat without AI_BASE_URL, naming what to set', () => {
    expect(() => answerProviderFrom('openai', undefined)).toThrow('AI_ANSWER_PROVIDER must be one of extractive, chat, zervigo, not "openai"');
    expect(() => answerProviderFrom('chat', undefined)).toThrow(/AI_ANSWER_PROVIDER=chat needs AI_BASE_URL/);
  });

  it('builds the answerer each provider names', () => {
    expect(createAnswerer('extractive', { offline, chat, zervigo: noZervigo })).toBe(offline);
    expect(createAnswerer('chat', { offline, chat, zervigo: noZervigo })).toBeInstanceOf(ChatAnswerer);
    expect(createAnswerer('zervigo', { offline, zervigo: () => ({ urls: { ai: 'http://127.0.0.1:8206' }, timeoutMs: 1_000 }) })).toBeInstanceOf(ZervigoAnswerer);
    // Zervigo is read only when chosen: a broken ZERVIGO_* does not stop the other providers.
    const broken = () => {
      throw new Error('ZERVIGO_TIMEOUT_MS must be a positive number');
    };
    expect(createAnswerer('extractive', { offline, zervigo: broken })).toBe(offline);
  });

  it("stops the ai subgraph's start-up when zervigo is chosen without Zervigo's ai service", async () => {
    const chosen = config.ai.answerProvider;
    config.ai.answerProvider = 'zervigo';
    vi.stubEnv('ZERVIGO_BASE_URL', '');
    vi.stubEnv('ZERVIGO_AI_URL', '');
    vi.stubEnv('ZERVIGO_USER_URL', 'http://127.0.0.1:8081'); // another service configured does not do
    try {
      await expect(ai.createStores(running.db)).rejects.toThrow(
        "AI_ANSWER_PROVIDER=zervigo needs Zervigo's ai service: set ZERVIGO_BASE_URL (every Zervigo service on one host) or ZERVIGO_AI_URL",
      );
      vi.stubEnv('ZERVIGO_AI_URL', fake.urls.ai);
      const stores = await ai.createStores(running.db);
      expect(stores.answerer).toBeInstanceOf(ZervigoAnswerer);
      await ai.close?.(stores);
    } finally {
      config.ai.answerProvider = chosen;
      vi.unstubAllEnvs();
    }
  });
});
