import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signGatewayCredential } from '../../../platform/auth/index.ts';
import type { Db } from '../../../platform/db/db.ts';
import { codes, graphql } from '../../../test/support/client.ts';
import { backends } from '../../../test/support/databases.ts';
import { contractSuite } from '../../../test/support/contract.ts';
import { startTestSubgraph, tokenFor } from '../../../test/support/services.ts';
import { expectSnapshotMatchesLatestEvent } from '../../../test/support/snapshots.ts';
import { resumes, type Stores } from '../index.ts';
import type { ResumeDocument } from '../store.ts';
import { PostgresResumeStore, PostgresTalentStore } from '../store.postgres.ts';

const RECRUITER = '00000000-0000-4000-8000-000000000001';
const COMPANY = '00000000-0000-4000-8000-00000000c001';
const SKILL_TS = '00000000-0000-4000-8000-00000000a001';
const SKILL_GO = '00000000-0000-4000-8000-00000000a002';

const TALENT_FIELDS = `id name headline contact { email phone linkedin website } salaryExpectation { min max currency period }
  location { city country remote } tags owner { id } user { id }`;
const CREATE_TALENT = `mutation($input: CreateTalentInput!) { createTalent(input: $input) { ${TALENT_FIELDS} } }`;
const UPDATE_TALENT = `mutation($id: ID!, $input: UpdateTalentInput!) { updateTalent(id: $id, input: $input) { ${TALENT_FIELDS} } }`;
const DELETE_TALENT = `mutation($id: ID!) { deleteTalent(id: $id) }`;
const CREATE_RESUME = `mutation($talentId: ID!, $input: ResumeInput!) { createResume(talentId: $talentId, input: $input) { id version title } }`;
const UPDATE_RESUME = `mutation($id: ID!, $input: ResumeInput!) { updateResume(id: $id, input: $input) { id version title } }`;
const DELETE_RESUME = `mutation($id: ID!) { deleteResume(id: $id) }`;
const ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) {
  ... on Talent { name resumes { id } }
  ... on Resume { title talent { name } }
  ... on User { id talentProfile { name } }
} }`;

const RESUME_V1 = {
  title: 'Backend engineer',
  summary: 'Builds APIs',
  education: [{ institution: 'TU Berlin', degree: 'MSc', field: 'Computer Science', from: '2012-10', to: '2014-09' }],
  experience: [
    { companyId: COMPANY, companyName: 'Acme', title: 'Engineer', from: '2014-10', to: '2018-03', description: 'Payments' },
    { companyName: 'Globex', title: 'Senior engineer', from: '2018-04' },
  ],
  skills: [{ skillId: SKILL_TS, level: 'ADVANCED', years: 6 }],
  projects: [{ name: 'Ledger', url: 'https://ledger.example/' }],
  certifications: [{ name: 'CKA', issuer: 'CNCF', issuedOn: '2020-05-01', expiresOn: '2023-05-01' }],
};
const RESUME_V2 = {
  ...RESUME_V1,
  experience: [RESUME_V1.experience[0], { ...RESUME_V1.experience[1], title: 'Staff engineer' }],
  skills: [{ skillId: SKILL_GO, level: 'INTERMEDIATE', years: 2 }, ...RESUME_V1.skills],
};
const RESUME_V3 = { ...RESUME_V2, summary: null, certifications: [] };

/** A Db whose transactions fail at the statement matching `statement`, to prove writes roll back. */
function failingInTransaction(db: Db, statement: RegExp): Db {
  return {
    schema: db.schema,
    backend: db.backend,
    stats: db.stats,
    background: db.background,
    query: <Row>(sql: string, params?: unknown[]) => db.query<Row>(sql, params),
    exec: (sql: string) => db.exec(sql),
    ping: () => db.ping(),
    withLock: (key, work) => db.withLock(key, work),
    close: async () => {},
    transaction: (work) =>
      db.transaction((tx) =>
        work({
          query: <Row>(sql: string, params?: unknown[]) =>
            statement.test(sql) ? Promise.reject(new Error('injected failure')) : tx.query<Row>(sql, params),
          exec: (sql: string) => tx.exec(sql),
        }),
      ),
  };
}

for (const { backend, target } of await backends()) {
  contractSuite('resumes subgraph', target, () => {
    let running: Awaited<ReturnType<typeof startTestSubgraph<Stores>>>;
    let url: string;
    let token: string;
    let otherToken: string;
    let admin: string;
    beforeAll(async () => {
      running = await startTestSubgraph(resumes, backend);
      url = running.url;
      token = await tokenFor('user', RECRUITER);
      otherToken = await tokenFor('user', randomUUID());
      admin = await tokenFor('admin', randomUUID());
    });
    afterAll(() => running?.stop());

    async function createTalent(input: Record<string, unknown>, as = token): Promise<{ id: string; name: string }> {
      const result = await graphql<{ createTalent: { id: string; name: string } }>(url, CREATE_TALENT, { input }, as);
      expect(result.errors).toBeUndefined();
      return result.data!.createTalent;
    }

    async function createResume(talentId: string, input: Record<string, unknown> = RESUME_V1): Promise<string> {
      const result = await graphql<{ createResume: { id: string } }>(url, CREATE_RESUME, { talentId, input }, token);
      expect(result.errors).toBeUndefined();
      return result.data!.createResume.id;
    }

    async function counts() {
      return {
        talents: await running.stores.talents.count(),
        resumes: await running.stores.resumes.count(),
        versions: await running.stores.resumes.countVersions(),
      };
    }

    it('creates, reads, updates and deletes a talent, owned by the signed-in recruiter', async () => {
      const userId = randomUUID();
      const created = await graphql(
        url,
        CREATE_TALENT,
        {
          input: {
            name: ' Ada Lovelace ',
            headline: 'Analyst',
            contact: { email: 'Ada@Example.com', phone: '+44 20 1234', linkedin: 'https://linkedin.com/in/ada' },
            salaryExpectation: { min: 60_000, max: 80_000, currency: ' gbp ', period: 'YEAR' },
            location: { city: 'London', country: 'GB', remote: true },
            tags: ['Math', 'math', ' pioneer '],
            userId,
          },
        },
        token,
      );
      expect(created.errors).toBeUndefined();
      const talent = (created.data as { createTalent: { id: string } }).createTalent;
      expect(talent).toEqual({
        id: talent.id,
        name: 'Ada Lovelace',
        headline: 'Analyst',
        contact: { email: 'ada@example.com', phone: '+44 20 1234', linkedin: 'https://linkedin.com/in/ada', website: null },
        salaryExpectation: { min: 60_000, max: 80_000, currency: 'GBP', period: 'YEAR' },
        location: { city: 'London', country: 'GB', remote: true },
        tags: ['math', 'pioneer'],
        owner: { id: RECRUITER },
        user: { id: userId },
      });

      // Another recruiter may edit the profile, personal data included, but not read the personal data back.
      const updated = await graphql(
        url,
        UPDATE_TALENT,
        { id: talent.id, input: { headline: null, contact: { website: 'https://ada.example' }, salaryExpectation: { min: 50, max: 70, currency: 'EUR', period: 'HOUR' } } },
        otherToken,
      );
      expect(updated.errors?.map((error) => [error.extensions?.code, error.path])).toEqual([
        ['FORBIDDEN', ['updateTalent', 'contact']],
        ['FORBIDDEN', ['updateTalent', 'salaryExpectation']],
      ]);
      expect(updated.data).toMatchObject({ updateTalent: { name: 'Ada Lovelace', headline: null, contact: null, salaryExpectation: null, tags: ['math', 'pioneer'] } });

      const read = await graphql(
        url,
        `query($id: ID!) { talent(id: $id) { name contact { email website } salaryExpectation { min max currency period } resumes { id } } }`,
        { id: talent.id },
        token,
      );
      expect(read).toEqual({
        data: {
          talent: {
            name: 'Ada Lovelace',
            contact: { email: null, website: 'https://ada.example/' },
            salaryExpectation: { min: 50, max: 70, currency: 'EUR', period: 'HOUR' },
            resumes: [],
          },
        },
      });
      // Sending null clears the salary expectation; leaving it out keeps it.
      const kept = await graphql(url, UPDATE_TALENT, { id: talent.id, input: { name: 'Ada King' } }, token);
      expect(kept.data).toMatchObject({ updateTalent: { name: 'Ada King', salaryExpectation: { min: 50, max: 70 } } });
      const cleared = await graphql(url, UPDATE_TALENT, { id: talent.id, input: { salaryExpectation: null } }, token);
      expect(cleared.errors).toBeUndefined();
      expect(cleared.data).toMatchObject({ updateTalent: { name: 'Ada King', salaryExpectation: null, contact: { website: 'https://ada.example/' } } });
      expect((await running.stores.talents.getMany([talent.id]))[0]!.salaryExpectation).toBeNull();

      expect(codes(await graphql(url, DELETE_TALENT, { id: talent.id }, otherToken))).toEqual(['FORBIDDEN']);
      expect(await graphql(url, DELETE_TALENT, { id: talent.id }, token)).toEqual({ data: { deleteTalent: talent.id } });
      expect(await graphql(url, `query($id: ID!) { talent(id: $id) { id } }`, { id: talent.id }, token)).toEqual({ data: { talent: null } });
      expect(codes(await graphql(url, DELETE_TALENT, { id: talent.id }, token))).toEqual(['NOT_FOUND']);
    });

    it('lets only callers holding talent:delete and talent:read:contact choose or change a talent’s owner', async () => {
      const owner = randomUUID();
      const before = await counts();
      expect(codes(await graphql(url, CREATE_TALENT, { input: { name: 'X', ownerId: owner } }, token))).toEqual(['FORBIDDEN']);
      expect(await counts()).toEqual(before);
      const own = await createTalent({ name: 'Self owned', ownerId: RECRUITER });
      const assigned = await createTalent({ name: 'Assigned', ownerId: owner }, admin);
      expect((await running.stores.talents.getMany([assigned.id]))[0]!.ownerId).toBe(owner);

      expect(codes(await graphql(url, UPDATE_TALENT, { id: own.id, input: { ownerId: owner } }, token))).toEqual(['FORBIDDEN']);
      // Taking over someone else's talent would hand the caller its personal data: refused just the same.
      expect(codes(await graphql(url, UPDATE_TALENT, { id: assigned.id, input: { ownerId: RECRUITER } }, token))).toEqual(['FORBIDDEN']);
      // So it is for a caller holding only one of the two permissions (an API key may be that narrow).
      const deleterOnly = await signGatewayCredential({ userId: RECRUITER, role: 'user', permissions: ['talent:read', 'talent:write', 'talent:delete'] });
      expect(codes(await graphql(url, UPDATE_TALENT, { id: assigned.id, input: { ownerId: RECRUITER } }, deleterOnly))).toEqual(['FORBIDDEN']);
      expect((await running.stores.talents.getMany([own.id, assigned.id])).map((talent) => talent.ownerId).sort()).toEqual([owner, RECRUITER].sort());

      expect(codes(await graphql(url, UPDATE_TALENT, { id: own.id, input: { ownerId: null } }, admin))).toEqual(['BAD_USER_INPUT']);
      const handed = await graphql(url, UPDATE_TALENT, { id: own.id, input: { ownerId: owner } }, await tokenFor('data_admin'));
      expect(handed.data).toMatchObject({ updateTalent: { owner: { id: owner } } });
      // Now someone else's: the former owner may no longer delete it, a caller holding talent:delete may.
      expect(codes(await graphql(url, DELETE_TALENT, { id: own.id }, token))).toEqual(['FORBIDDEN']);
      expect((await graphql(url, DELETE_TALENT, { id: own.id }, deleterOnly)).data).toEqual({ deleteTalent: own.id });
    });

    it('lets only the owner and callers holding talent:read:contact link or unlink a talent’s user', async () => {
      const talent = await createTalent({ name: 'To link' });
      const stranger = randomUUID();
      // Linking themself would let another recruiter read the talent's personal data.
      const strangerToken = await tokenFor('user', stranger);
      expect(codes(await graphql(url, UPDATE_TALENT, { id: talent.id, input: { userId: stranger } }, strangerToken))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(url, UPDATE_TALENT, { id: randomUUID(), input: { userId: stranger } }, strangerToken))).toEqual(['NOT_FOUND']);
      expect((await running.stores.talents.getMany([talent.id]))[0]!.userId).toBeNull();

      const candidate = randomUUID();
      const linked = await graphql(url, UPDATE_TALENT, { id: talent.id, input: { userId: candidate } }, token);
      expect(linked.data).toMatchObject({ updateTalent: { user: { id: candidate } } });
      expect(codes(await graphql(url, UPDATE_TALENT, { id: talent.id, input: { userId: null } }, strangerToken))).toEqual(['FORBIDDEN']);
      const unlinked = await graphql(url, UPDATE_TALENT, { id: talent.id, input: { userId: null } }, await tokenFor('data_admin'));
      expect(unlinked.data).toMatchObject({ updateTalent: { user: null } });
      // Everything else stays open to every recruiter.
      const renamed = await graphql(url, UPDATE_TALENT, { id: talent.id, input: { name: 'Renamed' } }, strangerToken);
      expect(renamed.data).toMatchObject({ updateTalent: { name: 'Renamed' } });
    });

    it('rejects invalid talent writes and changes nothing', async () => {
      const salary = { min: 40_000, max: 50_000, currency: 'EUR', period: 'YEAR' };
      const existing = await createTalent({ name: 'Untouched', tags: ['keep'], salaryExpectation: salary });
      const linked = await createTalent({ name: 'Linked', userId: randomUUID() });
      const linkedUser = (await running.stores.talents.getMany([linked.id]))[0]!.userId;
      const before = await counts();
      const rejected: [Record<string, unknown>, string?][] = [
        [{ name: '   ' }],
        [{}],
        [{ name: 'X', contact: { email: 'not-an-email' } }],
        [{ name: 'X', contact: { linkedin: 'javascript:alert(1)' } }],
        [{ name: 'X', contact: { website: 'nope' } }],
        [{ name: 'X', userId: 'not-a-uuid' }],
        [{ name: 'X', tags: ['x'.repeat(51)] }],
        [{ name: 'X', salaryExpectation: { ...salary, min: 60_000 } }],
        [{ name: 'X', salaryExpectation: { ...salary, min: -1 } }],
        [{ name: 'X', salaryExpectation: { ...salary, max: 2 ** 31 } }],
        [{ name: 'X', salaryExpectation: { ...salary, currency: 'EURO' } }],
        [{ name: 'X', salaryExpectation: { ...salary, currency: 'E1' } }],
        [{ name: 'X', salaryExpectation: { ...salary, currency: ' ' } }],
        [{ name: 'X', salaryExpectation: { ...salary, period: 'WEEK' } }],
        [{ name: 'X', salaryExpectation: { min: 1, max: 2, period: 'YEAR' } }],
        [{ name: 'X', userId: linkedUser }, 'CONFLICT'],
      ];
      for (const [input, code = 'BAD_USER_INPUT'] of rejected) {
        expect(codes(await graphql(url, CREATE_TALENT, { input }, token)), JSON.stringify(input)).toEqual([code]);
      }
      const salaryError = (await graphql(url, CREATE_TALENT, { input: { name: 'X', salaryExpectation: { ...salary, min: 60_000 } } }, token)).errors![0]!;
      expect(salaryError.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'salaryExpectation.max' });
      expect(codes(await graphql(url, CREATE_TALENT, { input: { name: 'X' } }))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await graphql(url, CREATE_TALENT, { input: { name: 'X' } }, await tokenFor('guest')))).toEqual(['FORBIDDEN']);

      const update = (id: string, input: Record<string, unknown>, signedIn = true) => graphql(url, UPDATE_TALENT, { id, input }, signedIn ? token : undefined);
      expect(codes(await update(existing.id, { name: '' }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await update(existing.id, { contact: { email: 'a@b' } }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await update(existing.id, { salaryExpectation: { ...salary, max: 1 } }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await update(existing.id, { salaryExpectation: { ...salary, currency: 'euros' } }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await update(existing.id, { userId: linkedUser }))).toEqual(['CONFLICT']);
      expect(codes(await update('nope', { name: 'Y' }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await update(randomUUID(), { name: 'Y' }))).toEqual(['NOT_FOUND']);
      expect(codes(await update(existing.id, { name: 'Y' }, false))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await graphql(url, DELETE_TALENT, { id: existing.id }))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await graphql(url, DELETE_TALENT, { id: 'nope' }, admin))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, DELETE_TALENT, { id: randomUUID() }, admin))).toEqual(['NOT_FOUND']);

      expect(await counts()).toEqual(before);
      const [unchanged] = await running.stores.talents.getMany([existing.id]);
      expect(unchanged).toMatchObject({ name: 'Untouched', tags: ['keep'], userId: null, salaryExpectation: salary });
    });

    it('keeps every version of a resume and reports the changes between any two', async () => {
      const talent = await createTalent({ name: 'Grace Hopper' });
      const resumeId = await createResume(talent.id);
      const author = randomUUID();
      const second = await graphql(url, UPDATE_RESUME, { id: resumeId, input: RESUME_V2 }, await tokenFor('user', author));
      expect(second.data).toEqual({ updateResume: { id: resumeId, version: 2, title: 'Backend engineer' } });
      const third = await graphql(url, UPDATE_RESUME, { id: resumeId, input: RESUME_V3 }, token);
      expect(third.data).toEqual({ updateResume: { id: resumeId, version: 3, title: 'Backend engineer' } });

      const read = await graphql<{ resume: Record<string, unknown> }>(
        url,
        `query($id: ID!) { resume(id: $id) {
          id version title summary talent { id name }
          education { institution degree field from to }
          experience { company { id } companyName title from to description }
          skills { skill { id } level years }
          projects { name description url }
          certifications { name }
          versions { version author { id } summary skills { skill { id } } certifications { name } }
          forward: changes(from: 1, to: 3) { path kind before after }
          backward: changes(from: 3, to: 1) { path kind }
          none: changes(from: 2, to: 2) { path }
        } }`,
        { id: resumeId },
        token,
      );
      expect(read.errors).toBeUndefined();
      expect(read.data!.resume).toEqual({
        id: resumeId,
        version: 3,
        title: 'Backend engineer',
        summary: null,
        talent: { id: talent.id, name: 'Grace Hopper' },
        education: [{ institution: 'TU Berlin', degree: 'MSc', field: 'Computer Science', from: '2012-10', to: '2014-09' }],
        experience: [
          { company: { id: COMPANY }, companyName: 'Acme', title: 'Engineer', from: '2014-10', to: '2018-03', description: 'Payments' },
          { company: null, companyName: 'Globex', title: 'Staff engineer', from: '2018-04', to: null, description: null },
        ],
        skills: [
          { skill: { id: SKILL_GO }, level: 'INTERMEDIATE', years: 2 },
          { skill: { id: SKILL_TS }, level: 'ADVANCED', years: 6 },
        ],
        projects: [{ name: 'Ledger', description: null, url: 'https://ledger.example/' }],
        certifications: [],
        versions: [
          { version: 1, author: { id: RECRUITER }, summary: 'Builds APIs', skills: [{ skill: { id: SKILL_TS } }], certifications: [{ name: 'CKA' }] },
          {
            version: 2,
            author: { id: author },
            summary: 'Builds APIs',
            skills: [{ skill: { id: SKILL_GO } }, { skill: { id: SKILL_TS } }],
            certifications: [{ name: 'CKA' }],
          },
          { version: 3, author: { id: RECRUITER }, summary: null, skills: [{ skill: { id: SKILL_GO } }, { skill: { id: SKILL_TS } }], certifications: [] },
        ],
        forward: [
          { path: 'summary', kind: 'REMOVED', before: '"Builds APIs"', after: null },
          { path: 'experience[1].title', kind: 'CHANGED', before: '"Senior engineer"', after: '"Staff engineer"' },
          { path: 'skills[0]', kind: 'ADDED', before: null, after: JSON.stringify({ skillId: SKILL_GO, level: 'INTERMEDIATE', years: 2 }) },
          {
            path: 'certifications[0]',
            kind: 'REMOVED',
            before: JSON.stringify({ name: 'CKA', issuer: 'CNCF', issuedOn: '2020-05-01', expiresOn: '2023-05-01' }),
            after: null,
          },
        ],
        backward: [
          { path: 'summary', kind: 'ADDED' },
          { path: 'experience[1].title', kind: 'CHANGED' },
          { path: 'skills[0]', kind: 'REMOVED' },
          { path: 'certifications[0]', kind: 'ADDED' },
        ],
        none: [],
      });

      const version = await graphql(
        url,
        `query($id: ID!, $v: Int!) { resumeVersion(resumeId: $id, version: $v) { version title experience { title } } }`,
        { id: resumeId, v: 1 },
        token,
      );
      expect(version.data).toEqual({ resumeVersion: { version: 1, title: 'Backend engineer', experience: [{ title: 'Engineer' }, { title: 'Senior engineer' }] } });
      const missing = await graphql(url, `query($id: ID!, $v: Int!) { resumeVersion(resumeId: $id, version: $v) { version } }`, { id: resumeId, v: 4 }, token);
      expect(missing).toEqual({ data: { resumeVersion: null } });

      for (const [from, to] of [[0, 1], [1, 4], [-1, 2]]) {
        const bad = await graphql(url, `query($id: ID!, $from: Int!, $to: Int!) { resume(id: $id) { changes(from: $from, to: $to) { path } } }`, { id: resumeId, from, to }, token);
        expect(codes(bad), `${from}..${to}`).toEqual(['BAD_USER_INPUT']);
      }
    });

    it('lists a talent’s resumes newest first', async () => {
      const talent = await createTalent({ name: 'Many resumes' });
      const older = await createResume(talent.id, { title: 'Older' });
      const newer = await createResume(talent.id, { title: 'Newer' });
      await graphql(url, UPDATE_RESUME, { id: older, input: { title: 'Older, edited' } }, token);
      const read = await graphql(url, `query($id: ID!) { talent(id: $id) { resumes { id title version } } }`, { id: talent.id }, token);
      expect(read.data).toEqual({
        talent: {
          resumes: [
            { id: newer, title: 'Newer', version: 1 },
            { id: older, title: 'Older, edited', version: 2 },
          ],
        },
      });
    });

    it('rejects invalid resumes and writes nothing', async () => {
      const talent = await createTalent({ name: 'Validated' });
      const resumeId = await createResume(talent.id);
      const before = await counts();
      const experience = (patch: Record<string, unknown>) => ({ title: 'T', experience: [{ companyName: 'Acme', title: 'Dev', from: '2020-01', ...patch }] });
      const invalid: Record<string, unknown>[] = [
        { title: '  ' },
        { summary: 'no title' },
        experience({ from: 'May 2020' }),
        experience({ from: '2020-13' }),
        experience({ from: '2021-02-29' }),
        experience({ from: '' }),
        experience({ to: '2019-12' }),
        experience({ companyName: ' ' }),
        experience({ title: null }),
        experience({ companyId: 'acme' }),
        { title: 'T', education: [{ institution: 'MIT', from: '2020-01-01', to: '2019' }] },
        { title: 'T', education: [{ institution: '' }] },
        { title: 'T', skills: [{ skillId: SKILL_TS, level: 'EXPERT', years: 61 }] },
        { title: 'T', skills: [{ skillId: SKILL_TS, level: 'EXPERT', years: -1 }] },
        { title: 'T', skills: [{ skillId: SKILL_TS, level: 'GURU' }] },
        { title: 'T', skills: [{ skillId: 'typescript', level: 'EXPERT' }] },
        { title: 'T', skills: [{ skillId: SKILL_TS, level: 'EXPERT' }, { skillId: SKILL_TS, level: 'BEGINNER' }] },
        { title: 'T', projects: [{ name: 'P', url: 'ftp://files.example' }] },
        { title: 'T', certifications: [{ name: 'C', issuedOn: '2022-01', expiresOn: '2021-12-31' }] },
        { title: 'T', certifications: [{ name: 'C', expiresOn: '31/12/2021' }] },
        { title: 'T', experience: Array.from({ length: 101 }, () => ({ companyName: 'A', title: 'B', from: '2020-01' })) },
      ];
      for (const input of invalid) {
        expect(codes(await graphql(url, CREATE_RESUME, { talentId: talent.id, input }, token)), JSON.stringify(input).slice(0, 120)).toEqual(['BAD_USER_INPUT']);
        expect(codes(await graphql(url, UPDATE_RESUME, { id: resumeId, input }, token)), JSON.stringify(input).slice(0, 120)).toEqual(['BAD_USER_INPUT']);
      }
      const error = (await graphql(url, CREATE_RESUME, { talentId: talent.id, input: experience({ to: '2019-12' }) }, token)).errors![0]!;
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'experience[0].to' });

      expect(codes(await graphql(url, CREATE_RESUME, { talentId: randomUUID(), input: RESUME_V1 }, token))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(url, CREATE_RESUME, { talentId: 'nope', input: RESUME_V1 }, token))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, CREATE_RESUME, { talentId: talent.id, input: RESUME_V1 }))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await graphql(url, UPDATE_RESUME, { id: randomUUID(), input: RESUME_V1 }, token))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(url, UPDATE_RESUME, { id: 'nope', input: RESUME_V1 }, token))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, UPDATE_RESUME, { id: resumeId, input: RESUME_V1 }))).toEqual(['UNAUTHENTICATED']);

      expect(await counts()).toEqual(before);
      expect((await running.stores.resumes.getMany([resumeId]))[0]!.version).toBe(1);
    });

    it('rolls a resume write back whole when its second statement fails', async () => {
      const talent = await createTalent({ name: 'Rollback' });
      const resumeId = await createResume(talent.id);
      const before = await counts();
      const failing = new PostgresResumeStore(failingInTransaction(running.db, /insert into resume_versions/));
      const document: ResumeDocument = { title: 'Never saved', summary: null, education: [], experience: [], skills: [], projects: [], certifications: [] };
      await expect(failing.create(talent.id, document, RECRUITER)).rejects.toThrow('injected failure');
      await expect(failing.update(resumeId, document, RECRUITER)).rejects.toThrow('injected failure');
      expect(await counts()).toEqual(before);
      expect((await running.stores.resumes.getMany([resumeId]))[0]).toMatchObject({ version: 1, title: 'Backend engineer' });
    });

    it('saves every one of many concurrent updates as its own version', async () => {
      const talent = await createTalent({ name: 'Busy' });
      const resumeId = await createResume(talent.id);
      const titles = Array.from({ length: 8 }, (_, i) => `Concurrent ${i}`);
      const results = await Promise.all(titles.map((title) => graphql(url, UPDATE_RESUME, { id: resumeId, input: { title } }, token)));
      for (const result of results) expect(result.errors).toBeUndefined();
      const read = await graphql<{ resume: { version: number; versions: { version: number; title: string }[] } }>(
        url,
        `query($id: ID!) { resume(id: $id) { version versions { version title } } }`,
        { id: resumeId },
        token,
      );
      expect(read.data!.resume.version).toBe(9);
      expect(read.data!.resume.versions.map((v) => v.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(read.data!.resume.versions.slice(1).map((v) => v.title).sort()).toEqual([...titles].sort());
    });

    it('creates no resume for a talent deleted while the resume is being saved', async () => {
      const talent = await createTalent({ name: 'Vanishing' });
      const before = await counts();
      // Hold a delete of the talent open in another transaction while the resume is saved.
      let deleted!: () => void;
      let commit!: () => void;
      const deletedYet = new Promise<void>((resolve) => (deleted = resolve));
      const committing = new Promise<void>((resolve) => (commit = resolve));
      const deleting = running.db.transaction(async (tx) => {
        await tx.query('delete from talents where id = $1', [talent.id]);
        deleted();
        await committing;
      });
      await deletedYet;
      const creating = graphql(url, CREATE_RESUME, { talentId: talent.id, input: RESUME_V1 }, token);
      await new Promise((resolve) => setTimeout(resolve, 200));
      commit();
      await deleting;
      expect(codes(await creating)).toEqual(['NOT_FOUND']);
      expect(await counts()).toEqual({ ...before, talents: before.talents - 1 });
    });

    it('deletes resumes for the talent’s owner and callers holding talent:delete, and a talent’s resumes with it', async () => {
      const talent = await createTalent({ name: 'Deleting' });
      const first = await createResume(talent.id);
      const second = await createResume(talent.id);
      await graphql(url, UPDATE_RESUME, { id: second, input: RESUME_V2 }, token);

      expect(codes(await graphql(url, DELETE_RESUME, { id: first }))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await graphql(url, DELETE_RESUME, { id: first }, otherToken))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(url, DELETE_RESUME, { id: 'nope' }, token))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, DELETE_RESUME, { id: randomUUID() }, token))).toEqual(['NOT_FOUND']);
      expect((await graphql(url, DELETE_RESUME, { id: first }, token)).data).toEqual({ deleteResume: first });
      expect(await graphql(url, `query($id: ID!) { resume(id: $id) { id } }`, { id: first }, token)).toEqual({ data: { resume: null } });

      const before = await counts();
      expect((await graphql(url, DELETE_TALENT, { id: talent.id }, admin)).data).toEqual({ deleteTalent: talent.id });
      expect(await counts()).toEqual({ talents: before.talents - 1, resumes: before.resumes - 1, versions: before.versions - 2 });
      expect(await graphql(url, `query($id: ID!) { resume(id: $id) { id } }`, { id: second }, token)).toEqual({ data: { resume: null } });
    });

    type OutboxRow = { type: string; aggregate_type: string; aggregate_id: string; payload: Record<string, unknown> };
    const outbox = () => running.db.query<OutboxRow>('select type, aggregate_type, aggregate_id, payload from outbox order by position');
    /** The events recorded while `work` runs. */
    async function eventsDuring(work: () => Promise<unknown>): Promise<OutboxRow[]> {
      const before = (await outbox()).length;
      await work();
      return (await outbox()).slice(before);
    }

    it('records a talent event with every change, in the same transaction', async () => {
      const userId = randomUUID();
      let id = '';
      const events = await eventsDuring(async () => {
        id = (await createTalent({ name: 'Eventful', tags: ['Go'], location: { city: 'Berlin', country: 'DE' }, userId })).id;
        expect((await graphql(url, UPDATE_TALENT, { id, input: { name: 'Eventful Two', tags: ['go', 'rust'] } }, token)).errors).toBeUndefined();
        expect((await graphql(url, DELETE_TALENT, { id }, admin)).data).toEqual({ deleteTalent: id });
      });
      expect(events.map((e) => [e.type, e.aggregate_type, e.aggregate_id])).toEqual([
        ['talent.created', 'Talent', id],
        ['talent.updated', 'Talent', id],
        ['talent.deleted', 'Talent', id],
      ]);
      expect(events[0]!.payload).toMatchObject({
        id, name: 'Eventful', tags: ['go'], location: { city: 'Berlin', country: 'DE' }, ownerId: RECRUITER, userId,
        contact: { email: null }, salaryExpectation: null,
      });
      expect(typeof events[0]!.payload.createdAt).toBe('string');
      expect(events[1]!.payload).toMatchObject({ id, name: 'Eventful Two', tags: ['go', 'rust'], location: { city: 'Berlin' }, ownerId: RECRUITER, userId });
      expect(events[2]!.payload).toEqual({ id, ownerId: RECRUITER, userId });
    });

    it('records a resume event with every change, the talent in each, and every version in order', async () => {
      const talent = await createTalent({ name: 'Resume events' });
      let resumeId = '';
      const events = await eventsDuring(async () => {
        resumeId = await createResume(talent.id);
        expect((await graphql(url, UPDATE_RESUME, { id: resumeId, input: RESUME_V2 }, token)).errors).toBeUndefined();
        expect((await graphql(url, DELETE_RESUME, { id: resumeId }, token)).data).toEqual({ deleteResume: resumeId });
      });
      expect(events.map((e) => [e.type, e.aggregate_type, e.aggregate_id, e.payload.talentId, e.payload.version])).toEqual([
        ['resume.created', 'Resume', resumeId, talent.id, 1],
        ['resume.updated', 'Resume', resumeId, talent.id, 2],
        ['resume.deleted', 'Resume', resumeId, talent.id, undefined],
      ]);
      expect(events[0]!.payload).toMatchObject({
        id: resumeId,
        title: 'Backend engineer',
        skills: [{ skillId: SKILL_TS, level: 'ADVANCED', years: 6 }],
        experience: [
          { companyId: COMPANY, companyName: 'Acme', title: 'Engineer', from: '2014-10', to: '2018-03' },
          { companyId: null, companyName: 'Globex', title: 'Senior engineer', from: '2018-04', to: null },
        ],
        projects: [{ name: 'Ledger', url: 'https://ledger.example/' }],
        education: [{ institution: 'TU Berlin', from: '2012-10', to: '2014-09' }],
      });
      expect(events[1]!.payload).toMatchObject({
        skills: [{ skillId: SKILL_GO, level: 'INTERMEDIATE', years: 2 }, { skillId: SKILL_TS, level: 'ADVANCED', years: 6 }],
        experience: [{ companyId: COMPANY }, { title: 'Staff engineer', to: null }],
      });
      expect(events[2]!.payload).toEqual({ id: resumeId, talentId: talent.id });
    });

    it('serves talents and resumes in the snapshot exactly as their latest events carry them', async () => {
      const talent = await createTalent({
        name: 'Snapshotted',
        headline: 'Engineer',
        contact: { email: 'snap@example.com' },
        salaryExpectation: { min: 60000, max: 80000, currency: 'EUR', period: 'YEAR' },
        location: { city: 'Porto', country: 'PT' },
        tags: ['Go'],
        userId: randomUUID(),
      });
      expect((await graphql(url, UPDATE_TALENT, { id: talent.id, input: { headline: 'Staff engineer', tags: ['go', 'rust'] } }, token)).errors).toBeUndefined();
      const resumeId = await createResume(talent.id);
      expect((await graphql(url, UPDATE_RESUME, { id: resumeId, input: RESUME_V2 }, token)).errors).toBeUndefined();

      expect((await expectSnapshotMatchesLatestEvent(running, talent.id)).payload).toMatchObject({ headline: 'Staff engineer', tags: ['go', 'rust'] });
      expect((await expectSnapshotMatchesLatestEvent(running, resumeId)).payload).toMatchObject({ talentId: talent.id, version: 2 });
    });

    it('records a resume.deleted for each of a deleted talent’s resumes, then talent.deleted', async () => {
      const talent = await createTalent({ name: 'Cascade' });
      const first = await createResume(talent.id);
      const second = await createResume(talent.id, RESUME_V2);
      const other = await createTalent({ name: 'Bystander' });
      await createResume(other.id);
      const events = await eventsDuring(async () => {
        expect((await graphql(url, DELETE_TALENT, { id: talent.id }, admin)).data).toEqual({ deleteTalent: talent.id });
      });
      expect(events.map((e) => [e.type, e.aggregate_id, e.payload])).toEqual([
        ['resume.deleted', first, { id: first, talentId: talent.id }],
        ['resume.deleted', second, { id: second, talentId: talent.id }],
        ['talent.deleted', talent.id, { id: talent.id, ownerId: RECRUITER, userId: null }],
      ]);
      expect(await running.stores.resumes.listByTalents([other.id])).toHaveLength(1);
    });

    it('records nothing for a rejected write, and nothing survives when recording the event fails', async () => {
      const talent = await createTalent({ name: 'Quiet', userId: randomUUID() });
      const linkedUser = (await running.stores.talents.getMany([talent.id]))[0]!.userId;
      const other = await createTalent({ name: 'Quiet too' });
      const resumeId = await createResume(talent.id);
      const before = await counts();
      const events = await eventsDuring(async () => {
        expect(codes(await graphql(url, CREATE_TALENT, { input: { name: '  ' } }, token))).toEqual(['BAD_USER_INPUT']);
        expect(codes(await graphql(url, CREATE_TALENT, { input: { name: 'X', userId: linkedUser } }, token))).toEqual(['CONFLICT']);
        expect(codes(await graphql(url, UPDATE_TALENT, { id: other.id, input: { userId: linkedUser } }, token))).toEqual(['CONFLICT']);
        expect(codes(await graphql(url, UPDATE_TALENT, { id: randomUUID(), input: { name: 'Y' } }, token))).toEqual(['NOT_FOUND']);
        expect(codes(await graphql(url, DELETE_TALENT, { id: talent.id }, otherToken))).toEqual(['FORBIDDEN']);
        expect(codes(await graphql(url, DELETE_TALENT, { id: randomUUID() }, admin))).toEqual(['NOT_FOUND']);
        expect(codes(await graphql(url, CREATE_RESUME, { talentId: randomUUID(), input: RESUME_V1 }, token))).toEqual(['NOT_FOUND']);
        expect(codes(await graphql(url, UPDATE_RESUME, { id: resumeId, input: { title: ' ' } }, token))).toEqual(['BAD_USER_INPUT']);
        expect(codes(await graphql(url, UPDATE_RESUME, { id: randomUUID(), input: RESUME_V1 }, token))).toEqual(['NOT_FOUND']);
        expect(codes(await graphql(url, DELETE_RESUME, { id: resumeId }, otherToken))).toEqual(['FORBIDDEN']);
        expect(codes(await graphql(url, DELETE_RESUME, { id: randomUUID() }, token))).toEqual(['NOT_FOUND']);

        // The event is part of the write: when it cannot be recorded, the change rolls back too.
        const failing = failingInTransaction(running.db, /insert into outbox/);
        const talents = new PostgresTalentStore(failing);
        const resumeStore = new PostgresResumeStore(failing);
        const document: ResumeDocument = { title: 'Never saved', summary: null, education: [], experience: [], skills: [], projects: [], certifications: [] };
        const fields = { name: 'Never', headline: null, contact: { email: null, phone: null, linkedin: null, website: null }, salaryExpectation: null, location: null, tags: [], ownerId: null, userId: null };
        await expect(talents.create(fields)).rejects.toThrow('injected failure');
        await expect(talents.update(talent.id, { name: 'Never' })).rejects.toThrow('injected failure');
        await expect(talents.delete(talent.id)).rejects.toThrow('injected failure');
        await expect(resumeStore.create(talent.id, document, RECRUITER)).rejects.toThrow('injected failure');
        await expect(resumeStore.update(resumeId, document, RECRUITER)).rejects.toThrow('injected failure');
        await expect(resumeStore.delete(resumeId)).rejects.toThrow('injected failure');
      });
      expect(events).toEqual([]);
      expect(await counts()).toEqual(before);
      expect((await running.stores.talents.getMany([talent.id]))[0]).toMatchObject({ name: 'Quiet', userId: linkedUser });
      expect((await running.stores.resumes.getMany([resumeId]))[0]).toMatchObject({ version: 1, title: 'Backend engineer' });
    });

    it('answers null for unknown or malformed ids in queries', async () => {
      const result = await graphql(
        url,
        `query($unknown: ID!) { a: talent(id: "nope") { id } b: talent(id: $unknown) { id } c: resume(id: "nope") { id } d: resume(id: $unknown) { id }
          e: resumeVersion(resumeId: "nope", version: 1) { version } f: resumeVersion(resumeId: $unknown, version: 1) { version } }`,
        { unknown: randomUUID() },
        token,
      );
      expect(result).toEqual({ data: { a: null, b: null, c: null, d: null, e: null, f: null } });
    });

    it('pages, filters and orders talents, clamping the page size', async () => {
      const owner = randomUUID();
      const skill = randomUUID();
      const make = async (name: string, extra: Record<string, unknown> = {}) => (await createTalent({ name, ownerId: owner, ...extra }, admin)).id;
      const beta = await make('Beta Person', { headline: 'Data engineer', tags: ['remote', 'senior'], location: { country: 'DE' } });
      await make('alpha Person', { headline: 'Designer', tags: ['remote'], location: { country: 'fr' } });
      const gamma = await make('Gamma Person', { headline: 'ML 100% engineer', tags: ['senior'], location: { country: 'de' } });
      await createResume(beta, { title: 'CV', skills: [{ skillId: skill, level: 'EXPERT' }] });
      const gammaResume = await createResume(gamma, { title: 'CV', skills: [{ skillId: skill, level: 'BEGINNER' }] });
      // Only the current version counts: Gamma drops the skill.
      await graphql(url, UPDATE_RESUME, { id: gammaResume, input: { title: 'CV' } }, token);

      const query = `query($filter: TalentFilter, $order: TalentOrder, $first: Int, $after: String) {
        talents(filter: $filter, orderBy: $order, first: $first, after: $after) {
          totalCount edges { cursor node { name } } pageInfo { hasNextPage hasPreviousPage endCursor }
        }
      }`;
      type Page = { talents: { totalCount: number; edges: { node: { name: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
      const names = async (filter: Record<string, unknown>, order?: Record<string, unknown>) => {
        const result = await graphql<Page>(url, query, { filter: { ownerId: owner, ...filter }, order, first: 1_000_000_000 }, token);
        expect(result.errors).toBeUndefined();
        return result.data!.talents.edges.map((edge) => edge.node.name);
      };

      expect(await names({})).toEqual(['alpha Person', 'Beta Person', 'Gamma Person']);
      expect(await names({}, { field: 'NAME', direction: 'DESC' })).toEqual(['Gamma Person', 'Beta Person', 'alpha Person']);
      expect(await names({}, { field: 'CREATED_AT', direction: 'DESC' })).toEqual(['Gamma Person', 'alpha Person', 'Beta Person']);
      expect(await names({ search: 'ENGINEER' })).toEqual(['Beta Person', 'Gamma Person']);
      expect(await names({ search: '100%' })).toEqual(['Gamma Person']);
      expect(await names({ search: '%' })).toEqual(['Gamma Person']);
      expect(await names({ tags: ['Remote', 'senior'] })).toEqual(['Beta Person']);
      expect(await names({ tags: ['senior'] })).toEqual(['Beta Person', 'Gamma Person']);
      expect(await names({ country: 'DE' })).toEqual(['Beta Person', 'Gamma Person']);
      expect(await names({ skillId: skill })).toEqual(['Beta Person']);
      expect(await names({ ownerId: randomUUID() })).toEqual([]);

      const first = await graphql<Page>(url, query, { filter: { ownerId: owner }, first: 2 }, token);
      expect(first.data!.talents.totalCount).toBe(3);
      expect(first.data!.talents.edges.map((edge) => edge.node.name)).toEqual(['alpha Person', 'Beta Person']);
      expect(first.data!.talents.pageInfo.hasNextPage).toBe(true);
      const next = await graphql<Page>(url, query, { filter: { ownerId: owner }, first: 2, after: first.data!.talents.pageInfo.endCursor }, token);
      expect(next.data!.talents.edges.map((edge) => edge.node.name)).toEqual(['Gamma Person']);
      expect(next.data!.talents).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: false, hasPreviousPage: true } });
      // An empty page still counts the matches: `first: 0` asks for the total alone.
      const countOnly = await graphql<Page>(url, query, { filter: { ownerId: owner }, first: 0 }, token);
      expect(countOnly.data!.talents).toMatchObject({ totalCount: 3, edges: [], pageInfo: { hasNextPage: true } });

      const everyone = await graphql<Page>(url, query, { first: 1_000_000_000 }, token);
      expect(everyone.data!.talents.edges.length).toBe(Math.min(100, await running.stores.talents.count()));
      expect(codes(await graphql(url, query, { first: -1 }, token))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, query, { after: 'garbage' }, token))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, query, { filter: { ownerId: 'bob' } }, token))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, query, { filter: { skillId: 'ts' } }, token))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, query, { filter: { search: 'x'.repeat(201) } }, token))).toEqual(['BAD_USER_INPUT']);
    });

    it('resolves Talent and Resume entities in batches', async () => {
      const talents: string[] = [];
      const resumeIds: string[] = [];
      for (let i = 0; i < 5; i++) {
        const talent = await createTalent({ name: `Entity ${i}` });
        talents.push(talent.id);
        resumeIds.push(await createResume(talent.id, { title: `Resume ${i}` }));
      }
      let queriesBefore = running.db.stats.queries;
      const talentResult = await graphql<{ _entities: ({ name: string; resumes: { id: string }[] } | null)[] }>(url, ENTITIES, {
        // Ids that are not UUIDs, not even strings, are simply not found.
        representations: [...talents, randomUUID(), 'malformed', 42, [talents[0]]].map((id) => ({ __typename: 'Talent', id })),
      }, token);
      expect(talentResult.errors).toBeUndefined();
      expect(talentResult.data!._entities).toEqual([...talents.map((_, i) => ({ name: `Entity ${i}`, resumes: [{ id: resumeIds[i] }] })), null, null, null, null]);
      // One statement for the talents, one for all their resumes.
      expect(running.db.stats.queries - queriesBefore).toBe(2);

      queriesBefore = running.db.stats.queries;
      const resumeResult = await graphql<{ _entities: ({ title: string; talent: { name: string } } | null)[] }>(url, ENTITIES, {
        representations: [...resumeIds, 7, [resumeIds[0]]].map((id) => ({ __typename: 'Resume', id })),
      }, token);
      expect(resumeResult.errors).toBeUndefined();
      expect(resumeResult.data!._entities).toEqual([...resumeIds.map((_, i) => ({ title: `Resume ${i}`, talent: { name: `Entity ${i}` } })), null, null]);
      expect(running.db.stats.queries - queriesBefore).toBe(2);
    });

    it('loads Talent.resumes and their histories for a page of 20 talents in constant statements', async () => {
      const owner = randomUUID();
      const statementsFor = async (count: number) => {
        const ids: string[] = [];
        for (let i = 0; i < count; i++) {
          const talent = await running.stores.talents.create({
            name: `Batch ${count}-${i}`, headline: null, contact: { email: null, phone: null, linkedin: null, website: null },
            salaryExpectation: null, location: null, tags: [`batch-${count}`], ownerId: owner, userId: null,
          });
          ids.push(talent.id);
          const document = { title: 'CV', summary: null, education: [], experience: [], skills: [], projects: [], certifications: [] };
          for (let r = 0; r < 2; r++) {
            const resume = await running.stores.resumes.create(talent.id, document, owner);
            await running.stores.resumes.update(resume!.id, { ...document, title: 'CV v2' }, owner);
          }
        }
        const before = running.db.stats.queries;
        const result = await graphql<{ talents: { edges: { node: { resumes: { version: number; versions: { version: number }[] }[] } }[] } }>(
          url,
          `query($tag: String!) { talents(filter: { tags: [$tag] }, first: 20) { edges { node { name
            resumes { id version title versions { version author { id } } talent { name } } } } } }`,
          { tag: `batch-${count}` },
          token,
        );
        expect(result.errors).toBeUndefined();
        const edges = result.data!.talents.edges;
        expect(edges).toHaveLength(count);
        for (const edge of edges) expect(edge.node.resumes.map((resume) => resume.versions.map((v) => v.version))).toEqual([[1, 2], [1, 2]]);
        return running.db.stats.queries - before;
      };
      const forTwenty = await statementsFor(20);
      // The page, the resumes of all its talents, their versions; Resume.talent comes from the page itself.
      expect(forTwenty).toBe(3);
      expect(await statementsFor(3)).toBe(forTwenty);
    });

    it('contributes User.talentProfile, batched by user id', async () => {
      const users = Array.from({ length: 4 }, () => randomUUID());
      for (const [i, userId] of users.entries()) await createTalent({ name: `Profile ${i}`, userId });
      const lonely = randomUUID();
      const queriesBefore = running.db.stats.queries;
      const result = await graphql<{ _entities: ({ id: string; talentProfile: { name: string } | null } | null)[] }>(url, ENTITIES, {
        representations: [...users, lonely, [users[0]]].map((id) => ({ __typename: 'User', id })),
      }, token);
      expect(result.errors).toBeUndefined();
      expect(result.data!._entities).toEqual([
        ...users.map((id, i) => ({ id, talentProfile: { name: `Profile ${i}` } })),
        { id: lonely, talentProfile: null },
        null,
      ]);
      expect(running.db.stats.queries - queriesBefore).toBe(1);
    });
  });
}
