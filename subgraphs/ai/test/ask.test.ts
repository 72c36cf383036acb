import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../../demo/load.ts';
import { codes } from '../../../test/support/client.ts';
import { startTestSupergraph } from '../../../test/support/services.ts';
import { signedIn } from '../../../test/support/signed-in.ts';
import { ChatAnswerer } from '../answering/chat.ts';
import type { Stores } from '../index.ts';

/**
 * askAboutTalent through the gateway on the demo data: the offline extractive answerer, then an
 * OpenAI-compatible chat model (a local fake) answering from the same record.
 */

interface Asked {
  answer: string;
  answered: boolean;
  citations: { field: string; value: string }[];
  source: string;
}

const ASK = `query($id: ID!, $question: String!) { askAboutTalent(talentId: $id, question: $question) { answer answered citations { field value } source } }`;

let supergraph: Awaited<ReturnType<typeof startTestSupergraph>>;
const people = signedIn({ recruiter: 'recruiter@looma.dev', admin: 'admin@looma.dev', guest: 'guest@looma.dev' });
/** A talent the recruiter does not own, with an email, and what the admin may read of them. */
let talent: { id: string; email: string; city: string; skills: string[]; companies: string[] };

const ask = async (who: 'recruiter' | 'admin', question: string) =>
  (await people.ok<{ askAboutTalent: Asked }>(who, ASK, { id: talent.id, question })).askAboutTalent;

beforeAll(async () => {
  supergraph = await startTestSupergraph(loadDemoData);
  await supergraph.built();
  await people.signIn(supergraph.url);
  const { me } = await people.ok<{ me: { id: string } }>('recruiter', '{ me { id } }');
  const { talents } = await people.ok<{
    talents: {
      edges: {
        node: {
          id: string;
          owner: { id: string } | null;
          contact: { email: string | null } | null;
          location: { city: string | null } | null;
          resumes: { updatedAt: string; skills: { skill: { name: string } }[]; experience: { companyName: string }[] }[];
        };
      }[];
    };
  }>('admin', `{ talents(first: 50) { edges { node { id owner { id } contact { email } location { city } resumes { updatedAt skills { skill { name } } experience { companyName } } } } } }`);
  const node = talents.edges.map((edge) => edge.node).find((n) => n.owner?.id !== me.id && n.contact?.email && n.location?.city && n.resumes.length)!;
  const latest = node.resumes[0]!;
  talent = { id: node.id, email: node.contact!.email!, city: node.location!.city!, skills: latest.skills.map((s) => s.skill.name), companies: latest.experience.map((e) => e.companyName) };
}, 120_000);
afterAll(() => supergraph?.stop());

describe('askAboutTalent with the offline extractive answerer', () => {
  it('answers from the record, citing the fields it used', async () => {
    const skills = await ask('recruiter', 'What skills does this candidate have?');
    expect(skills).toMatchObject({ answered: true, source: 'EXTRACTIVE' });
    expect(skills.citations.length).toBe(talent.skills.length);
    for (const name of talent.skills) expect(skills.answer).toContain(name);
    expect(skills.citations.every((citation) => /^resume\.skills\[\d+\]$/.test(citation.field))).toBe(true);

    const where = await ask('recruiter', 'Where is she based?');
    expect(where.answered).toBe(true);
    expect(where.answer).toContain(talent.city);
    expect(where.citations.map((citation) => citation.field)).toEqual(['talent.location']);

    const work = await ask('recruiter', '她在哪些公司工作过？');
    expect(work.answered).toBe(true);
    for (const company of talent.companies) expect(work.answer).toContain(company);
  });

  it('answers about a skill by any of its names, and says when the record does not list it', async () => {
    const held = await ask('recruiter', `Does this person know ${talent.skills[0]}?`);
    expect(held.answered).toBe(true);
    expect(held.answer).toContain(talent.skills[0]);
    const lacking = ['Kubernetes', 'Figma', 'Swift', 'Terraform', 'PyTorch'].find((name) => !talent.skills.includes(name))!;
    const absent = await ask('recruiter', `Does this person know ${lacking}?`);
    expect(absent).toMatchObject({ answered: false, citations: [] });
    expect(absent.answer).toContain(`does not list ${lacking}`);
    // A skill the taxonomy does not know either: nothing in the record on it.
    expect(await ask('recruiter', 'Does this person know COBOL?')).toMatchObject({ answered: false, citations: [] });
  });

  it('says the record does not hold what it does not hold, instead of inventing it', async () => {
    for (const question of ['What is her favourite food?', 'How many children does he have?', 'What car does she drive?']) {
      const reply = await ask('recruiter', question);
      expect([question, reply.answered, reply.citations]).toEqual([question, false, []]);
      expect(reply.answer).toMatch(/record does not say/);
    }
  });

  it('never reveals personal data to a caller who may not read it', async () => {
    const recruiter = await ask('recruiter', 'What is her email address?');
    expect(recruiter).toMatchObject({ answered: false, citations: [] });
    expect(recruiter.answer).not.toContain(talent.email);
    expect(recruiter.answer).toMatch(/personal data/);
    const anything = await ask('recruiter', `Tell me everything: ${talent.email}`);
    expect(JSON.stringify(anything.citations)).not.toContain(talent.email);

    const admin = await ask('admin', 'What is her email address?');
    expect(admin.answered).toBe(true);
    expect(admin.answer).toContain(talent.email);
    expect(admin.citations).toContainEqual({ field: 'talent.contact.email', value: talent.email });
  });

  it('refuses guests, bad ids, empty or overlong questions, and unknown talents with the right codes', async () => {
    expect(codes(await people.as('guest', ASK, { id: talent.id, question: 'Who?' }))).toEqual(['FORBIDDEN']);
    expect(codes(await people.as('recruiter', ASK, { id: 'nope', question: 'Who?' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await people.as('recruiter', ASK, { id: talent.id, question: '  ' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await people.as('recruiter', ASK, { id: talent.id, question: 'x'.repeat(501) }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await people.as('recruiter', ASK, { id: '00000000-0000-4000-8000-000000000000', question: 'Who?' }))).toEqual(['NOT_FOUND']);
  });
});

describe('askAboutTalent with an OpenAI-compatible chat model (a local fake)', () => {
  let server: Server;
  const prompts: { model: string; system: string; user: string }[] = [];
  /** What the fake model replies, given the user message: its content as JSON, or `{ httpBody }` sent as it is. */
  let reply: (user: string) => unknown;
  let stores: Stores;
  let offline: Stores['answerer'];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      request.on('end', () => {
        const body = JSON.parse(raw) as { model: string; messages: { role: string; content: string }[] };
        const user = body.messages.find((message) => message.role === 'user')!.content;
        prompts.push({ model: body.model, system: body.messages[0]!.content, user });
        const content = reply(user);
        response.setHeader('content-type', 'application/json');
        if (typeof content === 'object' && content !== null && 'httpBody' in content) return response.end(String(content.httpBody));
        const text = typeof content === 'string' ? content : JSON.stringify(content);
        response.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: text } }] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stores = supergraph.subgraphs.get('ai')!.stores as Stores;
    offline = stores.answerer;
    stores.answerer = new ChatAnswerer({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, model: 'fake-chat', timeoutMs: 2_000 });
  });
  afterAll(async () => {
    stores.answerer = offline;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sends the model only the record the caller may read, and passes on its cited answer', async () => {
    reply = () => ({ answer: `Based in ${talent.city}.`, fields: ['talent.location'] });
    const answer = await ask('recruiter', 'Where is she based?');
    expect(answer).toEqual({ answer: `Based in ${talent.city}.`, answered: true, citations: [{ field: 'talent.location', value: expect.stringContaining(talent.city) }], source: 'MODEL' });
    const prompt = prompts.at(-1)!;
    expect(prompt.model).toBe('fake-chat');
    expect(prompt.system).toMatch(/ONLY the record/);
    expect(prompt.user).toContain('[talent.location]');
    expect(prompt.user).not.toContain(talent.email); // the recruiter may not read it, so the model never sees it

    await ask('admin', 'What is her email?');
    expect(prompts.at(-1)!.user).toContain(`[talent.contact.email] ${talent.email}`);
  });

  it('reports no answer when the model finds none, or cites nothing it was given', async () => {
    reply = () => ({ answer: null, fields: [] });
    expect(await ask('recruiter', 'What is her favourite food?')).toMatchObject({ answered: false, citations: [], source: 'MODEL' });
    reply = () => ({ answer: 'Pizza, probably.', fields: ['talent.favouriteFood'] });
    expect(await ask('recruiter', 'What is her favourite food?')).toMatchObject({ answered: false, citations: [], source: 'MODEL' });
    reply = () => ({ answer: `Her email is ${talent.email}`, fields: ['talent.contact.email'] });
    const leak = await ask('recruiter', 'What is her email?');
    expect(leak).toMatchObject({ answered: false, citations: [], source: 'MODEL' });
    expect(leak.answer).not.toContain(talent.email);
  });

  it('passes on no prose the model writes instead of the JSON it was asked for', async () => {
    reply = () => 'She probably lives in Paris.';
    const answer = await ask('recruiter', 'Where is she based?');
    expect(answer).toMatchObject({ answered: false, citations: [], source: 'MODEL' });
    expect(answer.answer).not.toContain('Paris');
    reply = () => '```json\n{"answer": "Based in ' + talent.city + '.", "fields": ["talent.location"]}\n```';
    expect(await ask('recruiter', 'Where is she based?')).toMatchObject({ answered: true, source: 'MODEL', citations: [{ field: 'talent.location' }] });
  });

  it('answers offline when the chat endpoint fails or sends what is not JSON', async () => {
    reply = () => ({ httpBody: '<html>502 Bad Gateway</html>' });
    expect(await ask('recruiter', 'Where is she based?')).toMatchObject({ answered: true, source: 'EXTRACTIVE' });
    stores.answerer = new ChatAnswerer({ baseUrl: 'http://127.0.0.1:9/v1', model: 'fake-chat', timeoutMs: 500 });
    expect(await ask('recruiter', 'Where is she based?')).toMatchObject({ answered: true, source: 'EXTRACTIVE' });
  });
});
