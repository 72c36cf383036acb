import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signGatewayCredential } from '../../../platform/auth/index.ts';
import { codes, graphql, type GraphQLResponse } from '../../../test/support/client.ts';
import { backends } from '../../../test/support/databases.ts';
import { contractSuite } from '../../../test/support/contract.ts';
import { CALLERS, checkMatrix } from '../../../test/support/auth-matrix.ts';
import { startTestSubgraph, tokenFor } from '../../../test/support/services.ts';
import { expectSnapshotMatchesLatestEvent } from '../../../test/support/snapshots.ts';
import { skills, type Stores } from '../index.ts';

const CREATE = `mutation($input: CreateSkillInput!) { createSkill(input: $input) { id name category aliases description related { name } } }`;
const READ = `query($id: ID!) { skill(id: $id) { id name category aliases description related { id name } } }`;
const NORMALIZE = `query($name: String!) { normalizeSkill(name: $name) { id name } }`;
const ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Skill { FIELDS } } }`;
const UNKNOWN_ID = '00000000-0000-4000-8000-00000000dead';

interface SkillView {
  id: string;
  name: string;
  category: string;
  aliases: string[];
  description: string | null;
  related: { id: string; name: string }[];
}

for (const { backend, target } of await backends()) {
  contractSuite('skills subgraph', target, () => {
    let running: Awaited<ReturnType<typeof startTestSubgraph<Stores>>>;
    let url: string;
    let admin: string;

    async function create(input: Record<string, unknown>): Promise<string> {
      const result = await graphql<{ createSkill: { id: string } }>(url, CREATE, { input: { category: 'OTHER', ...input } }, admin);
      expect(result.errors).toBeUndefined();
      return result.data!.createSkill.id;
    }
    async function read(id: string): Promise<SkillView | null> {
      const result = await graphql<{ skill: SkillView | null }>(url, READ, { id });
      expect(result.errors).toBeUndefined();
      return result.data!.skill;
    }
    async function normalize(name: string): Promise<string | null> {
      const result = await graphql<{ normalizeSkill: { name: string } | null }>(url, NORMALIZE, { name });
      expect(result.errors).toBeUndefined();
      return result.data!.normalizeSkill?.name ?? null;
    }

    beforeAll(async () => {
      running = await startTestSubgraph(skills, backend);
      url = running.url;
      admin = await tokenFor('data_admin');
    });
    afterAll(() => running?.stop());

    it('creates, reads, updates and deletes a skill', async () => {
      const ecma = await create({ name: 'ECMAScript Standard', category: 'METHODOLOGY' });
      const created = await graphql<{ createSkill: SkillView }>(
        url,
        CREATE,
        {
          input: {
            name: ' JavaScript ',
            category: 'LANGUAGE',
            aliases: ['JS', 'java script', 'js', ' ES6 '],
            description: 'The language of the web',
            relatedSkillIds: [ecma],
          },
        },
        admin,
      );
      expect(created.errors).toBeUndefined();
      const id = created.data!.createSkill.id;
      // "java script" repeats the name's key and "js" repeats "JS": both dropped.
      expect(created.data!.createSkill).toMatchObject({
        name: 'JavaScript',
        category: 'LANGUAGE',
        aliases: ['JS', 'ES6'],
        description: 'The language of the web',
        related: [{ name: 'ECMAScript Standard' }],
      });
      expect((await read(ecma))!.related.map((s) => s.name)).toEqual(['JavaScript']);

      const updated = await graphql<{ updateSkill: SkillView }>(
        url,
        `mutation($id: ID!) { updateSkill(id: $id, input: { name: "JavaScript (JS)", aliases: ["JS", "JScript"], description: null }) { name category aliases description } }`,
        { id },
        admin,
      );
      expect(updated.data).toEqual({ updateSkill: { name: 'JavaScript (JS)', category: 'LANGUAGE', aliases: ['JS', 'JScript'], description: null } });
      // The old name and the dropped alias no longer resolve; the new spellings do.
      expect(await normalize('javascript')).toBeNull();
      expect(await normalize('ES6')).toBeNull();
      expect(await normalize('jscript')).toBe('JavaScript (JS)');
      expect(await normalize('javascript(js)')).toBe('JavaScript (JS)');

      const deleted = await graphql(url, `mutation($id: ID!) { deleteSkill(id: $id) }`, { id }, admin);
      expect(deleted.data).toEqual({ deleteSkill: id });
      expect(await read(id)).toBeNull();
      expect(await normalize('JS')).toBeNull();
      expect((await read(ecma))!.related).toEqual([]);
      expect(await read('not-an-id')).toBeNull();
      expect(await read(UNKNOWN_ID)).toBeNull();
    });

    describe('domain events', () => {
      interface OutboxRow {
        type: string;
        aggregate_type: string;
        aggregate_id: string;
        payload: { id: string; name?: string; aliases?: string[]; relatedIds?: string[]; updatedAt?: string };
      }
      const outbox = () => running.db.query<OutboxRow>('select type, aggregate_type, aggregate_id, payload from outbox order by position');
      /** Runs `work` and returns the events it recorded as [type, aggregate id, related ids]. */
      async function eventsOf(work: () => Promise<unknown>): Promise<OutboxRow[]> {
        const before = (await outbox()).length;
        await work();
        return (await outbox()).slice(before);
      }
      const brief = (events: OutboxRow[]) => events.map((e) => [e.type, e.aggregate_id, e.payload.relatedIds ?? null]);
      const byId = (...ids: string[]) => [...ids].sort();
      async function mutate(query: string, variables: Record<string, unknown>) {
        const result = await graphql(url, query, variables, admin);
        expect(result.errors).toBeUndefined();
      }
      const UPDATE = `mutation($id: ID!, $input: UpdateSkillInput!) { updateSkill(id: $id, input: $input) { id } }`;
      const ADD_ALIASES = `mutation($id: ID!, $aliases: [String!]!) { addSkillAliases(id: $id, aliases: $aliases) { id } }`;
      const REMOVE_ALIAS = `mutation($id: ID!, $alias: String!) { removeSkillAlias(id: $id, alias: $alias) { id } }`;
      const RELATE = `mutation($id: ID!, $relatedId: ID!) { relateSkills(id: $id, relatedId: $relatedId) { id } }`;
      const UNRELATE = `mutation($id: ID!, $relatedId: ID!) { unrelateSkills(id: $id, relatedId: $relatedId) { id } }`;
      const DELETE = `mutation($id: ID!) { deleteSkill(id: $id) }`;

      it('records skill.created, and skill.updated for each skill it relates to', async () => {
        const base = await create({ name: 'Event Base', category: 'LANGUAGE' });
        let id = '';
        const events = await eventsOf(async () => (id = await create({ name: 'Event Child', category: 'FRAMEWORK', aliases: ['EvC'], description: 'd', relatedSkillIds: [base] })));
        expect(brief(events)).toEqual([
          ['skill.created', id, [base]],
          ['skill.updated', base, [id]],
        ]);
        expect(events[0]).toEqual({
          type: 'skill.created',
          aggregate_type: 'Skill',
          aggregate_id: id,
          payload: { id, name: 'Event Child', category: 'FRAMEWORK', aliases: ['EvC'], description: 'd', relatedIds: [base], createdAt: expect.any(String), updatedAt: expect.any(String) },
        });
        expect(events[1]!.payload).toMatchObject({ id: base, name: 'Event Base', category: 'LANGUAGE', aliases: [] });
        // The related skill's record changed too, so its updatedAt moved with the event.
        expect(events[1]!.payload.updatedAt).toBe(events[0]!.payload.updatedAt);
      });

      it('records skill.updated for updates and alias changes, nothing when nothing changes', async () => {
        const id = await create({ name: 'Event Alias', category: 'TOOL' });
        const events = await eventsOf(async () => {
          await mutate(UPDATE, { id, input: { name: 'Event Aliased', aliases: ['EvA'] } });
          await mutate(ADD_ALIASES, { id, aliases: ['EvB'] });
          await mutate(ADD_ALIASES, { id, aliases: ['eva', 'EVB'] });
          await mutate(REMOVE_ALIAS, { id, alias: 'eva' });
        });
        expect(events.map((e) => [e.type, e.aggregate_id, e.payload.name, e.payload.aliases])).toEqual([
          ['skill.updated', id, 'Event Aliased', ['EvA']],
          ['skill.updated', id, 'Event Aliased', ['EvA', 'EvB']],
          ['skill.updated', id, 'Event Aliased', ['EvB']],
        ]);
      });

      it('records skill.updated for both skills of a relation, and for each skill that gains or loses one', async () => {
        const [a, b, c] = [await create({ name: 'Event Rel A' }), await create({ name: 'Event Rel B' }), await create({ name: 'Event Rel C' })];
        const relating = await eventsOf(async () => {
          await mutate(RELATE, { id: a, relatedId: b });
          await mutate(RELATE, { id: b, relatedId: a }); // already related: no change, no event
          await mutate(UNRELATE, { id: b, relatedId: a });
          await mutate(UNRELATE, { id: b, relatedId: a });
        });
        expect(brief(relating)).toEqual([
          ['skill.updated', a, [b]],
          ['skill.updated', b, [a]],
          ['skill.updated', b, []],
          ['skill.updated', a, []],
        ]);

        await mutate(UPDATE, { id: a, input: { relatedSkillIds: [b] } });
        const replacing = await eventsOf(() => mutate(UPDATE, { id: a, input: { relatedSkillIds: [c] } }));
        // a itself, then b (lost a) and c (gained a) in id order.
        const others = byId(b, c).map((other) => ['skill.updated', other, other === c ? [a] : []]);
        expect(brief(replacing)).toEqual([['skill.updated', a, [c]], ...others]);
        // An update that leaves the relations alone records only the skill itself.
        expect(brief(await eventsOf(() => mutate(UPDATE, { id: a, input: { description: 'x' } })))).toEqual([['skill.updated', a, [c]]]);
      });

      it('records skill.updated for each skill that loses a relation, then skill.deleted', async () => {
        const [a, b] = [await create({ name: 'Event Del A' }), await create({ name: 'Event Del B' })];
        const doomed = await create({ name: 'Event Del Doomed', relatedSkillIds: [a, b] });
        const events = await eventsOf(() => mutate(DELETE, { id: doomed }));
        expect(brief(events)).toEqual([...byId(a, b).map((other) => ['skill.updated', other, []]), ['skill.deleted', doomed, null]]);
        expect(events.at(-1)).toEqual({ type: 'skill.deleted', aggregate_type: 'Skill', aggregate_id: doomed, payload: { id: doomed } });
      });

      it('serves skills in the snapshot exactly as their latest events carry them, related ids included', async () => {
        const [a, b] = [await create({ name: 'Snapshot A', category: 'LANGUAGE' }), await create({ name: 'Snapshot B' })];
        const id = await create({ name: 'Snapshot Child', aliases: ['SnC'], description: 'd', relatedSkillIds: [a] });
        await mutate(UPDATE, { id, input: { description: 'changed', relatedSkillIds: [a, b] } });
        await mutate(ADD_ALIASES, { id: a, aliases: ['SnA'] });

        expect((await expectSnapshotMatchesLatestEvent(running, id)).payload).toMatchObject({ description: 'changed', relatedIds: byId(a, b) });
        expect((await expectSnapshotMatchesLatestEvent(running, a)).payload).toMatchObject({ aliases: ['SnA'], relatedIds: [id] });
        await expectSnapshotMatchesLatestEvent(running, b);
      });

      it('records nothing for a rejected write', async () => {
        const taken = await create({ name: 'Event Taken', aliases: ['EvT'] });
        const id = await create({ name: 'Event Rejected', relatedSkillIds: [taken] });
        const rejected = await eventsOf(async () => {
          // The unknown related skill is found only after the skill row and its keys were written: all roll back.
          expect(codes(await graphql(url, CREATE, { input: { name: 'Event Never', category: 'OTHER', relatedSkillIds: [taken, UNKNOWN_ID] } }, admin))).toEqual(['NOT_FOUND']);
          expect(codes(await graphql(url, CREATE, { input: { name: 'evt', category: 'OTHER' } }, admin))).toEqual(['CONFLICT']);
          expect(codes(await graphql(url, UPDATE, { id, input: { aliases: ['event taken'] } }, admin))).toEqual(['CONFLICT']);
          expect(codes(await graphql(url, UPDATE, { id, input: { relatedSkillIds: [UNKNOWN_ID] } }, admin))).toEqual(['NOT_FOUND']);
          expect(codes(await graphql(url, UPDATE, { id: UNKNOWN_ID, input: { name: 'Event Ghost' } }, admin))).toEqual(['NOT_FOUND']);
          expect(codes(await graphql(url, UPDATE, { id, input: { name: '' } }, admin))).toEqual(['BAD_USER_INPUT']);
          expect(codes(await graphql(url, ADD_ALIASES, { id, aliases: ['EVT'] }, admin))).toEqual(['CONFLICT']);
          expect(codes(await graphql(url, REMOVE_ALIAS, { id, alias: 'nope' }, admin))).toEqual(['NOT_FOUND']);
          expect(codes(await graphql(url, RELATE, { id, relatedId: UNKNOWN_ID }, admin))).toEqual(['NOT_FOUND']);
          expect(codes(await graphql(url, UNRELATE, { id: UNKNOWN_ID, relatedId: taken }, admin))).toEqual(['NOT_FOUND']);
          expect(codes(await graphql(url, DELETE, { id: UNKNOWN_ID }, admin))).toEqual(['NOT_FOUND']);
          expect(codes(await graphql(url, DELETE, { id: taken }, await tokenFor('user')))).toEqual(['FORBIDDEN']);
        });
        expect(rejected).toEqual([]);
        expect((await read(taken))!.related.map((s) => s.id)).toEqual([id]);
      });
    });

    it('normalises aliases and spelling variants to the one canonical skill', async () => {
      await create({ name: 'TypeScript', category: 'LANGUAGE', aliases: ['TS'] });
      await create({ name: 'Node.js', category: 'FRAMEWORK', aliases: ['Node'] });
      await create({ name: 'C', category: 'LANGUAGE' });
      await create({ name: 'C++', category: 'LANGUAGE', aliases: ['cpp'] });
      await create({ name: 'C#', category: 'LANGUAGE', aliases: ['CSharp'] });
      await create({ name: '.NET', category: 'FRAMEWORK', aliases: ['dotnet'] });
      const expected: [string, string | null][] = [
        ['TypeScript', 'TypeScript'],
        ['typescript', 'TypeScript'],
        ['Type Script', 'TypeScript'],
        ['TYPE-SCRIPT', 'TypeScript'],
        ['type_script', 'TypeScript'],
        ['  ts ', 'TypeScript'],
        ['Ｔｙｐｅ Ｓｃｒｉｐｔ', 'TypeScript'],
        ['nodejs', 'Node.js'],
        ['NODE JS', 'Node.js'],
        ['node', 'Node.js'],
        ['c', 'C'],
        ['c++', 'C++'],
        ['CPP', 'C++'],
        ['c#', 'C#'],
        ['Ｃ＃', 'C#'],
        ['c sharp', 'C#'],
        ['net', '.NET'],
        ['Dot-Net', '.NET'],
        ['COBOL', null],
        ['c+', null],
      ];
      for (const [name, canonical] of expected) expect([name, await normalize(name)]).toEqual([name, canonical]);

      for (const blank of ['', '   ', ' . - _ ']) {
        expect(codes(await graphql(url, NORMALIZE, { name: blank }))).toEqual(['BAD_USER_INPUT']);
      }
    });

    it('normalises a list of names in input order with one query', async () => {
      await create({ name: 'Kotlin', category: 'LANGUAGE', aliases: ['kt'] });
      await create({ name: 'Swift', category: 'MOBILE' });
      const query = `query($names: [String!]!) { normalizeSkills(names: $names) { name } }`;
      const before = running.db.stats.queries;
      const result = await graphql<{ normalizeSkills: ({ name: string } | null)[] }>(url, query, {
        names: ['swift', 'KT', 'Brainfuck', 'Kot-lin', 'SWIFT'],
      });
      expect(result.errors).toBeUndefined();
      expect(result.data!.normalizeSkills).toEqual([{ name: 'Swift' }, { name: 'Kotlin' }, null, { name: 'Kotlin' }, { name: 'Swift' }]);
      expect(running.db.stats.queries - before).toBe(1);

      expect((await graphql(url, query, { names: [] })).data).toEqual({ normalizeSkills: [] });
      const blank = await graphql(url, query, { names: ['Swift', ' '] });
      expect(codes(blank)).toEqual(['BAD_USER_INPUT']);
      expect(blank.errors![0]!.extensions!.field).toBe('names[1]');
      expect(codes(await graphql(url, query, { names: Array.from({ length: 501 }, () => 'Swift') }))).toEqual(['BAD_USER_INPUT']);
    });

    it('rejects alias and name collisions with CONFLICT and changes nothing', async () => {
      const python = await create({ name: 'Python', category: 'LANGUAGE', aliases: ['py', 'Python3'] });
      const ruby = await create({ name: 'Ruby', category: 'LANGUAGE', aliases: ['rb'] });
      const count = await running.stores.skills.count();
      const snapshot = async () => [await read(python), await read(ruby)];
      const before = await snapshot();

      // A new skill whose name or alias is a variant of an existing skill's name or alias.
      expect(codes(await graphql(url, CREATE, { input: { name: 'PYTHON', category: 'LANGUAGE' } }, admin))).toEqual(['CONFLICT']);
      expect(codes(await graphql(url, CREATE, { input: { name: 'Snake', category: 'LANGUAGE', aliases: ['snek', 'Py'] } }, admin))).toEqual(['CONFLICT']);
      expect(await running.stores.skills.count()).toBe(count);
      expect(await normalize('snake')).toBeNull();
      expect(await normalize('snek')).toBeNull();

      // Adding aliases: one new, one taken; neither lands.
      const add = await graphql(url, `mutation($id: ID!, $aliases: [String!]!) { addSkillAliases(id: $id, aliases: $aliases) { aliases } }`, { id: ruby, aliases: ['Ruby Lang', 'python-3'] }, admin);
      expect(codes(add)).toEqual(['CONFLICT']);
      expect(add.errors![0]!.message).toContain('Python');
      expect(await normalize('rubylang')).toBeNull();

      // Renaming or re-aliasing onto another skill's key.
      const update = `mutation($id: ID!, $input: UpdateSkillInput!) { updateSkill(id: $id, input: $input) { name aliases } }`;
      expect(codes(await graphql(url, update, { id: ruby, input: { name: 'py' } }, admin))).toEqual(['CONFLICT']);
      expect(codes(await graphql(url, update, { id: ruby, input: { aliases: ['Rails Language', 'PY THON'] } }, admin))).toEqual(['CONFLICT']);
      expect(await snapshot()).toEqual(before);
      expect(await normalize('rb')).toBe('Ruby');
      expect(await normalize('railslanguage')).toBeNull();

      // A skill may re-spell its own name or aliases without conflicting with itself.
      const respelled = await graphql(url, update, { id: python, input: { name: 'python', aliases: ['PY', 'python 3', 'CPython'] } }, admin);
      expect(respelled.data).toEqual({ updateSkill: { name: 'python', aliases: ['PY', 'python 3', 'CPython'] } });
      expect(await normalize('cpython')).toBe('python');
    });

    it('adds and removes aliases', async () => {
      const id = await create({ name: 'PostgreSQL', category: 'DATABASE', aliases: ['Postgres'] });
      const add = `mutation($id: ID!, $aliases: [String!]!) { addSkillAliases(id: $id, aliases: $aliases) { aliases } }`;
      const remove = `mutation($id: ID!, $alias: String!) { removeSkillAlias(id: $id, alias: $alias) { aliases } }`;
      expect((await graphql(url, add, { id, aliases: ['PG', 'postgres', 'psql', 'Postgre SQL'] }, admin)).data).toEqual({
        addSkillAliases: { aliases: ['Postgres', 'PG', 'psql'] },
      });
      expect(await normalize('p-g')).toBe('PostgreSQL');
      expect((await graphql(url, remove, { id, alias: 'pg' }, admin)).data).toEqual({ removeSkillAlias: { aliases: ['Postgres', 'psql'] } });
      expect(await normalize('PG')).toBeNull();
      expect(await normalize('postgres')).toBe('PostgreSQL');

      expect(codes(await graphql(url, remove, { id, alias: 'pg' }, admin))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(url, remove, { id, alias: 'PostgreSQL' }, admin))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(url, remove, { id: UNKNOWN_ID, alias: 'psql' }, admin))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(url, remove, { id, alias: ' ' }, admin))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, add, { id: UNKNOWN_ID, aliases: ['x1'] }, admin))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(url, add, { id: 'nope', aliases: ['x1'] }, admin))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, add, { id, aliases: ['ok', '--'] }, admin))).toEqual(['BAD_USER_INPUT']);
      expect((await read(id))!.aliases).toEqual(['Postgres', 'psql']);
    });

    it('keeps relations symmetric', async () => {
      const react = await create({ name: 'React', category: 'FRAMEWORK' });
      const redux = await create({ name: 'Redux', category: 'LIBRARY' });
      const jsx = await create({ name: 'JSX', category: 'OTHER' });
      const relate = `mutation($id: ID!, $relatedId: ID!) { relateSkills(id: $id, relatedId: $relatedId) { name related { name } } }`;
      const unrelate = `mutation($id: ID!, $relatedId: ID!) { unrelateSkills(id: $id, relatedId: $relatedId) { name related { name } } }`;
      const relatedNames = async (id: string) => (await read(id))!.related.map((s) => s.name);

      expect((await graphql(url, relate, { id: react, relatedId: redux }, admin)).data).toEqual({ relateSkills: { name: 'React', related: [{ name: 'Redux' }] } });
      expect((await graphql(url, relate, { id: redux, relatedId: react }, admin)).data).toEqual({ relateSkills: { name: 'Redux', related: [{ name: 'React' }] } });
      await graphql(url, relate, { id: jsx, relatedId: react }, admin);
      expect(await relatedNames(react)).toEqual(['JSX', 'Redux']);

      expect((await graphql(url, unrelate, { id: redux, relatedId: react }, admin)).data).toEqual({ unrelateSkills: { name: 'Redux', related: [] } });
      expect(await relatedNames(react)).toEqual(['JSX']);

      // Replacing the set through updateSkill rewrites both sides.
      const update = await graphql(url, `mutation($id: ID!, $ids: [ID!]) { updateSkill(id: $id, input: { relatedSkillIds: $ids }) { related { name } } }`, { id: react, ids: [redux] }, admin);
      expect(update.data).toEqual({ updateSkill: { related: [{ name: 'Redux' }] } });
      expect(await relatedNames(jsx)).toEqual([]);
      expect(await relatedNames(redux)).toEqual(['React']);

      expect(codes(await graphql(url, relate, { id: react, relatedId: react }, admin))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, relate, { id: react, relatedId: 'nope' }, admin))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, relate, { id: react, relatedId: UNKNOWN_ID }, admin))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(url, relate, { id: UNKNOWN_ID, relatedId: react }, admin))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(url, unrelate, { id: react, relatedId: UNKNOWN_ID }, admin))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(url, `mutation($id: ID!) { updateSkill(id: $id, input: { relatedSkillIds: [$id] }) { id } }`, { id: react }, admin))).toEqual(['BAD_USER_INPUT']);
      expect(await relatedNames(react)).toEqual(['Redux']);
    });

    it('rejects invalid input and unknown ids, changing nothing', async () => {
      const existing = await create({ name: 'Go', category: 'LANGUAGE', aliases: ['golang'] });
      const before = await running.stores.skills.count();
      expect(codes(await graphql(url, CREATE, { input: { name: '   ', category: 'LANGUAGE' } }, admin))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, CREATE, { input: { name: '-.-', category: 'LANGUAGE' } }, admin))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, CREATE, { input: { name: 'Rust', category: 'SYSTEMS' } }, admin))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, CREATE, { input: { name: 'Rust' } }, admin))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, CREATE, { input: { name: 'Rust', category: 'LANGUAGE', aliases: ['rs', ''] } }, admin))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, CREATE, { input: { name: 'Rust', category: 'LANGUAGE', aliases: Array.from({ length: 51 }, (_, i) => `rust${i}`) } }, admin))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, CREATE, { input: { name: 'x'.repeat(101), category: 'LANGUAGE' } }, admin))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, CREATE, { input: { name: 'Rust', category: 'LANGUAGE', relatedSkillIds: ['nope'] } }, admin))).toEqual(['BAD_USER_INPUT']);
      // An unknown related skill rolls the whole create back, keys included.
      expect(codes(await graphql(url, CREATE, { input: { name: 'Rust', category: 'LANGUAGE', aliases: ['rs'], relatedSkillIds: [existing, UNKNOWN_ID] } }, admin))).toEqual(['NOT_FOUND']);
      expect(await running.stores.skills.count()).toBe(before);
      expect(await normalize('rust')).toBeNull();
      expect(await normalize('rs')).toBeNull();
      expect((await read(existing))!.related).toEqual([]);

      const update = `mutation($id: ID!, $input: UpdateSkillInput!) { updateSkill(id: $id, input: $input) { id } }`;
      expect(codes(await graphql(url, update, { id: existing, input: { name: '' } }, admin))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, update, { id: existing, input: { category: null } }, admin))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, update, { id: existing, input: { relatedSkillIds: [UNKNOWN_ID] } }, admin))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(url, update, { id: UNKNOWN_ID, input: { name: 'Gopher' } }, admin))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(url, update, { id: 'nope', input: { name: 'Gopher' } }, admin))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, `mutation($id: ID!) { deleteSkill(id: $id) }`, { id: UNKNOWN_ID }, admin))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(url, `mutation($id: ID!) { deleteSkill(id: $id) }`, { id: 'nope' }, admin))).toEqual(['BAD_USER_INPUT']);
      expect(await read(existing)).toMatchObject({ name: 'Go', category: 'LANGUAGE', aliases: ['golang'], related: [] });
      expect(await running.stores.skills.count()).toBe(before);
    });

    it('lets each role do exactly what the permission map says', async () => {
      const related = await create({ name: 'Matrix Related', category: 'TOOL' });
      const id = await create({ name: 'Matrix Skill', category: 'TOOL', aliases: ['Matrix Alias'], relatedSkillIds: [related] });
      const count = await running.stores.skills.count();
      const before = [await read(id), await read(related)];
      const editors = ['super_admin', 'admin', 'data_admin'] as const;
      // Reads select every Skill field of a real skill, so the type's rule runs, not only the root field's.
      const fields = 'id name category aliases description related { name } createdAt updatedAt';
      // Every mutation names an unknown skill: an editor gets NOT_FOUND (past the rule, nothing changed), anyone else is refused.
      await checkMatrix(url, [
        { operation: 'Query.skill', query: `{ skill(id: "${id}") { ${fields} } }`, allowed: CALLERS },
        { operation: 'Query.skills', query: `{ skills(filter: { search: "matrix" }) { totalCount edges { cursor node { ${fields} } } pageInfo { hasNextPage } } }`, allowed: CALLERS },
        { operation: 'Query.normalizeSkill', query: `{ normalizeSkill(name: "matrix-alias") { ${fields} } }`, allowed: CALLERS },
        { operation: 'Query.normalizeSkills', query: `{ normalizeSkills(names: ["Matrix Skill", "COBOL"]) { ${fields} } }`, allowed: CALLERS },
        { operation: 'Query._entities(Skill)', query: ENTITIES.replace('FIELDS', fields), variables: { representations: [{ __typename: 'Skill', id }] }, allowed: CALLERS },
        {
          operation: 'Mutation.createSkill',
          query: `mutation { createSkill(input: { name: "Matrix New", category: TOOL, relatedSkillIds: ["${UNKNOWN_ID}"] }) { id } }`,
          allowed: editors,
        },
        { operation: 'Mutation.updateSkill', query: `mutation { updateSkill(id: "${UNKNOWN_ID}", input: { name: "M" }) { id } }`, allowed: editors },
        { operation: 'Mutation.addSkillAliases', query: `mutation { addSkillAliases(id: "${UNKNOWN_ID}", aliases: ["m1"]) { id } }`, allowed: editors },
        { operation: 'Mutation.removeSkillAlias', query: `mutation { removeSkillAlias(id: "${UNKNOWN_ID}", alias: "m1") { id } }`, allowed: editors },
        { operation: 'Mutation.relateSkills', query: `mutation { relateSkills(id: "${UNKNOWN_ID}", relatedId: "${id}") { id } }`, allowed: editors },
        { operation: 'Mutation.unrelateSkills', query: `mutation { unrelateSkills(id: "${UNKNOWN_ID}", relatedId: "${id}") { id } }`, allowed: editors },
        { operation: 'Mutation.deleteSkill', query: `mutation { deleteSkill(id: "${UNKNOWN_ID}") }`, allowed: editors },
      ]);
      expect(await running.stores.skills.count()).toBe(count);
      expect([await read(id), await read(related)]).toEqual(before);
    });

    it('serves skills, Skill entities included, to anonymous callers and guests', async () => {
      const base = await create({ name: 'Public Base', category: 'OTHER' });
      const id = await create({ name: 'Public Skill', category: 'LANGUAGE', aliases: ['PubSk'], relatedSkillIds: [base] });
      const entities = ENTITIES.replace('FIELDS', 'name aliases related { name }');
      const representations = [id, UNKNOWN_ID].map((skillId) => ({ __typename: 'Skill', id: skillId }));
      for (const token of [undefined, await tokenFor('guest')]) {
        expect(await graphql(url, entities, { representations }, token)).toEqual({
          data: { _entities: [{ name: 'Public Skill', aliases: ['PubSk'], related: [{ name: 'Public Base' }] }, null] },
        });
        expect(await graphql(url, `{ normalizeSkills(names: ["pubsk", "nope"]) { name } }`, {}, token)).toEqual({ data: { normalizeSkills: [{ name: 'Public Skill' }, null] } });
        expect(await graphql(url, READ, { id }, token)).toMatchObject({ data: { skill: { name: 'Public Skill', related: [{ name: 'Public Base' }] } } });
      }
    });

    it('keeps skills behind read:public: a credential without it gets nothing but FORBIDDEN', async () => {
      // E.g. an API key scoped to other permissions: the type's directive guards Skill however it is reached.
      const id = await create({ name: 'Guarded Skill', category: 'OTHER' });
      const scoped = await signGatewayCredential({ userId: '00000000-0000-4000-8000-000000000002', role: 'user', permissions: ['talent:read'] });
      const entities = await graphql(url, ENTITIES.replace('FIELDS', 'name'), { representations: [{ __typename: 'Skill', id }] }, scoped);
      expect(entities.data).toEqual({ _entities: [null] });
      expect(codes(entities)).toEqual(['FORBIDDEN']);
      expect(entities.errors![0]!.path).toEqual(['_entities', 0, 'name']);
      // Nullable root fields answer null, non-null ones null the whole response; each with one FORBIDDEN.
      const refusals: [string, unknown][] = [
        [`{ skill(id: "${id}") { name } }`, { skill: null }],
        ['{ normalizeSkill(name: "guarded skill") { name } }', { normalizeSkill: null }],
        ['{ skills { totalCount } }', null],
        ['{ normalizeSkills(names: ["guarded skill"]) { id } }', null],
      ];
      for (const [query, data] of refusals) {
        const refused = await graphql(url, query, {}, scoped);
        expect([query, refused.data, codes(refused)]).toEqual([query, data, ['FORBIDDEN']]);
      }
      // The same caller with read:public reads it.
      const reader = await signGatewayCredential({ userId: '00000000-0000-4000-8000-000000000002', role: 'user', permissions: ['read:public'] });
      expect(await graphql(url, ENTITIES.replace('FIELDS', 'name'), { representations: [{ __typename: 'Skill', id }] }, reader)).toEqual({
        data: { _entities: [{ name: 'Guarded Skill' }] },
      });
    });

    it('refuses every mutation to user, guest and anonymous callers before looking at the input, changing nothing', async () => {
      const id = await create({ name: 'Scala', category: 'LANGUAGE', aliases: ['sc'] });
      const related = await create({ name: 'Akka', category: 'FRAMEWORK', relatedSkillIds: [id] });
      const other = await create({ name: 'Play Framework', category: 'FRAMEWORK' });
      // Each of these would change the taxonomy if it ran.
      const mutations: [string, Record<string, unknown>][] = [
        [CREATE, { input: { name: 'Haskell', category: 'LANGUAGE' } }],
        [`mutation($id: ID!) { updateSkill(id: $id, input: { name: "Scala 3" }) { id } }`, { id }],
        [`mutation($id: ID!) { addSkillAliases(id: $id, aliases: ["scala-lang"]) { id } }`, { id }],
        [`mutation($id: ID!) { removeSkillAlias(id: $id, alias: "sc") { id } }`, { id }],
        [`mutation($id: ID!, $other: ID!) { relateSkills(id: $id, relatedId: $other) { id } }`, { id, other }],
        [`mutation($id: ID!, $other: ID!) { unrelateSkills(id: $id, relatedId: $other) { id } }`, { id, other: related }],
        [`mutation($id: ID!) { deleteSkill(id: $id) }`, { id }],
        // Invalid input and unknown ids are not even looked at.
        [`mutation($id: ID!) { deleteSkill(id: $id) }`, { id: 'nope' }],
        [`mutation($id: ID!) { updateSkill(id: $id, input: { name: "x" }) { id } }`, { id: UNKNOWN_ID }],
        [CREATE, { input: { name: '  ', category: 'LANGUAGE' } }],
      ];
      const count = await running.stores.skills.count();
      const snapshot = async () => [await read(id), await read(related), await read(other)];
      const before = await snapshot();
      const user = await tokenFor('user');
      const guest = await tokenFor('guest');
      for (const [mutation, variables] of mutations) {
        const asUser = await graphql(url, mutation, variables, user);
        expect([mutation, codes(asUser), asUser.data]).toEqual([mutation, ['FORBIDDEN'], null]);
        expect([mutation, codes(await graphql(url, mutation, variables, guest))]).toEqual([mutation, ['FORBIDDEN']]);
        expect([mutation, codes(await graphql(url, mutation, variables))]).toEqual([mutation, ['UNAUTHENTICATED']]);
        expect([mutation, codes(await graphql(url, mutation, variables, 'not-a-token'))]).toEqual([mutation, ['UNAUTHENTICATED']]);
      }
      expect(await running.stores.skills.count()).toBe(count);
      expect(await snapshot()).toEqual(before);
      expect(await normalize('haskell')).toBeNull();

      for (const role of ['super_admin', 'admin', 'data_admin'] as const) {
        const alias = `scala-${role}`;
        const result = await graphql(url, `mutation($id: ID!, $alias: String!) { addSkillAliases(id: $id, aliases: [$alias]) { id } }`, { id, alias }, await tokenFor(role));
        expect(result).toEqual({ data: { addSkillAliases: { id } } });
        expect(await normalize(alias)).toBe('Scala');
      }
    });

    it('pages, filters and orders, clamping the page size', async () => {
      await create({ name: 'Zeta Paging', category: 'TOOL' });
      await create({ name: 'alpha paging', category: 'DEVOPS' });
      await create({ name: 'Mu', category: 'TOOL', aliases: ['Mu Paging'] });
      await create({ name: 'Omega', category: 'CLOUD', aliases: ['100% Cloud'] });
      type Page = { skills: { totalCount: number; edges: { cursor: string; node: { name: string } }[]; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string } } };
      const query = `query($filter: SkillFilter, $order: SkillOrder, $first: Int, $after: String) {
        skills(filter: $filter, orderBy: $order, first: $first, after: $after) {
          totalCount edges { cursor node { name } } pageInfo { hasNextPage hasPreviousPage endCursor }
        }
      }`;
      const names = (result: GraphQLResponse<Page>) => result.data!.skills.edges.map((edge) => edge.node.name);

      const first = await graphql<Page>(url, query, { filter: { search: 'PAGING' }, first: 2 });
      expect(first.data!.skills.totalCount).toBe(3);
      expect(names(first)).toEqual(['alpha paging', 'Mu']);
      expect(first.data!.skills.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      const next = await graphql<Page>(url, query, { filter: { search: 'paging' }, first: 2, after: first.data!.skills.pageInfo.endCursor });
      expect(names(next)).toEqual(['Zeta Paging']);
      expect(next.data!.skills.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

      const byCategory = await graphql<Page>(url, query, { filter: { search: 'paging' }, order: { field: 'CATEGORY', direction: 'DESC' }, first: 1_000_000_000 });
      expect(names(byCategory)).toEqual(['Mu', 'Zeta Paging', 'alpha paging']);
      const onlyTools = await graphql<Page>(url, query, { filter: { search: 'paging', category: ['TOOL', 'CLOUD'] }, order: { field: 'NAME', direction: 'DESC' } });
      expect(names(onlyTools)).toEqual(['Zeta Paging', 'Mu']);
      const clouds = await graphql<Page>(url, query, { filter: { category: ['CLOUD'] } });
      expect(names(clouds)).toEqual(['Omega']);

      // LIKE wildcards in the search match literally.
      expect(names(await graphql<Page>(url, query, { filter: { search: '100%' } }))).toEqual(['Omega']);
      expect(names(await graphql<Page>(url, query, { filter: { search: '0% c' } }))).toEqual(['Omega']);
      expect((await graphql<Page>(url, query, { filter: { search: 'a_p' } })).data!.skills.totalCount).toBe(0); // unescaped, "a p" would match

      const all = await graphql<Page>(url, query, { first: 1_000_000_000 });
      expect(all.data!.skills.edges.length).toBe(Math.min(100, all.data!.skills.totalCount));
      expect(all.data!.skills.totalCount).toBe(await running.stores.skills.count());
      const past = await graphql<Page>(url, query, { filter: { search: 'paging' }, first: 2, after: next.data!.skills.pageInfo.endCursor });
      expect(past.data!.skills).toMatchObject({ totalCount: 3, edges: [] });
      expect(codes(await graphql(url, query, { first: -1 }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, query, { after: 'garbage' }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(url, query, { filter: { category: ['NOPE'] } }))).toEqual(['BAD_USER_INPUT']);
    });

    it('resolves Skill entities and their related skills in a constant number of queries', async () => {
      const hub = await create({ name: 'Entity Hub', category: 'OTHER' });
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await create({ name: `Entity ${i}`, category: 'TOOL', relatedSkillIds: i % 2 ? [hub] : [] }));
      const entities = `query($representations: [_Any!]!) {
        _entities(representations: $representations) { ... on Skill { name related { name related { name } } } }
      }`;
      const run = async (count: number) => {
        const before = running.db.stats.queries;
        const result = await graphql<{ _entities: ({ name: string; related: { name: string; related: { name: string }[] }[] } | null)[] }>(url, entities, {
          representations: [...ids.slice(0, count), UNKNOWN_ID].map((id) => ({ __typename: 'Skill', id })),
        });
        expect(result.errors).toBeUndefined();
        return { result: result.data!._entities, statements: running.db.stats.queries - before };
      };

      const five = await run(5);
      expect(five.result.map((skill) => skill?.name ?? null)).toEqual([...ids.map((_, i) => `Entity ${i}`), null]);
      expect(five.result[1]!.related).toEqual([{ name: 'Entity Hub', related: [{ name: 'Entity 1' }, { name: 'Entity 3' }] }]);
      expect(five.result[0]!.related).toEqual([]);
      // One statement for the entities, one per level of `related`, whatever the batch size.
      expect(five.statements).toBe(3);
      expect((await run(2)).statements).toBe(3);

      const listed = running.db.stats.queries;
      const list = await graphql(url, `{ skills(filter: { search: "entity" }, first: 100) { edges { node { name related { name } } } } }`);
      expect(list.errors).toBeUndefined();
      expect(running.db.stats.queries - listed).toBe(2);
    });

    it('answers null, not an error, for Skill representations whose id is not a UUID string', async () => {
      const id = await create({ name: 'Odd Reference', category: 'OTHER' });
      const representations = [{ id: 'nope' }, { id: 123 }, { id: [id] }, { id: { toString: id } }, {}, { id: id.toUpperCase() }].map((rep) => ({ __typename: 'Skill', ...rep }));
      const result = await graphql(url, `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Skill { name } } }`, { representations });
      expect(result).toEqual({ data: { _entities: [null, null, null, null, null, { name: 'Odd Reference' }] } });
    });

    it('counts every match when a page holds no rows (`first: 0`)', async () => {
      for (const name of ['Zero One', 'Zero Two']) await create({ name, category: 'OTHER' });
      const result = await graphql(url, `{ skills(filter: { search: "zero" }, first: 0) { totalCount edges { cursor } pageInfo { hasNextPage } } }`);
      expect(result).toEqual({ data: { skills: { totalCount: 2, edges: [], pageInfo: { hasNextPage: true } } } });
    });

    it('relates skills from both sides at once without deadlocking', async () => {
      const pairs: [string, string][] = [];
      for (let i = 0; i < 8; i++) pairs.push([await create({ name: `Both Ways A${i}`, category: 'OTHER' }), await create({ name: `Both Ways B${i}`, category: 'OTHER' })]);
      const { skills: store } = running.stores;
      const writes = pairs.flatMap(([a, b]) => [store.update(a, { relatedIds: [b] }), store.update(b, { relatedIds: [a] }), store.relate(a, b), store.relate(b, a)]);
      const outcomes = await Promise.allSettled(writes);
      expect(outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => String((outcome as PromiseRejectedResult).reason))).toEqual([]);
      for (const [a, b] of pairs) {
        expect((await read(a))!.related.map((s) => s.id)).toEqual([b]);
        expect((await read(b))!.related.map((s) => s.id)).toEqual([a]);
      }
    });

    it('reports a related skill deleted while relating as NOT_FOUND, not a database error', async () => {
      const react = await create({ name: 'Racing React', category: 'FRAMEWORK' });
      /** Sends `mutation` while another transaction deletes `victim`, committing only once the mutation has started. */
      async function whileDeleting(victim: string, mutation: string, variables: Record<string, unknown>) {
        let deleted!: () => void;
        let commit!: () => void;
        const started = new Promise<void>((resolve) => (deleted = resolve));
        const held = new Promise<void>((resolve) => (commit = resolve));
        const transaction = running.db.transaction(async (tx) => {
          await tx.query('delete from skills where id = $1', [victim]);
          deleted();
          await held;
        });
        await started;
        const racing = graphql(url, mutation, variables, admin);
        await new Promise((resolve) => setTimeout(resolve, 200));
        commit();
        await transaction;
        return racing;
      }
      const relate = `mutation($id: ID!, $relatedId: ID!) { relateSkills(id: $id, relatedId: $relatedId) { id } }`;
      const update = `mutation($id: ID!, $ids: [ID!]) { updateSkill(id: $id, input: { relatedSkillIds: $ids }) { id } }`;
      const first = await create({ name: 'Racing Victim One', category: 'OTHER' });
      expect(codes(await whileDeleting(first, relate, { id: react, relatedId: first }))).toEqual(['NOT_FOUND']);
      const second = await create({ name: 'Racing Victim Two', category: 'OTHER' });
      expect(codes(await whileDeleting(second, update, { id: react, ids: [second] }))).toEqual(['NOT_FOUND']);
      expect((await read(react))!.related).toEqual([]);
    });
  });
}
