import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMatrix, type Caller } from '../../../test/support/auth-matrix.ts';
import { codes, graphql, type GraphQLResponse } from '../../../test/support/client.ts';
import { backends } from '../../../test/support/databases.ts';
import { contractSuite } from '../../../test/support/contract.ts';
import { startTestSubgraph, tokenFor } from '../../../test/support/services.ts';
import { resumes, type Stores } from '../index.ts';

/** talent:read and talent:write: every role but guest. */
const READERS: readonly Caller[] = ['super_admin', 'admin', 'data_admin', 'user'];
const WRITERS = READERS;
/** talent:read:contact, for talents the caller neither owns nor is. */
const CONTACT_READERS: readonly Caller[] = ['super_admin', 'admin', 'data_admin'];

const ENTITIES = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ...Fields } }';
const entities = (fragment: string) => ENTITIES.replace('...Fields', fragment);

const CONTACT = { email: 'ada@example.com', phone: '+44 20 1234' };
const SALARY = { min: 60_000, max: 80_000, currency: 'GBP', period: 'YEAR' };

/** "CODE at path" for every error, sorted: what a test expects to see refused, and where. */
const refusals = (response: GraphQLResponse<unknown>) =>
  (response.errors ?? []).map((error) => `${error.extensions?.code} at ${error.path?.join('.') ?? '(request)'}`).sort();

for (const { backend, target } of await backends()) {
  contractSuite('resumes subgraph: authorization', target, () => {
    let running: Awaited<ReturnType<typeof startTestSubgraph<Stores>>>;
    let url: string;
    /** The recruiter who owns the talent, the candidate linked to it, and a recruiter who is neither. */
    const ownerId = randomUUID();
    const candidateId = randomUUID();
    let owner: string;
    let candidate: string;
    let otherRecruiter: string;
    let dataAdmin: string;
    let guest: string;
    let talentId: string;
    let resumeId: string;
    beforeAll(async () => {
      running = await startTestSubgraph(resumes, backend);
      url = running.url;
      owner = await tokenFor('user', ownerId);
      candidate = await tokenFor('user', candidateId);
      otherRecruiter = await tokenFor('user', randomUUID());
      dataAdmin = await tokenFor('data_admin', randomUUID());
      guest = await tokenFor('guest', randomUUID());
      const talent = await graphql<{ createTalent: { id: string } }>(
        url,
        `mutation($input: CreateTalentInput!) { createTalent(input: $input) { id } }`,
        { input: { name: 'Ada Lovelace', headline: 'Analyst', contact: CONTACT, salaryExpectation: SALARY, userId: candidateId } },
        owner,
      );
      expect(talent.errors).toBeUndefined();
      talentId = talent.data!.createTalent.id;
      const resume = await graphql<{ createResume: { id: string } }>(
        url,
        `mutation($talentId: ID!) { createResume(talentId: $talentId, input: { title: "Analyst" }) { id } }`,
        { talentId },
        owner,
      );
      expect(resume.errors).toBeUndefined();
      resumeId = resume.data!.createResume.id;
    });
    afterAll(() => running?.stop());

    it('lets each role do exactly what the permission map says', async () => {
      const unknown = '00000000-0000-4000-8000-00000000dead';
      const talentRef = { representations: [{ __typename: 'Talent', id: talentId }] };
      const before = await running.stores.talents.count();
      // The matrix's callers all share a user id that neither owns nor is the talent.
      await checkMatrix(
        url,
        [
          {
            operation: 'Query.talent',
            query: `{ talent(id: "${talentId}") { id name headline location { city } tags owner { id } user { id } resumes { id } createdAt updatedAt } }`,
            allowed: READERS,
          },
          { operation: 'Query.talent (unknown id)', query: `{ talent(id: "${unknown}") { id } }`, allowed: READERS },
          { operation: 'Query.talents', query: '{ talents(first: 1) { totalCount edges { node { name } } } }', allowed: READERS },
          { operation: 'Query.resume', query: `{ resume(id: "${resumeId}") { id title version versions { version } changes(from: 1, to: 1) { path } } }`, allowed: READERS },
          { operation: 'Query.resume (unknown id)', query: `{ resume(id: "${unknown}") { id } }`, allowed: READERS },
          { operation: 'Query.resumeVersion', query: `{ resumeVersion(resumeId: "${resumeId}", version: 1) { version title author { id } } }`, allowed: READERS },
          { operation: 'Query.resumeVersion (unknown id)', query: `{ resumeVersion(resumeId: "${unknown}", version: 1) { version } }`, allowed: READERS },
          { operation: 'Talent.contact', query: `{ talent(id: "${talentId}") { contact { email } } }`, allowed: CONTACT_READERS },
          { operation: 'Talent.salaryExpectation', query: `{ talent(id: "${talentId}") { salaryExpectation { min } } }`, allowed: CONTACT_READERS },
          { operation: '_entities Talent', query: entities('... on Talent { id name headline resumes { id } }'), variables: talentRef, allowed: READERS },
          { operation: '_entities Talent.contact', query: entities('... on Talent { contact { email } }'), variables: talentRef, allowed: CONTACT_READERS },
          {
            operation: '_entities Talent.salaryExpectation',
            query: entities('... on Talent { salaryExpectation { max } }'),
            variables: talentRef,
            allowed: CONTACT_READERS,
          },
          {
            operation: '_entities Resume',
            // Only Resume's own leaf fields, so the type's guard is what refuses (not Talent's or ResumeVersion's).
            query: entities('... on Resume { id title summary version createdAt }'),
            variables: { representations: [{ __typename: 'Resume', id: resumeId }] },
            allowed: READERS,
          },
          {
            operation: '_entities User.talentProfile',
            // Not even whether the user has a profile: `__typename` passes Talent's type guard, so the field's own guard refuses.
            query: entities('... on User { id talentProfile { __typename } }'),
            variables: { representations: [{ __typename: 'User', id: candidateId }] },
            allowed: READERS,
          },
          { operation: 'Mutation.createTalent', query: 'mutation { createTalent(input: { name: "Matrix" }) { id } }', allowed: WRITERS },
          { operation: 'Mutation.updateTalent', query: `mutation { updateTalent(id: "${unknown}", input: { name: "M" }) { id } }`, allowed: WRITERS },
          // The owner-or-talent:delete rule applies once the talent is found; it is tested below.
          { operation: 'Mutation.deleteTalent', query: `mutation { deleteTalent(id: "${unknown}") }`, allowed: WRITERS },
          { operation: 'Mutation.createResume', query: `mutation { createResume(talentId: "${unknown}", input: { title: "M" }) { id } }`, allowed: WRITERS },
          { operation: 'Mutation.updateResume', query: `mutation { updateResume(id: "${unknown}", input: { title: "M" }) { id } }`, allowed: WRITERS },
          { operation: 'Mutation.deleteResume', query: `mutation { deleteResume(id: "${unknown}") }`, allowed: WRITERS },
        ],
        randomUUID(),
      );
      // The allowed createTalent calls really created talents (one per writer role): the matrix did not pass on errors alone.
      expect(await running.stores.talents.count()).toBe(before + WRITERS.length);
    });

    it('refuses Talent, Resume and User.talentProfile entities to guests and anonymous callers, and resolves them for users', async () => {
      const cases = [
        {
          fragment: '... on Talent { id name headline }',
          representations: [{ __typename: 'Talent', id: talentId }],
          refused: [null],
          expected: [{ id: talentId, name: 'Ada Lovelace', headline: 'Analyst' }],
        },
        {
          fragment: '... on Resume { id title version }',
          representations: [{ __typename: 'Resume', id: resumeId }],
          refused: [null],
          expected: [{ id: resumeId, title: 'Analyst', version: 1 }],
        },
        {
          // User belongs to the users subgraph: its id stays readable, the contributed profile does not.
          fragment: '... on User { id talentProfile { id name } }',
          representations: [{ __typename: 'User', id: candidateId }],
          refused: [{ id: candidateId, talentProfile: null }],
          expected: [{ id: candidateId, talentProfile: { id: talentId, name: 'Ada Lovelace' } }],
        },
      ];
      for (const { fragment, representations, refused, expected } of cases) {
        for (const [token, code] of [
          [guest, 'FORBIDDEN'],
          [undefined, 'UNAUTHENTICATED'],
        ] as const) {
          const response = await graphql(url, entities(fragment), { representations }, token);
          expect(response.data, fragment).toEqual({ _entities: refused });
          expect(codes(response).length, fragment).toBeGreaterThan(0);
          expect(new Set(codes(response)), fragment).toEqual(new Set([code]));
          expect(response.errors!.every((error) => error.path?.[0] === '_entities'), fragment).toBe(true);
        }
        const allowed = await graphql(url, entities(fragment), { representations }, otherRecruiter);
        expect(allowed.errors, fragment).toBeUndefined();
        expect(allowed.data, fragment).toEqual({ _entities: expected });
      }
    });

    it('refuses every talent and resume query to guests and anonymous callers', async () => {
      const query = `query($talent: ID!, $resume: ID!) {
        talent(id: $talent) { name }
        talents { totalCount }
        resume(id: $resume) { title }
        resumeVersion(resumeId: $resume, version: 1) { title }
      }`;
      for (const [token, code] of [
        [guest, 'FORBIDDEN'],
        [undefined, 'UNAUTHENTICATED'],
      ] as const) {
        const response = await graphql(url, query, { talent: talentId, resume: resumeId }, token);
        // `talents` is non-null, so its refusal nulls the whole response.
        expect(response.data).toBeNull();
        expect(refusals(response)).toEqual([`${code} at resume`, `${code} at resumeVersion`, `${code} at talent`, `${code} at talents`]);
      }
    });

    describe('personal data (contact, salaryExpectation)', () => {
      const query = `query($id: ID!, $owner: ID!, $representations: [_Any!]!) {
        talent(id: $id) { name headline contact { email phone } salaryExpectation { min max currency period } }
        talents(filter: { ownerId: $owner }) { edges { node { name contact { email } salaryExpectation { currency } } } }
        _entities(representations: $representations) {
          ... on Talent { headline contact { phone } salaryExpectation { min } }
          ... on User { talentProfile { name contact { email } salaryExpectation { max } } }
        }
      }`;
      const variables = () => ({
        id: talentId,
        owner: ownerId,
        representations: [
          { __typename: 'Talent', id: talentId },
          { __typename: 'User', id: candidateId },
        ],
      });
      const visible = {
        talent: { name: 'Ada Lovelace', headline: 'Analyst', contact: CONTACT, salaryExpectation: SALARY },
        talents: { edges: [{ node: { name: 'Ada Lovelace', contact: { email: CONTACT.email }, salaryExpectation: { currency: 'GBP' } } }] },
        _entities: [
          { headline: 'Analyst', contact: { phone: CONTACT.phone }, salaryExpectation: { min: SALARY.min } },
          { talentProfile: { name: 'Ada Lovelace', contact: { email: CONTACT.email }, salaryExpectation: { max: SALARY.max } } },
        ],
      };

      it.each([
        ['the candidate (the talent’s user)', () => candidate],
        ['the owning recruiter', () => owner],
        ['a data_admin (talent:read:contact)', () => dataAdmin],
      ])('shows them to %s', async (_who, token) => {
        const response = await graphql(url, query, variables(), token());
        expect(response.errors).toBeUndefined();
        expect(response.data).toEqual(visible);
      });

      it('answers null and FORBIDDEN on exactly those fields to another recruiter, leaving the rest of the response intact', async () => {
        const response = await graphql(url, query, variables(), otherRecruiter);
        expect(response.data).toEqual({
          talent: { name: 'Ada Lovelace', headline: 'Analyst', contact: null, salaryExpectation: null },
          talents: { edges: [{ node: { name: 'Ada Lovelace', contact: null, salaryExpectation: null } }] },
          _entities: [
            { headline: 'Analyst', contact: null, salaryExpectation: null },
            { talentProfile: { name: 'Ada Lovelace', contact: null, salaryExpectation: null } },
          ],
        });
        expect(refusals(response)).toEqual(
          [
            'talent.contact',
            'talent.salaryExpectation',
            'talents.edges.0.node.contact',
            'talents.edges.0.node.salaryExpectation',
            '_entities.0.contact',
            '_entities.0.salaryExpectation',
            '_entities.1.talentProfile.contact',
            '_entities.1.talentProfile.salaryExpectation',
          ]
            .map((path) => `FORBIDDEN at ${path}`)
            .sort(),
        );
      });

      it('answers null, not FORBIDDEN, when the talent has no salary expectation', async () => {
        const bare = await graphql<{ createTalent: { id: string; salaryExpectation: null } }>(
          url,
          `mutation { createTalent(input: { name: "No salary" }) { id salaryExpectation { min } } }`,
          {},
          owner,
        );
        expect(bare.errors).toBeUndefined();
        expect(bare.data!.createTalent.salaryExpectation).toBeNull();
        const asOther = await graphql(url, `query($id: ID!) { talent(id: $id) { name salaryExpectation { min } } }`, { id: bare.data!.createTalent.id }, otherRecruiter);
        expect(refusals(asOther)).toEqual(['FORBIDDEN at talent.salaryExpectation']);
      });
    });

    it('lets the owner and callers holding talent:delete delete talents and resumes, and no other recruiter', async () => {
      const create = async () => {
        const talent = await graphql<{ createTalent: { id: string } }>(url, `mutation { createTalent(input: { name: "Disposable" }) { id } }`, {}, owner);
        const resume = await graphql<{ createResume: { id: string } }>(
          url,
          `mutation($id: ID!) { createResume(talentId: $id, input: { title: "CV" }) { id } }`,
          { id: talent.data!.createTalent.id },
          owner,
        );
        return { talent: talent.data!.createTalent.id, resume: resume.data!.createResume.id };
      };
      const deleteTalent = (id: string, token: string) => graphql(url, `mutation($id: ID!) { deleteTalent(id: $id) }`, { id }, token);
      const deleteResume = (id: string, token: string) => graphql(url, `mutation($id: ID!) { deleteResume(id: $id) }`, { id }, token);

      const first = await create();
      expect(codes(await deleteResume(first.resume, otherRecruiter))).toEqual(['FORBIDDEN']);
      expect(codes(await deleteTalent(first.talent, otherRecruiter))).toEqual(['FORBIDDEN']);
      // Being the talent's own user gives no right to delete it.
      expect(codes(await deleteTalent(talentId, candidate))).toEqual(['FORBIDDEN']);
      expect(await running.stores.resumes.getMany([first.resume])).toHaveLength(1);
      expect(await running.stores.talents.getMany([first.talent, talentId])).toHaveLength(2);

      expect((await deleteResume(first.resume, owner)).data).toEqual({ deleteResume: first.resume });
      expect((await deleteTalent(first.talent, owner)).data).toEqual({ deleteTalent: first.talent });
      const second = await create();
      expect((await deleteResume(second.resume, dataAdmin)).data).toEqual({ deleteResume: second.resume });
      expect((await deleteTalent(second.talent, dataAdmin)).data).toEqual({ deleteTalent: second.talent });
      expect(await running.stores.talents.getMany([first.talent, second.talent])).toEqual([]);
    });
  });
}
