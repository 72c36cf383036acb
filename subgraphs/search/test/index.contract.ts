import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aliasMap, analyzeQuery } from '../../../platform/text-analysis.ts';
import type { EntityType, IndexQuery, SearchDocument, SearchIndex, SearchIndexOptions, Visibility } from '../store.ts';

/** What a backend hands the contract: an empty index made with these options, and how to throw it away. */
export interface SearchIndexUnderTest {
  index: SearchIndex;
  dispose(): Promise<void>;
}

const ALIASES = aliasMap([
  { name: 'JavaScript', aliases: ['js'] },
  { name: 'Kubernetes', aliases: ['k8s'] },
  { name: 'Machine Learning', aliases: ['ml'] },
]);

function makeDocuments() {
  const id = () => randomUUID();
  const doc = (type: EntityType, title: string, fields: Partial<SearchDocument> = {}): SearchDocument => ({
    type,
    id: id(),
    title,
    body: '',
    skills: [],
    location: null,
    company: null,
    employmentType: null,
    seniority: null,
    visibility: type === 'Talent' ? 'talent' : 'public',
    ...fields,
  });
  return {
    ana: doc('Talent', 'Ana Lima', { body: 'Senior TypeScript engineer building GraphQL APIs', skills: ['TypeScript', 'GraphQL'], location: 'Shanghai', company: 'Acme', seniority: 'Senior' }),
    ben: doc('Talent', 'Ben Ode', { body: 'Junior JavaScript developer, some TypeScript', skills: ['JavaScript', 'TypeScript'], location: 'Berlin', company: 'Globex', seniority: 'Junior' }),
    cai: doc('Talent', 'Cai Wen', { body: '高级 Java 工程师 · Senior Java Engineer', skills: ['Java'], location: 'Shanghai', company: 'Acme', seniority: 'Senior' }),
    tsJob: doc('Job', 'Senior TypeScript Engineer', { body: 'Build our GraphQL platform in TypeScript', skills: ['TypeScript'], location: 'Shanghai', company: 'Acme', employmentType: 'FULL_TIME', seniority: 'Senior' }),
    javaJob: doc('Job', 'Senior Java Engineer / 高级 Java 工程师', { body: '我们正在招聘高级Java工程师，负责后端服务。', skills: ['Java'], location: 'Shanghai', company: 'Acme', employmentType: 'FULL_TIME', seniority: 'Senior' }),
    mlJob: doc('Job', 'Machine Learning Engineer', { body: 'Train models on Kubernetes', skills: ['Machine Learning', 'Kubernetes'], location: 'Berlin', company: 'Globex', employmentType: 'CONTRACT' }),
    acme: doc('Company', 'Acme', { body: 'Software company in Shanghai', location: 'Shanghai' }),
    js: doc('Skill', 'JavaScript', { body: 'js ecmascript', skills: ['JavaScript'] }),
    project: doc('Project', 'Apollo Migration', { body: 'Moving every service to GraphQL federation', skills: ['GraphQL'], company: 'Acme' }),
  };
}

type Documents = ReturnType<typeof makeDocuments>;

/** The contract every SearchIndex backend passes. */
export function searchIndexContract(name: string, create: (options?: SearchIndexOptions) => Promise<SearchIndexUnderTest>): void {
  describe(`SearchIndex contract: ${name}`, () => {
    let index: SearchIndex;
    let dispose: () => Promise<void>;
    let docs: Documents;

    beforeEach(async () => {
      ({ index, dispose } = await create());
      docs = makeDocuments();
      await index.upsert(Object.values(docs));
    });
    afterEach(() => dispose());

    const ALL: readonly Visibility[] = ['public', 'talent'];
    const query = (text: string, options: Partial<Omit<IndexQuery, 'text' | 'terms'>> = {}): IndexQuery => ({
      text,
      terms: analyzeQuery(text, ALIASES),
      types: ['Talent', 'Job', 'Company', 'Project', 'Skill'],
      filters: {},
      visibility: ALL,
      limit: 10,
      offset: 0,
      ...options,
    });
    const ids = async (q: IndexQuery) => (await index.search(q)).hits.map((hit) => hit.id);

    it('finds documents by their words, a title match first', async () => {
      const found = await ids(query('typescript'));
      expect(new Set(found)).toEqual(new Set([docs.ana.id, docs.ben.id, docs.tsJob.id]));
      expect(found[0]).toBe(docs.tsJob.id);
    });

    it('ranks documents matching every word of the query above those matching some', async () => {
      const found = await ids(query('senior typescript shanghai', { types: ['Talent'] }));
      expect(found[0]).toBe(docs.ana.id);
      expect(found).toContain(docs.ben.id);
    });

    it('expands skill aliases and multi-word skill names', async () => {
      expect(await ids(query('js', { types: ['Talent'] }))).toEqual([docs.ben.id]);
      expect(await ids(query('k8s', { types: ['Job'] }))).toEqual([docs.mlJob.id]);
      expect(await ids(query('ml engineer', { types: ['Job'] }))).toContain(docs.mlJob.id);
    });

    it('tolerates a typo in a word', async () => {
      expect(await ids(query('javscript', { types: ['Talent', 'Skill'] }))).toEqual(expect.arrayContaining([docs.ben.id, docs.js.id]));
      expect(await ids(query('typscript', { types: ['Job'] }))).toEqual([docs.tsJob.id]);
    });

    it("corrects a guest's typo whether or not a hidden document holds the word as typed", async () => {
      const guest = query('kubernetis', { visibility: ['public'] });
      expect(await ids(guest)).toEqual([docs.mlJob.id]);
      const hidden = { ...docs.ben, id: randomUUID(), title: 'Kubernetis Fan', body: 'kubernetis kubernetis' };
      await index.upsert([hidden]);
      expect(await ids(guest)).toEqual([docs.mlJob.id]);
      expect(await ids(query('kubernetis', { types: ['Talent'] }))).toEqual([hidden.id]);
    });

    it('finds Chinese text written with or without spaces', async () => {
      const found = await ids(query('高级 Java 工程师', { types: ['Job'] }));
      expect(found[0]).toBe(docs.javaJob.id);
      expect(await ids(query('后端服务', { types: ['Job'] }))).toEqual([docs.javaJob.id]);
      expect(await ids(query('招聘', { types: ['Talent'] }))).toEqual([]);
    });

    it('keeps to the types, the visibility and the facet filters asked for', async () => {
      expect(await ids(query('typescript', { types: ['Job'] }))).toEqual([docs.tsJob.id]);
      expect(await ids(query('typescript', { visibility: ['public'] }))).toEqual([docs.tsJob.id]);
      expect(new Set(await ids(query('engineer', { filters: { location: ['Shanghai'] }, types: ['Job'] })))).toEqual(new Set([docs.tsJob.id, docs.javaJob.id]));
      expect(await ids(query('engineer', { filters: { employmentType: ['CONTRACT'] } }))).toEqual([docs.mlJob.id]);
      expect(new Set(await ids(query('typescript', { filters: { seniority: ['Senior'], company: ['Acme'] } })))).toEqual(new Set([docs.ana.id, docs.tsJob.id]));
      expect(new Set(await ids(query('engineer', { filters: { skills: ['Java', 'Kubernetes'] } })))).toEqual(new Set([docs.cai.id, docs.javaJob.id, docs.mlJob.id]));
    });

    it("a caller's results do not depend on documents they may not see", async () => {
      const guest = query('senior typescript engineer', { visibility: ['public'] });
      const before = await index.search(guest);
      expect(before.hits.length).toBeGreaterThan(1);
      // Hidden documents heavy with the query's words would shift corpus statistics (IDF, average length).
      const words = 'senior typescript engineer '.repeat(20);
      const hidden = Array.from({ length: 30 }, (_, i) => ({ ...docs.ana, id: randomUUID(), title: `Senior TypeScript Engineer ${i}`, body: words }));
      await index.upsert(hidden);
      expect(await index.search(guest)).toEqual(before);
      expect((await index.search(query('senior typescript engineer', { types: ['Talent'] }))).total).toBeGreaterThanOrEqual(hidden.length);
    });

    it('counts facets over every match, not only the page', async () => {
      const results = await index.search(query('engineer', { types: ['Job'], limit: 1 }));
      expect(results.total).toBe(3);
      expect(results.hits).toHaveLength(1);
      expect(results.facets.location).toEqual([
        { value: 'Shanghai', count: 2 },
        { value: 'Berlin', count: 1 },
      ]);
      expect(results.facets.employmentType).toEqual([
        { value: 'FULL_TIME', count: 2 },
        { value: 'CONTRACT', count: 1 },
      ]);
      expect(results.facets.skills).toEqual(expect.arrayContaining([{ value: 'Java', count: 1 }, { value: 'Kubernetes', count: 1 }]));
      expect(results.facets.seniority).toEqual([{ value: 'Senior', count: 2 }]);
      expect(results.facets.company).toEqual([
        { value: 'Acme', count: 2 },
        { value: 'Globex', count: 1 },
      ]);
    });

    it('counts matches up to its bound, and says when the total is only a lower bound', async () => {
      const bounded = await create({ countUpTo: 3 });
      try {
        await bounded.index.upsert(Object.values(docs));
        // "engineer": three jobs by their title, Ana and Cai by their text.
        const everything = await bounded.index.search(query('engineer'));
        expect(everything).toMatchObject({ total: 3, totalIsExact: false });
        expect(everything.hits.length).toBeGreaterThan(0);
        const engineers = [docs.ana, docs.cai, docs.tsJob, docs.javaJob, docs.mlJob].map((doc) => doc.id);
        expect(engineers).toEqual(expect.arrayContaining(everything.hits.map((hit) => hit.id)));
        // Exactly the bound is still exact.
        expect(await bounded.index.search(query('engineer', { types: ['Job'] }))).toMatchObject({ total: 3, totalIsExact: true });
        expect(await bounded.index.search(query('typescript', { types: ['Talent'] }))).toMatchObject({ total: 2, totalIsExact: true });
      } finally {
        await bounded.dispose();
      }
      expect(await index.search(query('engineer'))).toMatchObject({ total: 5, totalIsExact: true });
    });

    it('pages through the hits in a stable order', async () => {
      const all = await ids(query('engineer', { limit: 10 }));
      expect(all.length).toBeGreaterThanOrEqual(4);
      const pages = [...(await ids(query('engineer', { limit: 2 }))), ...(await ids(query('engineer', { limit: 2, offset: 2 })))];
      expect(pages).toEqual(all.slice(0, 4));
    });

    it('highlights the matched words in the title and body only', async () => {
      const [hit] = (await index.search(query('graphql', { types: ['Project'] }))).hits;
      expect(hit!.highlights).toEqual([{ field: 'body', snippets: [expect.stringContaining('<em>GraphQL</em>')] }]);
      const [job] = (await index.search(query('typescript', { types: ['Job'] }))).hits;
      expect(job!.highlights.map((highlight) => highlight.field).sort()).toEqual(['body', 'title']);
      expect(job!.highlights.find((highlight) => highlight.field === 'title')!.snippets).toEqual(['Senior <em>TypeScript</em> Engineer']);
      expect(job!.score).toBeGreaterThan(0);
    });

    it('replaces a document on upsert, and a replayed upsert or remove changes nothing', async () => {
      const rewritten = { ...docs.ben, body: 'Rust developer', skills: ['Rust'] };
      await index.upsert([rewritten]);
      await index.upsert([rewritten]);
      expect(await ids(query('rust'))).toEqual([docs.ben.id]);
      expect(await ids(query('javascript', { types: ['Talent'] }))).toEqual([]);
      const before = await index.count();
      await index.remove([{ type: 'Talent', id: docs.ben.id }]);
      await index.remove([{ type: 'Talent', id: docs.ben.id }]);
      expect(await index.count()).toBe(before - 1);
      expect(await ids(query('rust'))).toEqual([]);
    });

    it('replaces everything at once', async () => {
      await index.replaceAll([{ ...docs.acme, title: 'Acme Reborn' }]);
      expect(await index.count()).toBe(1);
      expect(await ids(query('reborn'))).toEqual([docs.acme.id]);
      expect(await ids(query('typescript'))).toEqual([]);
    });

    it('suggests titles by prefix, within the types and visibility asked for', async () => {
      const suggestions = await index.suggest('seni', ['Job'], ['public'], 5);
      expect(suggestions.map((s) => s.text)).toEqual(['Senior TypeScript Engineer', 'Senior Java Engineer / 高级 Java 工程师']);
      expect((await index.suggest('ja', ['Skill', 'Talent'], ['public', 'talent'], 5)).map((s) => s.text)).toEqual(['JavaScript']);
      expect(await index.suggest('ana', ['Talent'], ['public'], 5)).toEqual([]);
      expect((await index.suggest('lim', ['Talent'], ['talent'], 5)).map((s) => s.id)).toEqual([docs.ana.id]);
    });
  });
}
