import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../../platform/db/db.ts';
import { logger } from '../../../platform/logger.ts';
import { migrateSubgraph } from '../../../platform/subgraph.ts';
import { backends, freshDb } from '../../../test/support/databases.ts';
import { contractSuite } from '../../../test/support/contract.ts';
import { ELASTICSEARCH_URL, elasticsearchTarget } from '../../../test/support/elasticsearch.ts';
import type { IndexQuery, SearchDocument } from '../store.ts';
import { ElasticsearchSearchIndex } from '../store.elasticsearch.ts';
import { PostgresSearchIndex } from '../store.postgres.ts';
import { searchIndexContract } from './index.contract.ts';

const SUBGRAPH = fileURLToPath(new URL('..', import.meta.url));

const document = (fields: Partial<SearchDocument> = {}): SearchDocument => ({
  type: 'Job',
  id: randomUUID(),
  title: 'Rust Engineer',
  body: 'Systems work',
  skills: ['Rust'],
  location: null,
  company: null,
  employmentType: null,
  seniority: null,
  visibility: 'public',
  ...fields,
});

const query = (text: string, terms: string[][], options: Partial<IndexQuery> = {}): IndexQuery => ({
  text,
  terms,
  types: ['Talent', 'Job', 'Company', 'Project', 'Skill'],
  filters: {},
  visibility: ['public', 'talent'],
  limit: 10,
  offset: 0,
  ...options,
});

for (const { backend, label, target } of await backends()) {
  contractSuite('search index', target, () => {
    searchIndexContract(label, async (options) => {
      const { db, drop } = await freshDb(backend, 'search');
      await migrateSubgraph(db, SUBGRAPH);
      return { index: new PostgresSearchIndex(db, options), dispose: drop };
    });

    describe('PostgreSQL specifics', () => {
      let db: Db;
      let drop: () => Promise<void>;
      let index: PostgresSearchIndex;
      beforeEach(async () => {
        ({ db, drop } = await freshDb(backend, 'search'));
        await migrateSubgraph(db, SUBGRAPH);
        index = new PostgresSearchIndex(db);
      });
      afterEach(() => drop());

      const boom = new Error('boom');

      it('writes in the caller’s transaction: rolled back with it, committed with it', async () => {
        const rust = document();
        // On PGlite a nested db.transaction would wait on the outer one forever: this also
        // proves a bound index opens none, replaceAll included.
        await expect(
          db.transaction(async (tx) => {
            const bound = index.within(tx);
            await bound.upsert([rust]);
            expect((await bound.search(query('rust', [['rust']]))).total).toBe(1); // its own writes are visible
            throw boom;
          }),
        ).rejects.toBe(boom);
        expect(await index.count()).toBe(0);
        expect((await index.search(query('rust', [['rust']]))).total).toBe(0);

        await db.transaction((tx) => index.within(tx).upsert([rust]));
        expect(await index.count()).toBe(1);

        await expect(
          db.transaction(async (tx) => {
            await index.within(tx).replaceAll([document({ title: 'Go Engineer', skills: ['Go'] })]);
            await index.within(tx).remove([rust]);
            expect(await index.within(tx).count()).toBe(1);
            throw boom;
          }),
        ).rejects.toBe(boom);
        expect((await index.search(query('rust', [['rust']]))).hits.map((hit) => hit.id)).toEqual([rust.id]);
      });

      it('stems English words and highlights the words it matched by stem or by correction', async () => {
        const job = document({ title: 'Platform Engineering Lead', body: 'We hire engineers who love Kubernetes & <b>TypeScript</b>.' });
        await index.upsert([job]);
        const [hit] = (await index.search(query('engineer', [['engineer']]))).hits;
        expect(hit!.highlights).toEqual([
          { field: 'title', snippets: ['Platform <em>Engineering</em> Lead'] },
          { field: 'body', snippets: ['We hire <em>engineers</em> who love Kubernetes &amp; &lt;b&gt;TypeScript&lt;/b&gt;.'] },
        ]);
        const [fixed] = (await index.search(query('kubernetis', [['kubernetis']]))).hits;
        expect(fixed!.highlights).toEqual([{ field: 'body', snippets: ['We hire engineers who love <em>Kubernetes</em> &amp; &lt;b&gt;TypeScript&lt;/b&gt;.'] }]);
      });

      it('highlights CJK matches and cuts a long body into two fragments around the matches', async () => {
        const filler = 'Lorem ipsum dolor sit amet consectetur. '.repeat(10);
        const job = document({ title: '高级Java工程师', body: `${filler}Rust first. ${filler}Rust again. ${filler}` });
        await index.upsert([job]);
        const [cjk] = (await index.search(query('工程师', [['工程'], ['程师']]))).hits;
        expect(cjk!.highlights).toEqual([{ field: 'title', snippets: ['高级Java<em>工程师</em>'] }]);
        const [rust] = (await index.search(query('rust', [['rust']]))).hits;
        const body = rust!.highlights.find((highlight) => highlight.field === 'body')!;
        expect(body.snippets).toHaveLength(2);
        expect(body.snippets[0]).toContain('<em>Rust</em> first.');
        expect(body.snippets[1]).toContain('<em>Rust</em> again.');
        for (const snippet of body.snippets) expect(snippet.replace(/<\/?em>/g, '').length).toBeLessThanOrEqual(160);
      });

      it('keeps pg_trgm when another schema holding an index is dropped', async () => {
        const other = await freshDb(backend, 'search');
        await migrateSubgraph(other.db, SUBGRAPH);
        await other.drop();
        await index.upsert([document()]);
        expect((await index.search(query('systms', [['systms']]))).total).toBe(1);
        expect(await index.suggest('ru', ['Job'], ['public'], 5)).toHaveLength(1);
      });

      it('matches every document for an empty query, for browsing with facets', async () => {
        await index.upsert([document({ location: 'Berlin' }), document({ location: 'Berlin', type: 'Company' })]);
        const results = await index.search(query('', [], { types: ['Job'] }));
        expect(results.total).toBe(1);
        expect(results.facets.location).toEqual([{ value: 'Berlin', count: 1 }]);
      });

      describe('past its bound', () => {
        const ids = (results: { hits: { id: string }[] }) => results.hits.map((hit) => hit.id);

        it('considers documents matching in their title, then in their skills, before those matching only in their text', async () => {
          const inTitle = [1, 2].map((n) => document({ title: `Rust Engineer ${n}`, skills: [], employmentType: 'FULL_TIME' }));
          const inSkills = [1, 2].map((n) => document({ title: `Systems Engineer ${n}`, skills: ['Rust'], employmentType: 'PART_TIME' }));
          const inText = [1, 2].map((n) => document({ title: `Systems Developer ${n}`, body: 'Rust every day', skills: [], employmentType: 'CONTRACT' }));
          await index.upsert([...inText, ...inSkills, ...inTitle]);
          const rust = query('rust', [['rust']]);
          const three = await new PostgresSearchIndex(db, { countUpTo: 3 }).search(rust);
          expect(three).toMatchObject({ total: 3, totalIsExact: false });
          expect(ids(three)).toEqual(expect.arrayContaining(inTitle.map((doc) => doc.id)));
          expect(ids(three).filter((id) => inSkills.some((doc) => doc.id === id))).toHaveLength(1);
          // Facets count what was considered.
          expect(three.facets.employmentType).toEqual([
            { value: 'FULL_TIME', count: 2 },
            { value: 'PART_TIME', count: 1 },
          ]);
          const four = await new PostgresSearchIndex(db, { countUpTo: 4 }).search(rust);
          expect(new Set(ids(four))).toEqual(new Set([...inTitle, ...inSkills].map((doc) => doc.id)));
          expect(await index.search(rust)).toMatchObject({ total: 6, totalIsExact: true });
        });

        it('considers documents matching every word of the query first', async () => {
          const both = [1, 2].map((n) => document({ title: `Developer ${n}`, body: 'Senior, writes Rust', skills: [] }));
          const one = [1, 2, 3].map((n) => document({ title: `Rust Engineer ${n}` }));
          await index.upsert([...one, ...both]);
          const results = await new PostgresSearchIndex(db, { countUpTo: 2 }).search(query('senior rust', [['senior'], ['rust']]));
          expect(results).toMatchObject({ total: 2, totalIsExact: false });
          expect(new Set(ids(results))).toEqual(new Set(both.map((doc) => doc.id)));
        });

        it('browses an empty query in (type, id) order', async () => {
          const jobs = Array.from({ length: 5 }, () => document());
          await index.upsert(jobs);
          const results = await new PostgresSearchIndex(db, { countUpTo: 2 }).search(query('', []));
          expect(results).toMatchObject({ total: 2, totalIsExact: false });
          expect(ids(results)).toEqual(jobs.map((job) => job.id).sort().slice(0, 2));
        });

        it('is a positive whole number or Infinity', () => {
          for (const countUpTo of [0, -1, 1.5, Number.NaN]) expect(() => new PostgresSearchIndex(db, { countUpTo })).toThrow(RangeError);
          expect(() => new PostgresSearchIndex(db, { countUpTo: Infinity })).not.toThrow();
        });
      });

      it('refuses unbounded input with a RangeError', async () => {
        await expect(index.search(query('rust', [['rust']], { limit: 101 }))).rejects.toThrow(RangeError);
        await expect(index.search(query('rust', [['rust']], { offset: -1 }))).rejects.toThrow(RangeError);
        await expect(index.search(query('rust', [['rust']], { limit: 1.5 }))).rejects.toThrow(RangeError);
        await expect(index.search(query('x'.repeat(257), [['x']]))).rejects.toThrow(RangeError);
        await expect(index.search(query('many', Array.from({ length: 17 }, (_, i) => [`w${i}`])))).rejects.toThrow(RangeError);
        await expect(index.search(query('rust', [['rust']], { types: ['Nope' as never] }))).rejects.toThrow(RangeError);
        await expect(index.suggest('ru', ['Job'], ['public'], 101)).rejects.toThrow(RangeError);
        // Text PostgreSQL cannot store is cleaned, not an error.
        expect((await index.search(query('ru\u0000st', [['ru\u0000st']]))).total).toBe(0);
        await index.upsert([document({ title: 'Bad\u0000 \uD800text' })]);
        expect((await index.suggest('bad', ['Job'], ['public'], 5)).map((s) => s.text)).toEqual(['Bad \uFFFDtext']);
      });
    });
  });
}

contractSuite('search index', await elasticsearchTarget(), () => {
  // Every test gets its own alias (and indices behind it): tests never see each other's documents.
  searchIndexContract(`Elasticsearch at ${ELASTICSEARCH_URL}`, async (options) => {
    const alias = `looma-test-${randomUUID().slice(0, 8)}`;
    const index = await ElasticsearchSearchIndex.create(ELASTICSEARCH_URL, alias, options);
    return {
      index,
      dispose: async () => {
        await index.client.indices.delete({ index: `${alias}-*` }, { ignore: [404] });
        await index.close();
      },
    };
  });

  describe('Elasticsearch specifics', () => {
    let alias: string;
    let index: ElasticsearchSearchIndex;
    const aliases: string[] = [];
    const opened: ElasticsearchSearchIndex[] = [];
    const newAlias = () => {
      alias = `looma-test-${randomUUID().slice(0, 8)}`;
      aliases.push(alias);
    };
    const open = async () => {
      const created = await ElasticsearchSearchIndex.create(ELASTICSEARCH_URL, alias);
      opened.push(created);
      return created;
    };
    beforeEach(async () => {
      newAlias();
      index = await open();
    });
    afterEach(async () => {
      vi.restoreAllMocks();
      for (const name of aliases.splice(0)) await index.client.indices.delete({ index: `${name}-*` }, { ignore: [404] });
      for (const each of opened.splice(0)) await each.close();
    });

    const indicesBehind = async (name: string) => Object.keys(await index.client.indices.getAlias({ name }));
    const everyIndex = async () => Object.keys(await index.client.indices.get({ index: `${alias}-*` })).sort();
    const guest = query('rust', [['rust']], { visibility: ['public'] });
    const found = async (q: IndexQuery) => (await index.search(q)).hits.map((hit) => hit.id);

    it('keeps the rebuilt index when deleting the replaced one fails, and warns', async () => {
      await index.upsert([document()]);
      const replaced = [...(await indicesBehind(`${alias}-public`)), ...(await indicesBehind(`${alias}-all`))];
      const refusal = new Error('delete refused');
      const indices = index.client.indices;
      const deleteIndex = indices.delete.bind(indices);
      vi.spyOn(indices, 'delete').mockImplementation(((params: { index: string | string[] }, options?: object) =>
        [params.index].flat().some((name) => replaced.includes(name)) ? Promise.reject(refusal) : deleteIndex(params, options)) as typeof indices.delete);
      const warn = vi.spyOn(logger, 'warn');

      const rebuilt = document({ title: 'Rust Lead' });
      await index.replaceAll([rebuilt]);

      expect(await found(guest)).toEqual([rebuilt.id]);
      expect(await index.count()).toBe(1);
      expect(warn).toHaveBeenCalledWith(expect.objectContaining({ err: refusal, indices: replaced }), expect.any(String));
      expect(await everyIndex()).toEqual(expect.arrayContaining(replaced)); // left for the operator
    });

    it('leaves the aliases and the old documents in place when a rebuild fails before the swap', async () => {
      const kept = document();
      await index.upsert([kept]);
      const before = await everyIndex();
      const refused = { ...document(), unmapped: true } as SearchDocument; // the strict mapping refuses it
      await expect(index.replaceAll([document(), refused])).rejects.toThrow(/refused/);
      expect(await everyIndex()).toEqual(before);
      expect(await found(guest)).toEqual([kept.id]);
    });

    it('writes each document to the index of every audience that may read it, and moves it when its visibility changes', async () => {
      const job = document();
      const talent = document({ type: 'Talent', visibility: 'talent' });
      await index.upsert([job, talent]);
      const reader = query('rust', [['rust']], { visibility: ['public', 'talent'] });
      expect(await found(guest)).toEqual([job.id]);
      expect(new Set(await found(reader))).toEqual(new Set([job.id, talent.id]));
      expect(await found({ ...reader, visibility: ['talent'] })).toEqual([talent.id]);
      expect(await index.count()).toBe(2);
      await index.upsert([{ ...job, visibility: 'talent' }]);
      expect(await found(guest)).toEqual([]);
      expect(await index.count()).toBe(2);
      await index.remove([talent, job]);
      expect(await index.count()).toBe(0);
      expect(await found(reader)).toEqual([]);
    });

    it('says when it started with no documents, so a store recorded as built can be rebuilt', async () => {
      expect(index.startedEmpty).toBe(true);
      expect((await open()).startedEmpty).toBe(false);
    });
  });
});
