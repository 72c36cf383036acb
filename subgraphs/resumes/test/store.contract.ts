import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DomainEvent, Outbox } from '../../../platform/events/index.ts';
import {
  UserAlreadyLinkedError,
  type Resume,
  type ResumeDocument,
  type ResumeStore,
  type ResumeVersion,
  type Talent,
  type TalentFields,
  type TalentFilter,
  type TalentOrder,
  type TalentStore,
} from '../store.ts';

/** What a backend hands the contract: both stores over an empty database, the outbox their events go to, and how to throw it all away. */
export interface ResumeStoresUnderTest {
  talents: TalentStore;
  resumes: ResumeStore;
  outbox: Outbox;
  dispose(): Promise<void>;
}

const RECRUITER = '00000000-0000-4000-8000-000000000001';
const OTHER_RECRUITER = '00000000-0000-4000-8000-000000000002';
const AUTHOR = '00000000-0000-4000-8000-0000000000a1';
const EDITOR = '00000000-0000-4000-8000-0000000000a2';
const COMPANY = '00000000-0000-4000-8000-00000000c001';
const SKILL_TS = '00000000-0000-4000-8000-00000000d001';
const SKILL_GO = '00000000-0000-4000-8000-00000000d002';
const SKILL_RUST = '00000000-0000-4000-8000-00000000d003';

/** Every field set, in the order the stores return a document's fields (nested ones too). */
const FULL: ResumeDocument = {
  title: 'Backend engineer',
  summary: 'Builds APIs — in Zürich and 東京 🚀, with "quotes", a \\ and a\nnewline',
  education: [
    { institution: 'TU Berlin', degree: 'MSc', field: 'Computer Science', from: '2012-10', to: '2014-09' },
    { institution: 'Gymnasium', degree: null, field: null, from: null, to: null },
  ],
  experience: [
    { companyId: COMPANY, companyName: 'Acme', title: 'Engineer', from: '2014-10', to: '2018-03-31', description: 'Payments' },
    { companyId: null, companyName: 'Globex', title: 'Senior engineer', from: '2018-04', to: null, description: null },
  ],
  skills: [
    { skillId: SKILL_TS, level: 'ADVANCED', years: 6 },
    { skillId: SKILL_GO, level: 'BEGINNER', years: 0 },
    { skillId: SKILL_RUST, level: 'EXPERT', years: null },
  ],
  projects: [
    { name: 'Ledger', description: 'Double entry', url: 'https://ledger.example/' },
    { name: 'Side project', description: null, url: null },
  ],
  certifications: [
    { name: 'CKA', issuer: 'CNCF', issuedOn: '2020-05-01', expiresOn: '2023-05-01' },
    { name: 'Scrum', issuer: null, issuedOn: null, expiresOn: null },
  ],
};

const MINIMAL: ResumeDocument = { title: 'Empty', summary: null, education: [], experience: [], skills: [], projects: [], certifications: [] };

const doc = (title: string, skills: ResumeDocument['skills'] = []): ResumeDocument => ({ ...MINIMAL, title, skills });
const skill = (skillId: string): ResumeDocument['skills'][number] => ({ skillId, level: 'INTERMEDIATE', years: 2 });

const DOCUMENT_KEYS = ['title', 'summary', 'education', 'experience', 'skills', 'projects', 'certifications'];
const RESUME_KEYS = ['id', 'talentId', 'version', ...DOCUMENT_KEYS, 'createdAt', 'updatedAt'];
const VERSION_KEYS = ['resumeId', 'version', 'authorId', ...DOCUMENT_KEYS, 'createdAt'];

const fields = (overrides: Partial<TalentFields> = {}): TalentFields => ({
  name: 'Ada Lovelace',
  headline: 'Analyst',
  contact: { email: 'ada@example.com', phone: '+44 20 0000 0000', linkedin: 'https://linkedin.example/ada', website: null },
  salaryExpectation: { min: 60_000, max: 80_000, currency: 'GBP', period: 'YEAR' },
  location: { city: 'London', region: null, country: 'GB', remote: false },
  tags: ['engines', 'math'],
  ownerId: RECRUITER,
  userId: null,
  ...overrides,
});

/** What an entity looks like once it went through JSON, as event payloads do. */
const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** The document part of a resume or a version, keys in the order the store gave them. */
const documentOf = (entity: Resume | ResumeVersion): ResumeDocument => {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(entity)) if (DOCUMENT_KEYS.includes(key)) picked[key] = entity[key as keyof typeof entity];
  return picked as unknown as ResumeDocument;
};

/** `value` with its keys (and its nested objects' keys) in reverse order: a store must not depend on the order it is given. */
const scrambled = <T>(value: T): T => {
  if (Array.isArray(value)) return value.map(scrambled) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).reverse().map(([key, inner]) => [key, scrambled(inner)])) as T;
  return value;
};

const byId = <T extends { id: string }>(items: readonly T[]): T[] => [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
const ids = (items: readonly { id: string }[]): string[] => items.map((item) => item.id);
const sortedIds = (items: readonly { id: string }[]): string[] => ids(byId(items));

/** A few milliseconds apart, so timestamps (kept to the millisecond by a Date) order writes strictly. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

function expectDates(entity: object, ...keys: string[]): void {
  for (const key of keys) {
    const value = (entity as Record<string, unknown>)[key];
    expect(value, key).toBeInstanceOf(Date);
    expect(Number.isNaN((value as Date).getTime()), key).toBe(false);
  }
}

/**
 * The contract every TalentStore/ResumeStore pair passes, observed through the stores and their
 * outbox only: PostgreSQL (PGlite or a server) today, MongoDB next.
 */
export function resumeStoreContract(label: string, open: () => Promise<ResumeStoresUnderTest>): void {
  describe(`TalentStore and ResumeStore contract: ${label}`, () => {
    let talents: TalentStore;
    let resumes: ResumeStore;
    let outbox: Outbox;
    let dispose: () => Promise<void>;

    beforeEach(async () => {
      ({ talents, resumes, outbox, dispose } = await open());
    });
    afterEach(() => dispose());

    /** Every pending event, oldest first, without publishing it. */
    const pending = () => outbox.pending(10_000);
    /** Every pending event, oldest first, then published: the next call sees only what happens after this one. */
    const take = async (): Promise<DomainEvent[]> => {
      const events = await pending();
      await outbox.published(events);
      return events;
    };
    const shape = (events: readonly DomainEvent[]) => events.map(({ type, aggregate, payload }) => ({ type, aggregate, payload }));
    /** Takes the events recorded since the last take and expects exactly these (payloads compared as JSON). */
    const expectEvents = async (...expected: { type: string; aggregate: { type: string; id: string }; payload: unknown }[]) => {
      const events = await take();
      expect(shape(events)).toEqual(expected.map((event) => ({ ...event, payload: json(event.payload) })));
      return events;
    };
    const talentEvent = (change: 'created' | 'updated', talent: Talent) => ({ type: `talent.${change}`, aggregate: { type: 'Talent', id: talent.id }, payload: talent });
    const resumeEvent = (change: 'created' | 'updated', resume: Resume) => ({ type: `resume.${change}`, aggregate: { type: 'Resume', id: resume.id }, payload: resume });

    const talent = async (overrides: Partial<TalentFields> = {}, id?: string) => talents.create(fields(overrides), id);
    const resume = async (talentId: string, document: ResumeDocument = FULL, authorId: string | null = AUTHOR) => (await resumes.create(talentId, document, authorId))!;
    const list = (filter: TalentFilter, order: TalentOrder = { field: 'NAME', direction: 'ASC' }, page = { limit: 100, offset: 0 }) =>
      talents.list(filter, order, page);
    const listIds = async (filter: TalentFilter, order?: TalentOrder, page?: { limit: number; offset: number }) => ids((await list(filter, order, page)).rows);

    describe('talents', () => {
      it('creates a talent with a generated id, or the id given, and reads it back as created', async () => {
        const generated = await talent({ userId: randomUUID() });
        expect(generated.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        const { createdAt, updatedAt, id: _id, ...rest } = generated;
        expect(rest).toEqual(fields({ userId: generated.userId }));
        expectDates(generated, 'createdAt', 'updatedAt');
        expect(updatedAt.getTime()).toBeGreaterThanOrEqual(createdAt.getTime());

        const id = randomUUID();
        const given = await talent({ name: 'Grace Hopper', headline: null, salaryExpectation: null, location: null, tags: [], ownerId: null }, id);
        expect(given).toMatchObject({ id, name: 'Grace Hopper', headline: null, salaryExpectation: null, location: null, tags: [], ownerId: null, userId: null });

        expect(byId(await talents.getMany([generated.id, id]))).toEqual(byId([generated, given]));
        expect(await talents.count()).toBe(2);
      });

      it('updates only the fields present: null clears a nullable field, an absent one is kept', async () => {
        const user = randomUUID();
        const created = await talent({ userId: user });
        await tick();

        const renamed = (await talents.update(created.id, { name: 'Ada King' }))!;
        expect(renamed).toEqual({ ...created, name: 'Ada King', updatedAt: renamed.updatedAt });
        expectDates(renamed, 'createdAt', 'updatedAt');
        expect(renamed.createdAt.getTime()).toBe(created.createdAt.getTime());
        expect(renamed.updatedAt.getTime()).toBeGreaterThan(created.updatedAt.getTime());

        const cleared = (await talents.update(created.id, { headline: null, location: null, ownerId: null, userId: null, salaryExpectation: null }))!;
        expect(cleared).toEqual({
          ...renamed,
          headline: null,
          location: null,
          ownerId: null,
          userId: null,
          salaryExpectation: null,
          updatedAt: cleared.updatedAt,
        });

        const changes: Partial<TalentFields> = {
          headline: 'Countess',
          contact: { email: null, phone: null, linkedin: null, website: 'https://ada.example/' },
          salaryExpectation: { min: 50, max: 70, currency: 'EUR', period: 'HOUR' },
          location: { city: null, region: 'Surrey', country: 'UK', remote: true },
          tags: ['poetry'],
          ownerId: OTHER_RECRUITER,
          userId: user,
        };
        const changed = (await talents.update(created.id, changes))!;
        expect(changed).toEqual({ ...cleared, ...changes, updatedAt: changed.updatedAt });

        const untouched = (await talents.update(created.id, {}))!;
        expect(untouched).toEqual({ ...changed, updatedAt: untouched.updatedAt });
        expect(await talents.getMany([created.id])).toEqual([untouched]);
      });

      it('answers null for an update of a missing talent, and records nothing', async () => {
        await take();
        expect(await talents.update(randomUUID(), { name: 'Nobody' })).toBeNull();
        expect(await pending()).toEqual([]);
        expect(await talents.count()).toBe(0);
      });

      it('gets talents by id and by user, skipping the missing ones', async () => {
        const [userA, userB] = [randomUUID(), randomUUID()];
        const a = await talent({ name: 'A', userId: userA });
        const b = await talent({ name: 'B', userId: userB });
        const c = await talent({ name: 'C' });
        expect(byId(await talents.getMany([a.id, randomUUID(), c.id]))).toEqual(byId([a, c]));
        expect(await talents.getMany([])).toEqual([]);
        expect(await talents.getMany([randomUUID()])).toEqual([]);
        expect(byId(await talents.getManyByUser([userB, randomUUID(), userA]))).toEqual(byId([a, b]));
        expect(await talents.getManyByUser([randomUUID()])).toEqual([]);
        expect(await talents.getManyByUser([])).toEqual([]);
        for (const found of await talents.getManyByUser([userA])) expectDates(found, 'createdAt', 'updatedAt');
      });

      it('refuses to link a user that has a talent already, on create and on update, changing and recording nothing', async () => {
        const user = randomUUID();
        const linked = await talent({ name: 'Linked', userId: user });
        const other = await talent({ name: 'Other' });
        await take();

        const creating = talents.create(fields({ name: 'Second', userId: user }));
        await expect(creating).rejects.toBeInstanceOf(UserAlreadyLinkedError);
        await expect(creating).rejects.toMatchObject({ userId: user });
        const updating = talents.update(other.id, { name: 'Renamed', userId: user });
        await expect(updating).rejects.toBeInstanceOf(UserAlreadyLinkedError);
        await expect(updating).rejects.toMatchObject({ userId: user });

        expect(await talents.count()).toBe(2);
        expect(await talents.getMany([other.id])).toEqual([other]);
        expect(await talents.getManyByUser([user])).toEqual([linked]);
        expect(await pending()).toEqual([]);

        // Its own user again is no conflict; once unlinked, the user may go to another talent.
        expect((await talents.update(linked.id, { userId: user }))!.userId).toBe(user);
        await talents.update(linked.id, { userId: null });
        expect((await talents.update(other.id, { userId: user }))!.userId).toBe(user);
        expect(ids(await talents.getManyByUser([user]))).toEqual([other.id]);
      });

      it('deletes a talent once: true, then false', async () => {
        const created = await talent();
        expect(await talents.delete(created.id)).toBe(true);
        expect(await talents.delete(created.id)).toBe(false);
        expect(await talents.delete(randomUUID())).toBe(false);
        expect(await talents.getMany([created.id])).toEqual([]);
        expect(await talents.count()).toBe(0);
      });

      it('deletes the talent’s resumes and their versions with it, and nobody else’s', async () => {
        const user = randomUUID();
        const doomed = await talent({ userId: user });
        const kept = await talent({ name: 'Kept' });
        const first = await resume(doomed.id);
        await resumes.update(first.id, MINIMAL, EDITOR);
        const second = await resume(doomed.id, MINIMAL);
        const other = await resume(kept.id);
        expect([await resumes.count(), await resumes.countVersions()]).toEqual([3, 4]);

        expect(await talents.delete(doomed.id)).toBe(true);
        expect(await resumes.getMany([first.id, second.id])).toEqual([]);
        expect(await resumes.listByTalents([doomed.id])).toEqual([]);
        expect(await resumes.listVersions([first.id, second.id])).toEqual([]);
        expect(await resumes.getVersions([{ resumeId: first.id, version: 1 }])).toEqual([]);
        expect([await resumes.count(), await resumes.countVersions()]).toEqual([1, 1]);
        expect(await resumes.getMany([other.id])).toEqual([other]);
        expect(await talents.getManyByUser([user])).toEqual([]);
        expect(await resumes.update(first.id, FULL, AUTHOR)).toBeNull();
      });
    });

    describe('listing talents', () => {
      it('finds a case-insensitive substring of the name or the headline, taking % _ and \\ literally', async () => {
        const percent = await talent({ name: 'Ann 100% Remote', headline: null });
        const digits = await talent({ name: 'Ann 1000 Remote', headline: null });
        const underscore = await talent({ name: 'Bea_Smith', headline: 'Rust developer' });
        const letter = await talent({ name: 'BeaXSmith', headline: 'RUSTY tools' });
        const backslash = await talent({ name: 'Back\\slash', headline: 'ann' });

        const search = async (text: string) => (await listIds({ search: text })).sort();
        expect(await search('0%')).toEqual([percent.id]);
        expect(await search('%')).toEqual([percent.id]);
        expect(await search('a_s')).toEqual([underscore.id]);
        expect(await search('_')).toEqual([underscore.id]);
        expect(await search('\\')).toEqual([backslash.id]);
        expect(await search('rust')).toEqual(sortedIds([underscore, letter]));
        expect(await search('ANN')).toEqual(sortedIds([percent, digits, backslash]));
        expect(await search('nobody')).toEqual([]);
        expect(await search('')).toEqual(sortedIds([percent, digits, underscore, letter, backslash]));
        expect((await list({ search: 'ann' })).totalCount).toBe(3);
      });

      it('filters by every tag asked, by owner, by country whatever its case, and by a skill on a current resume', async () => {
        const both = await talent({ name: 'Both', tags: ['go', 'rust'], ownerId: RECRUITER, location: { city: 'Berlin', region: null, country: 'Germany', remote: false } });
        const go = await talent({ name: 'Go', tags: ['go'], ownerId: OTHER_RECRUITER, location: { country: 'germany' } });
        const none = await talent({ name: 'None', tags: [], ownerId: null, location: null });
        const all = sortedIds([both, go, none]);

        expect(await listIds({ tags: ['go', 'rust'] })).toEqual([both.id]);
        expect((await listIds({ tags: ['go'] })).sort()).toEqual(sortedIds([both, go]));
        expect(await listIds({ tags: ['go', 'java'] })).toEqual([]);
        expect((await listIds({ tags: [] })).sort()).toEqual(all);

        expect(await listIds({ ownerId: RECRUITER })).toEqual([both.id]);
        expect(await listIds({ ownerId: randomUUID() })).toEqual([]);

        expect((await listIds({ country: 'GERMANY' })).sort()).toEqual(sortedIds([both, go]));
        expect(await listIds({ country: 'France' })).toEqual([]);

        const bothResume = await resume(both.id, doc('Rust', [skill(SKILL_RUST), skill(SKILL_TS)]));
        const goResume = await resume(go.id, doc('Go', [skill(SKILL_GO)]));
        expect(await listIds({ skillId: SKILL_TS })).toEqual([both.id]);
        expect(await listIds({ skillId: randomUUID() })).toEqual([]);
        // Only a resume's current version counts.
        await resumes.update(bothResume.id, doc('Rust', [skill(SKILL_RUST)]), AUTHOR);
        await resumes.update(goResume.id, doc('Go', [skill(SKILL_GO), skill(SKILL_TS)]), AUTHOR);
        expect(await listIds({ skillId: SKILL_TS })).toEqual([go.id]);
        // A talent with two matching resumes comes once.
        await resume(go.id, doc('Go again', [skill(SKILL_TS)]));
        expect(await list({ skillId: SKILL_TS })).toEqual({ rows: [await talents.getMany([go.id]).then((rows) => rows[0])], totalCount: 1 });

        // Filters combine: every one must hold.
        expect(await listIds({ tags: ['go'], country: 'germany', ownerId: OTHER_RECRUITER, search: 'g', skillId: SKILL_GO })).toEqual([go.id]);
        expect(await listIds({ tags: ['go'], ownerId: RECRUITER, skillId: SKILL_GO })).toEqual([]);
        expect((await listIds({ search: null, tags: null, ownerId: null, country: null, skillId: null })).sort()).toEqual(all);
      });

      it('orders by name ignoring case, by creation and by update, either way, ties broken by id', async () => {
        const created: Talent[] = [];
        for (const name of ['carol', 'Alice', 'dana', 'bob', 'Dana']) {
          created.push(await talent({ name }));
          await tick();
        }
        const [carol, alice, dana, bob, Dana] = created as [Talent, Talent, Talent, Talent, Talent];
        const danas = sortedIds([dana, Dana]);

        expect(await listIds({}, { field: 'NAME', direction: 'ASC' })).toEqual([alice.id, bob.id, carol.id, ...danas]);
        expect(await listIds({}, { field: 'NAME', direction: 'DESC' })).toEqual([...danas, carol.id, bob.id, alice.id]);
        expect(await listIds({}, { field: 'CREATED_AT', direction: 'ASC' })).toEqual(ids(created));
        expect(await listIds({}, { field: 'CREATED_AT', direction: 'DESC' })).toEqual(ids(created).reverse());

        await talents.update(alice.id, { headline: 'Touched' });
        await tick();
        await talents.update(carol.id, { headline: 'Touched' });
        expect(await listIds({}, { field: 'UPDATED_AT', direction: 'ASC' })).toEqual([dana.id, bob.id, Dana.id, alice.id, carol.id]);
        expect(await listIds({}, { field: 'UPDATED_AT', direction: 'DESC' })).toEqual([carol.id, alice.id, Dana.id, bob.id, dana.id]);
        // The update moved nothing in creation order.
        expect(await listIds({}, { field: 'CREATED_AT', direction: 'ASC' })).toEqual(ids(created));
      });

      it('breaks ties by id whichever field orders', async () => {
        // Imported in one transaction: the same creation and update time, the same name but for case.
        const rows = Array.from({ length: 4 }, (_, index) => ({ ...fields({ name: index % 2 ? 'Twin' : 'twin' }), id: randomUUID() }));
        await talents.importMany(rows);
        const expected = sortedIds(rows);
        for (const field of ['NAME', 'CREATED_AT', 'UPDATED_AT'] as const) {
          expect(await listIds({}, { field, direction: 'ASC' }), field).toEqual(expected);
          expect(await listIds({}, { field, direction: 'DESC' }), field).toEqual(expected);
        }
      });

      it('pages by limit and offset, counting every match, also for an empty page', async () => {
        const created: Talent[] = [];
        for (const name of ['a', 'b', 'c', 'd', 'e']) created.push(await talent({ name, ownerId: name === 'e' ? OTHER_RECRUITER : RECRUITER }));
        const order: TalentOrder = { field: 'NAME', direction: 'ASC' };
        const page = async (limit: number, offset: number, filter: TalentFilter = {}) => {
          const { rows, totalCount } = await list(filter, order, { limit, offset });
          for (const row of rows) expectDates(row, 'createdAt', 'updatedAt');
          return { ids: ids(rows), totalCount };
        };
        const all = ids(created);

        expect(await page(2, 0)).toEqual({ ids: all.slice(0, 2), totalCount: 5 });
        expect(await page(2, 2)).toEqual({ ids: all.slice(2, 4), totalCount: 5 });
        expect(await page(2, 4)).toEqual({ ids: all.slice(4), totalCount: 5 });
        expect(await page(2, 5)).toEqual({ ids: [], totalCount: 5 });
        expect(await page(10, 50)).toEqual({ ids: [], totalCount: 5 });
        expect(await page(0, 0)).toEqual({ ids: [], totalCount: 5 });
        expect(await page(0, 3)).toEqual({ ids: [], totalCount: 5 });
        expect(await page(100, 0)).toEqual({ ids: all, totalCount: 5 });

        expect(await page(2, 2, { ownerId: RECRUITER })).toEqual({ ids: all.slice(2, 4), totalCount: 4 });
        expect(await page(2, 4, { ownerId: RECRUITER })).toEqual({ ids: [], totalCount: 4 });
        expect(await page(0, 0, { ownerId: RECRUITER })).toEqual({ ids: [], totalCount: 4 });
        expect(await page(2, 0, { search: 'nobody' })).toEqual({ ids: [], totalCount: 0 });
        expect(await page(2, 3, { search: 'nobody' })).toEqual({ ids: [], totalCount: 0 });
        expect(await page(0, 0, { search: 'nobody' })).toEqual({ ids: [], totalCount: 0 });
      });

      it('lists talents as getMany returns them', async () => {
        const created = await talent();
        const [listed] = (await list({})).rows;
        expect(listed).toEqual(created);
        expect(listed).toEqual((await talents.getMany([created.id]))[0]);
      });
    });

    describe('resumes', () => {
      it('creates version 1 for a known talent, with the id given or a generated one', async () => {
        const owner = await talent();
        const created = (await resumes.create(owner.id, FULL, AUTHOR))!;
        expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(created).toMatchObject({ talentId: owner.id, version: 1, ...FULL });
        expectDates(created, 'createdAt', 'updatedAt');
        expect(created.updatedAt.getTime()).toBeGreaterThanOrEqual(created.createdAt.getTime());

        const id = randomUUID();
        const given = (await resumes.create(owner.id, MINIMAL, null, id))!;
        expect(given).toMatchObject({ id, talentId: owner.id, version: 1, ...MINIMAL });
        expect(byId(await resumes.getMany([created.id, id]))).toEqual(byId([created, given]));
        expect(await resumes.listVersions([id])).toEqual([{ resumeId: id, version: 1, authorId: null, ...MINIMAL, createdAt: expect.any(Date) }]);
      });

      it('answers null for an unknown talent, saving and recording nothing', async () => {
        await take();
        expect(await resumes.create(randomUUID(), FULL, AUTHOR)).toBeNull();
        expect(await resumes.create(randomUUID(), FULL, AUTHOR, randomUUID())).toBeNull();
        expect([await resumes.count(), await resumes.countVersions()]).toEqual([0, 0]);
        expect(await pending()).toEqual([]);
      });

      it('saves an update as the next version, keeping every earlier one with its author', async () => {
        const owner = await talent();
        const created = await resume(owner.id, FULL, AUTHOR);
        await tick();
        const second = (await resumes.update(created.id, MINIMAL, EDITOR))!;
        expect(second).toEqual({ ...created, version: 2, ...MINIMAL, updatedAt: second.updatedAt });
        expectDates(second, 'createdAt', 'updatedAt');
        expect(second.createdAt.getTime()).toBe(created.createdAt.getTime());
        expect(second.updatedAt.getTime()).toBeGreaterThan(created.updatedAt.getTime());
        const third = (await resumes.update(created.id, doc('Third'), null))!;
        expect(third).toMatchObject({ id: created.id, version: 3, title: 'Third' });
        expect(await resumes.getMany([created.id])).toEqual([third]);

        const versions = await resumes.listVersions([created.id]);
        expect(versions.map(({ version, authorId, title }) => ({ version, authorId, title }))).toEqual([
          { version: 1, authorId: AUTHOR, title: FULL.title },
          { version: 2, authorId: EDITOR, title: MINIMAL.title },
          { version: 3, authorId: null, title: 'Third' },
        ]);
        expect(versions.map(documentOf)).toEqual([FULL, MINIMAL, doc('Third')]);
        for (const version of versions) expectDates(version, 'createdAt');
        expect([await resumes.count(), await resumes.countVersions()]).toEqual([1, 3]);
      });

      it('answers null for an update and false for a delete of a missing resume, recording nothing', async () => {
        await take();
        expect(await resumes.update(randomUUID(), FULL, AUTHOR)).toBeNull();
        expect(await resumes.delete(randomUUID())).toBe(false);
        expect(await resumes.countVersions()).toBe(0);
        expect(await pending()).toEqual([]);
      });

      it('deletes a resume with its history, once', async () => {
        const owner = await talent();
        const doomed = await resume(owner.id);
        await resumes.update(doomed.id, MINIMAL, AUTHOR);
        const kept = await resume(owner.id);
        expect(await resumes.delete(doomed.id)).toBe(true);
        expect(await resumes.delete(doomed.id)).toBe(false);
        expect(await resumes.getMany([doomed.id])).toEqual([]);
        expect(await resumes.listVersions([doomed.id])).toEqual([]);
        expect(await resumes.update(doomed.id, FULL, AUTHOR)).toBeNull();
        expect([await resumes.count(), await resumes.countVersions()]).toEqual([1, 1]);
        expect(await resumes.listByTalents([owner.id])).toEqual([kept]);
        expect(await talents.getMany([owner.id])).toHaveLength(1);
      });

      it('gets resumes by id, skipping the missing ones', async () => {
        const owner = await talent();
        const [a, b] = [await resume(owner.id), await resume(owner.id, MINIMAL)];
        expect(byId(await resumes.getMany([b.id, randomUUID(), a.id]))).toEqual(byId([a, b]));
        expect(await resumes.getMany([])).toEqual([]);
        expect(await resumes.getMany([randomUUID()])).toEqual([]);
      });

      it('lists the resumes of talents newest first within a talent', async () => {
        const [ann, ben, cat] = [await talent({ name: 'Ann' }), await talent({ name: 'Ben' }), await talent({ name: 'Cat' })];
        const created: Resume[] = [];
        for (const [owner, title] of [[ann, 'ann 1'], [ben, 'ben 1'], [ann, 'ann 2'], [ann, 'ann 3'], [ben, 'ben 2']] as const) {
          created.push(await resume(owner.id, doc(title)));
          await tick();
        }
        const [ann1, ben1, ann2, ann3, ben2] = created as [Resume, Resume, Resume, Resume, Resume];
        // Newest by creation: an update of an older resume moves nothing.
        const ann1v2 = (await resumes.update(ann1.id, doc('ann 1, updated'), AUTHOR))!;

        const listed = await resumes.listByTalents([ann.id, ben.id, cat.id, randomUUID()]);
        expect(byId(listed)).toEqual(byId([ann1v2, ben1, ann2, ann3, ben2]));
        const of = (talentId: string) => ids(listed.filter((entry) => entry.talentId === talentId));
        expect(of(ann.id)).toEqual([ann3.id, ann2.id, ann1.id]);
        expect(of(ben.id)).toEqual([ben2.id, ben1.id]);
        expect(ids(await resumes.listByTalents([ben.id]))).toEqual([ben2.id, ben1.id]);
        expect(await resumes.listByTalents([cat.id])).toEqual([]);
        expect(await resumes.listByTalents([])).toEqual([]);
        for (const entry of listed) expectDates(entry, 'createdAt', 'updatedAt');
      });

      it('lists versions oldest first within a resume, and gets versions by key, skipping missing keys', async () => {
        const owner = await talent();
        const first = await resume(owner.id, doc('first v1'), AUTHOR);
        const second = await resume(owner.id, doc('second v1'), EDITOR);
        await resumes.update(first.id, doc('first v2'), EDITOR);
        await resumes.update(second.id, doc('second v2'), null);
        await resumes.update(first.id, doc('first v3'), AUTHOR);

        const listed = await resumes.listVersions([second.id, first.id, randomUUID()]);
        const of = (resumeId: string) => listed.filter((entry) => entry.resumeId === resumeId).map(({ version, title, authorId }) => ({ version, title, authorId }));
        expect(listed).toHaveLength(5);
        expect(of(first.id)).toEqual([
          { version: 1, title: 'first v1', authorId: AUTHOR },
          { version: 2, title: 'first v2', authorId: EDITOR },
          { version: 3, title: 'first v3', authorId: AUTHOR },
        ]);
        expect(of(second.id)).toEqual([
          { version: 1, title: 'second v1', authorId: EDITOR },
          { version: 2, title: 'second v2', authorId: null },
        ]);
        expect(await resumes.listVersions([])).toEqual([]);

        const got = await resumes.getVersions([
          { resumeId: first.id, version: 2 },
          { resumeId: first.id, version: 9 },
          { resumeId: randomUUID(), version: 1 },
          { resumeId: second.id, version: 1 },
          { resumeId: first.id, version: 0 },
        ]);
        const key = (entry: ResumeVersion) => `${entry.resumeId}:${entry.version}`;
        expect([...got].sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
          listed.filter((entry) => key(entry) === `${first.id}:2` || key(entry) === `${second.id}:1`).sort((a, b) => key(a).localeCompare(key(b))),
        );
        expect(await resumes.getVersions([])).toEqual([]);
      });

      it('counts resumes and versions', async () => {
        expect([await resumes.count(), await resumes.countVersions()]).toEqual([0, 0]);
        const owner = await talent();
        const a = await resume(owner.id);
        await resume(owner.id);
        await resumes.update(a.id, MINIMAL, AUTHOR);
        expect([await resumes.count(), await resumes.countVersions()]).toEqual([2, 3]);
      });

      it('round-trips documents exactly, fields in the order of ResumeDocument, dates as Date objects', async () => {
        const owner = await talent();
        for (const document of [FULL, MINIMAL]) {
          for (const given of [document, scrambled(document)]) {
            const created = (await resumes.create(owner.id, given, AUTHOR))!;
            const updated = (await resumes.update(created.id, given, EDITOR))!;
            const [read] = await resumes.getMany([created.id]);
            const [listed] = (await resumes.listByTalents([owner.id])).filter((entry) => entry.id === created.id);
            for (const entity of [created, updated, read!, listed!]) {
              expect(Object.keys(entity)).toEqual(RESUME_KEYS);
              expect(JSON.stringify(documentOf(entity))).toBe(JSON.stringify(document));
              expectDates(entity, 'createdAt', 'updatedAt');
            }
            const versions = [...(await resumes.listVersions([created.id])), ...(await resumes.getVersions([{ resumeId: created.id, version: 2 }]))];
            expect(versions).toHaveLength(3);
            for (const version of versions) {
              expect(Object.keys(version)).toEqual(VERSION_KEYS);
              expect(JSON.stringify(documentOf(version))).toBe(JSON.stringify(document));
              expectDates(version, 'createdAt');
            }
          }
        }
      });

      it('imports talents and resumes with their history, recording no event; updates go on from the last version', async () => {
        await take();
        const rows = [
          { ...fields({ name: 'Imported', userId: randomUUID() }), id: randomUUID() },
          { ...fields({ name: 'Bare', headline: null, salaryExpectation: null, location: null, tags: [], ownerId: null }), id: randomUUID() },
        ];
        await talents.importMany(rows);
        const imported = byId(await talents.getMany(ids(rows)));
        expect(imported.map(({ createdAt: _c, updatedAt: _u, ...rest }) => rest)).toEqual(byId(rows));
        for (const row of imported) expectDates(row, 'createdAt', 'updatedAt');
        expect(await talents.count()).toBe(2);

        const [withHistory, single] = [randomUUID(), randomUUID()];
        await resumes.importMany([
          { id: withHistory, talentId: rows[0]!.id, authorId: AUTHOR, versions: [doc('v1'), FULL, doc('v3', [skill(SKILL_GO)])] },
          { id: single, talentId: rows[1]!.id, authorId: null, versions: [scrambled(MINIMAL)] },
        ]);
        expect([await resumes.count(), await resumes.countVersions()]).toEqual([2, 4]);
        const [current] = await resumes.getMany([withHistory]);
        expect(current).toMatchObject({ id: withHistory, talentId: rows[0]!.id, version: 3, ...doc('v3', [skill(SKILL_GO)]) });
        expect(Object.keys(current!)).toEqual(RESUME_KEYS);
        expectDates(current!, 'createdAt', 'updatedAt');
        const versions = await resumes.listVersions([withHistory]);
        expect(versions.map(({ version, authorId }) => ({ version, authorId }))).toEqual([1, 2, 3].map((version) => ({ version, authorId: AUTHOR })));
        expect(versions.map((version) => JSON.stringify(documentOf(version)))).toEqual([doc('v1'), FULL, doc('v3', [skill(SKILL_GO)])].map((entry) => JSON.stringify(entry)));
        const [bare] = await resumes.getMany([single]);
        expect(JSON.stringify(documentOf(bare!))).toBe(JSON.stringify(MINIMAL));
        expect(await resumes.listVersions([single])).toEqual([{ resumeId: single, version: 1, authorId: null, ...MINIMAL, createdAt: expect.any(Date) }]);
        expect(await listIds({ skillId: SKILL_GO })).toEqual([rows[0]!.id]);
        expect(await pending()).toEqual([]);

        const next = (await resumes.update(withHistory, MINIMAL, EDITOR))!;
        expect(next.version).toBe(4);
        expect((await resumes.listVersions([withHistory])).map(({ version, authorId }) => [version, authorId])).toEqual([
          [1, AUTHOR],
          [2, AUTHOR],
          [3, AUTHOR],
          [4, EDITOR],
        ]);
      });
    });

    describe('snapshots', () => {
      /** Every entry of a snapshot, read `limit` at a time; checks each page is in id order and continues after the previous one. */
      const readAll = async (page: (afterId: string | null, limit: number) => Promise<{ id: string; payload: Record<string, unknown> }[]>, limit: number) => {
        const entries: { id: string; payload: Record<string, unknown> }[] = [];
        let afterId: string | null = null;
        for (;;) {
          const batch: { id: string; payload: Record<string, unknown> }[] = await page(afterId, limit);
          expect(batch.length).toBeLessThanOrEqual(limit);
          expect(ids(batch)).toEqual(sortedIds(batch));
          if (afterId !== null) for (const entry of batch) expect(entry.id > afterId).toBe(true);
          entries.push(...batch);
          if (batch.length < limit) return entries;
          afterId = batch.at(-1)!.id;
        }
      };
      /** Each aggregate's latest event in `events` (oldest first). */
      const latest = (events: readonly DomainEvent[]) => new Map(events.map((event) => [`${event.aggregate.type}:${event.aggregate.id}`, event]));

      it('pages talents and resumes in id order after an id, each carrying what its latest event carries', async () => {
        const made: Talent[] = [];
        for (let index = 0; index < 5; index++) made.push(await talent({ name: `t${index}`, userId: index % 2 ? randomUUID() : null }));
        await talents.update(made[1]!.id, { name: 'renamed', headline: null });
        await talents.update(made[1]!.id, { tags: ['again'] });
        const gone = made[3]!;
        const owned: Resume[] = [];
        for (let index = 0; index < 4; index++) owned.push(await resume(made[index % 2]!.id, doc(`r${index}`)));
        await resumes.update(owned[0]!.id, FULL, EDITOR);
        await resumes.update(owned[0]!.id, doc('r0, third'), null);
        await resumes.delete(owned[2]!.id);
        await talents.delete(gone.id);
        const live = made.filter((entry) => entry !== gone);
        const liveResumes = owned.filter((_, index) => index !== 2);
        const newest = latest(await pending());

        for (const limit of [1, 2, 100]) {
          const talentEntries = await readAll((afterId, size) => talents.snapshotPage(afterId, size), limit);
          expect(ids(talentEntries)).toEqual(sortedIds(live));
          for (const entry of talentEntries) {
            expect(json(entry.payload)).toEqual(newest.get(`Talent:${entry.id}`)!.payload);
            expect(entry.payload).toEqual((await talents.getMany([entry.id]))[0]);
          }
          const resumeEntries = await readAll((afterId, size) => resumes.snapshotPage(afterId, size), limit);
          expect(ids(resumeEntries)).toEqual(sortedIds(liveResumes));
          for (const entry of resumeEntries) {
            expect(json(entry.payload)).toEqual(newest.get(`Resume:${entry.id}`)!.payload);
            expect(entry.payload).toEqual((await resumes.getMany([entry.id]))[0]);
          }
        }
        // After an id no longer there (deleted), paging goes on from where it would have been.
        expect(ids(await talents.snapshotPage(gone.id, 100))).toEqual(sortedIds(live).filter((id) => id > gone.id));
        expect(ids(await resumes.snapshotPage(owned[2]!.id, 100))).toEqual(sortedIds(liveResumes).filter((id) => id > owned[2]!.id));
        expect(await talents.snapshotPage(sortedIds(live).at(-1)!, 10)).toEqual([]);
      });

      it('is empty for empty stores', async () => {
        expect(await talents.snapshotPage(null, 10)).toEqual([]);
        expect(await resumes.snapshotPage(null, 10)).toEqual([]);
      });
    });

    describe('events', () => {
      it('records one talent event per create, update and delete, carrying the talent as the store returns it', async () => {
        const user = randomUUID();
        const created = await talent({ userId: user });
        const events = await expectEvents(talentEvent('created', created));
        expect(events[0]).toMatchObject({ source: 'resumes', id: expect.any(String), occurredAt: expect.any(String), position: expect.any(Number) });
        expect(Number.isNaN(Date.parse(events[0]!.occurredAt))).toBe(false);

        const updated = (await talents.update(created.id, { headline: null, tags: ['x'] }))!;
        await expectEvents(talentEvent('updated', updated));
        await talents.delete(created.id);
        await expectEvents({ type: 'talent.deleted', aggregate: { type: 'Talent', id: created.id }, payload: { id: created.id, ownerId: RECRUITER, userId: user } });

        const bare = await talent({ ownerId: null });
        await take();
        await talents.delete(bare.id);
        await expectEvents({ type: 'talent.deleted', aggregate: { type: 'Talent', id: bare.id }, payload: { id: bare.id, ownerId: null, userId: null } });
      });

      it('records one resume event per create, update and delete, carrying the resume as the store returns it', async () => {
        const owner = await talent();
        await take();
        const created = await resume(owner.id);
        await expectEvents(resumeEvent('created', created));
        const updated = (await resumes.update(created.id, MINIMAL, EDITOR))!;
        await expectEvents(resumeEvent('updated', updated));
        await resumes.delete(created.id);
        await expectEvents({ type: 'resume.deleted', aggregate: { type: 'Resume', id: created.id }, payload: { id: created.id, talentId: owner.id } });
      });

      it('records a resume.deleted for each of a deleted talent’s resumes before its talent.deleted', async () => {
        const user = randomUUID();
        const owner = await talent({ userId: user });
        const other = await talent({ name: 'Other' });
        const owned = [await resume(owner.id), await resume(owner.id, MINIMAL)];
        await resumes.update(owned[0]!.id, doc('again'), AUTHOR);
        await resume(other.id);
        await take();

        await talents.delete(owner.id);
        const events = await pending();
        expect(shape(events.slice(0, 2)).sort((a, b) => a.aggregate.id.localeCompare(b.aggregate.id))).toEqual(
          byId(owned).map((entry) => ({ type: 'resume.deleted', aggregate: { type: 'Resume', id: entry.id }, payload: { id: entry.id, talentId: owner.id } })),
        );
        expect(shape(events.slice(2))).toEqual([
          { type: 'talent.deleted', aggregate: { type: 'Talent', id: owner.id }, payload: { id: owner.id, ownerId: RECRUITER, userId: user } },
        ]);
        // pending() lists them in that order; positions order each aggregate's own events (a store may number them per aggregate).
        expect(new Set(events.map((event) => event.id)).size).toBe(3);
      });

      it('records nothing for a write that fails', async () => {
        const user = randomUUID();
        const linked = await talent({ userId: user });
        const other = await talent({ name: 'Other' });
        await take();
        await expect(talents.create(fields({ userId: user }))).rejects.toBeInstanceOf(UserAlreadyLinkedError);
        await expect(talents.update(other.id, { userId: user })).rejects.toBeInstanceOf(UserAlreadyLinkedError);
        expect(await resumes.create(randomUUID(), FULL, AUTHOR)).toBeNull();
        expect(await talents.update(randomUUID(), { name: 'x' })).toBeNull();
        expect(await resumes.update(randomUUID(), FULL, AUTHOR)).toBeNull();
        expect(await talents.delete(randomUUID())).toBe(false);
        expect(await resumes.delete(randomUUID())).toBe(false);
        expect(await pending()).toEqual([]);
        expect(await outbox.backlog()).toBe(0);
        // The stores still work, and so does the outbox.
        await talents.update(linked.id, { name: 'Still here' });
        expect(shape(await pending()).map((event) => event.type)).toEqual(['talent.updated']);
      });

      it('hands out pending events oldest first, positions rising within an aggregate, until they are published', async () => {
        expect(await outbox.backlog()).toBe(0);
        expect(await outbox.pending(10)).toEqual([]);
        const owner = await talent();
        const first = await resume(owner.id);
        await resumes.update(first.id, MINIMAL, AUTHOR);
        await talents.update(owner.id, { name: 'Renamed' });
        await resumes.update(first.id, FULL, EDITOR);
        await resumes.delete(first.id);

        expect(await outbox.backlog()).toBe(6);
        const all = await pending();
        expect(all.map((event) => `${event.type}:${event.aggregate.id}`)).toEqual([
          `talent.created:${owner.id}`,
          `resume.created:${first.id}`,
          `resume.updated:${first.id}`,
          `talent.updated:${owner.id}`,
          `resume.updated:${first.id}`,
          `resume.deleted:${first.id}`,
        ]);
        expect(new Set(all.map((event) => event.id)).size).toBe(6);
        for (const aggregate of [owner.id, first.id]) {
          const positions = all.filter((event) => event.aggregate.id === aggregate).map((event) => event.position);
          expect(positions).toEqual([...positions].sort((a, b) => a - b));
          expect(new Set(positions).size).toBe(positions.length);
        }
        expect(all.filter((event) => event.type === 'resume.updated').map((event) => event.payload.version)).toEqual([2, 3]);

        const firstTwo = await outbox.pending(2);
        expect(firstTwo).toEqual(all.slice(0, 2));
        expect(await outbox.pending(0)).toEqual([]);
        await outbox.published(firstTwo);
        expect(await outbox.backlog()).toBe(4);
        expect(await pending()).toEqual(all.slice(2));
        await outbox.published([]);
        expect(await outbox.backlog()).toBe(4);
        await outbox.published(all.slice(2, 4));
        await outbox.published(all.slice(2, 4)); // again: no harm
        expect(await pending()).toEqual(all.slice(4));
        expect(await outbox.backlog()).toBe(2);
        await outbox.published(all.slice(4));
        expect(await outbox.backlog()).toBe(0);
        expect(await pending()).toEqual([]);

        // Later events come after what was published.
        await talents.update(owner.id, { name: 'Again' });
        const [later] = await pending();
        expect(later).toMatchObject({ type: 'talent.updated', aggregate: { type: 'Talent', id: owner.id } });
        expect(later!.position).toBeGreaterThan(all[3]!.position);
      });

      it('gives each aggregate’s newest position, published or not', async () => {
        const a = await talent({ name: 'a' });
        const b = await talent({ name: 'b' });
        const written = await resume(a.id);
        await talents.update(a.id, { name: 'a2' });
        await resumes.update(written.id, MINIMAL, AUTHOR);
        const events = await pending();
        const newest = (id: string) => events.filter((event) => event.aggregate.id === id).at(-1)!.position;

        expect(await outbox.newestPositions('Talent', [a.id, b.id, randomUUID(), written.id])).toEqual(
          new Map([
            [a.id, newest(a.id)],
            [b.id, newest(b.id)],
          ]),
        );
        expect(await outbox.newestPositions('Resume', [written.id, a.id])).toEqual(new Map([[written.id, newest(written.id)]]));
        expect(await outbox.newestPositions('Talent', [])).toEqual(new Map());

        await outbox.published(events);
        await talents.delete(a.id);
        const deletion = await pending();
        expect(deletion.map((event) => event.type)).toEqual(['resume.deleted', 'talent.deleted']);
        expect(await outbox.newestPositions('Talent', [a.id, b.id])).toEqual(
          new Map([
            [a.id, deletion[1]!.position],
            [b.id, newest(b.id)],
          ]),
        );
        expect(await outbox.newestPositions('Resume', [written.id])).toEqual(new Map([[written.id, deletion[0]!.position]]));
      });
    });

    describe('concurrency', () => {
      it('saves two concurrent updates of a resume as versions n+1 and n+2, both kept, their events in version order', async () => {
        const owner = await talent();
        const created = await resume(owner.id, doc('v1'));
        await resumes.update(created.id, doc('v2'), AUTHOR);
        await take();

        const [left, right] = await Promise.all([resumes.update(created.id, doc('left'), AUTHOR), resumes.update(created.id, doc('right'), EDITOR)]);
        expect([left!.version, right!.version].sort()).toEqual([3, 4]);
        const last = left!.version === 4 ? left! : right!;
        expect(await resumes.getMany([created.id])).toEqual([last]);

        const versions = await resumes.listVersions([created.id]);
        expect(versions.map(({ version, title, authorId }) => ({ version, title, authorId }))).toEqual([
          { version: 1, title: 'v1', authorId: AUTHOR },
          { version: 2, title: 'v2', authorId: AUTHOR },
          ...[left!, right!]
            .sort((a, b) => a.version - b.version)
            .map((entry) => ({ version: entry.version, title: entry.title, authorId: entry === left ? AUTHOR : EDITOR })),
        ]);

        const events = await pending();
        expect(events.map((event) => event.type)).toEqual(['resume.updated', 'resume.updated']);
        const [third, fourth] = [...events].sort((a, b) => a.position - b.position);
        expect([third!.payload.version, fourth!.payload.version]).toEqual([3, 4]);
        expect(fourth!.payload).toEqual(json(last));
        expect(await outbox.newestPositions('Resume', [created.id])).toEqual(new Map([[created.id, fourth!.position]]));
      });

      it('leaves no resume behind, and no event out of order, when a resume is saved while its talent is deleted', async () => {
        for (let round = 0; round < 4; round++) {
          const owner = await talent({ name: `round ${round}` });
          const existing = await resume(owner.id, doc('existing'));
          await take();
          // Started in either order, so each side gets a chance to go first.
          const [created, updated, deleted] =
            round % 2
              ? await Promise.all([resumes.create(owner.id, doc('racing'), AUTHOR), resumes.update(existing.id, doc('edited'), AUTHOR), talents.delete(owner.id)])
              : await Promise.all([
                  Promise.resolve().then(() => resumes.create(owner.id, doc('racing'), AUTHOR)),
                  Promise.resolve().then(() => resumes.update(existing.id, doc('edited'), AUTHOR)),
                  talents.delete(owner.id),
                ]);
          expect(deleted).toBe(true);
          expect([await resumes.count(), await resumes.countVersions()]).toEqual([0, 0]);
          expect(await resumes.listByTalents([owner.id])).toEqual([]);

          const events = shape(await take());
          expect(events.at(-1)).toMatchObject({ type: 'talent.deleted', aggregate: { id: owner.id } });
          const of = (id: string) => events.filter((event) => event.aggregate.id === id).map((event) => event.type);
          expect(of(existing.id)).toEqual(updated ? ['resume.updated', 'resume.deleted'] : ['resume.deleted']);
          if (created) expect(of(created.id)).toEqual(['resume.created', 'resume.deleted']);
          expect(events).toHaveLength(2 + (updated ? 1 : 0) + (created ? 2 : 0));
        }
      });

      it('links a user to one talent only when two creates race for it', async () => {
        const user = randomUUID();
        const results = await Promise.allSettled([talents.create(fields({ name: 'Left', userId: user })), talents.create(fields({ name: 'Right', userId: user }))]);
        const won = results.filter((result): result is PromiseFulfilledResult<Talent> => result.status === 'fulfilled');
        const lost = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0]!.reason).toBeInstanceOf(UserAlreadyLinkedError);
        expect(await talents.getManyByUser([user])).toEqual([won[0]!.value]);
        expect(shape(await pending())).toEqual([{ ...talentEvent('created', won[0]!.value), payload: json(won[0]!.value) }]);
      });
    });
  });
}
