/**
 * The embedded search index (PGlite) at a grown dataset: each query as a search answers it,
 * counting up to 10,000 matches (the default `countUpTo`), against the same index considering
 * every match (`countUpTo: Infinity`, what a search did before the bound). The documents are
 * drawn from a generated dataset as the search projector draws them. Prints, per query, the
 * matches, both times (median of 5, taken in turns) and whether the first ten hits agree.
 *   node --max-old-space-size=8192 --import tsx bench/search-bound.ts [talents, default 100000]
 */
import { fileURLToPath } from 'node:url';
import { generateDemoDataset } from '../demo/dataset.ts';
import type { DemoDataset } from '../demo/types.ts';
import { EmbeddedPostgres } from '../platform/db/pglite.ts';
import { migrateSubgraph } from '../platform/subgraph.ts';
import { aliasMap, analyzeQuery } from '../platform/text-analysis.ts';
import { renderDocument, type Payload, type Sources } from '../subgraphs/search/documents.ts';
import { PostgresSearchIndex } from '../subgraphs/search/store.postgres.ts';
import { ENTITY_TYPES, type EntityRef, type IndexQuery, type IndexResults, type SearchDocument } from '../subgraphs/search/store.ts';

const QUERIES = ['engineer', 'python', 'senior kubernetes', 'javscript', 'react native developer'];
const ROUNDS = 5;

/** Every document of the dataset, drawn from payloads shaped like the owners' events. */
function documentsOf(dataset: DemoDataset): SearchDocument[] {
  const byId = <T extends { id: string }>(items: T[]) => new Map(items.map((item) => [item.id, item as unknown as Payload]));
  const resumesByTalent = new Map<string, Payload[]>();
  for (const resume of dataset.resumes) {
    resumesByTalent.set(resume.talentId, [...(resumesByTalent.get(resume.talentId) ?? []), resume.versions.at(-1) as unknown as Payload]);
  }
  const sources: Sources = {
    talents: byId(dataset.talents),
    resumesByTalent,
    companies: byId(dataset.companies),
    skills: byId(dataset.skills),
    jobs: byId(dataset.jobs),
    projects: byId(dataset.projects),
  };
  const refs: EntityRef[] = [
    ...dataset.talents.map((talent) => ({ type: 'Talent' as const, id: talent.id })),
    ...dataset.jobs.map((job) => ({ type: 'Job' as const, id: job.id })),
    ...dataset.companies.map((company) => ({ type: 'Company' as const, id: company.id })),
    ...dataset.projects.map((project) => ({ type: 'Project' as const, id: project.id })),
    ...dataset.skills.map((skill) => ({ type: 'Skill' as const, id: skill.id })),
  ];
  return refs.map((ref) => renderDocument(ref, sources)).filter((document): document is SearchDocument => document !== null);
}

const talents = Number(process.argv[2] ?? 100_000);
const dataset = generateDemoDataset(undefined, talents);
const documents = documentsOf(dataset);
const embedded = await EmbeddedPostgres.open();
const db = await embedded.scope('search');
await migrateSubgraph(db, fileURLToPath(new URL('../subgraphs/search', import.meta.url)));
const bounded = new PostgresSearchIndex(db);
const unbounded = new PostgresSearchIndex(db, { countUpTo: Infinity });
await db.transaction((tx) => bounded.within(tx).replaceAll(documents));
await db.exec('analyze documents; analyze vocabulary');

const aliases = aliasMap(dataset.skills);
const queryOf = (text: string): IndexQuery => ({ text, terms: analyzeQuery(text, aliases), types: ENTITY_TYPES, filters: {}, visibility: ['public', 'talent'], limit: 10, offset: 0 });
const median = (times: number[]) => times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
const timed = async (index: PostgresSearchIndex, query: IndexQuery): Promise<[number, IndexResults]> => {
  const started = performance.now();
  const results = await index.search(query);
  return [performance.now() - started, results];
};

console.log(`${talents} talents: ${documents.length} documents; median of ${ROUNDS}, bounded and unbounded in turns\n`);
console.log('| query | matches | counting up to 10,000 | every match | ratio | same first 10 |');
console.log('|---|---|---|---|---|---|');
for (const text of QUERIES) {
  const query = queryOf(text);
  const times = { bounded: [] as number[], unbounded: [] as number[] };
  let answers: [IndexResults, IndexResults] | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    const [boundedMs, boundedResults] = await timed(bounded, query);
    const [unboundedMs, unboundedResults] = await timed(unbounded, query);
    times.bounded.push(boundedMs);
    times.unbounded.push(unboundedMs);
    answers = [boundedResults, unboundedResults];
  }
  const [ofBounded, ofEvery] = answers!;
  const ids = (results: IndexResults) => results.hits.map((hit) => `${hit.type}:${hit.id}`).join();
  const [b, u] = [median(times.bounded), median(times.unbounded)];
  console.log(`| ${text} | ${ofEvery.total} | ${b.toFixed(1)} ms | ${u.toFixed(1)} ms | ${(u / b).toFixed(2)}× | ${ids(ofBounded) === ids(ofEvery) ? 'yes' : 'no'} |`);
}
await embedded.close();
