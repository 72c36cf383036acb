/**
 * Matching's by-skill candidates at a grown dataset: the open jobs asking for any of a talent's
 * skills (`openJobsAsking`, at most 500), read from the AI subgraph's tables on the embedded
 * database, against the read before migration 004 (every open job's required_skills expanded,
 * sorted by the id's text). Prints each one's time, median of 5, and the plan of the current one.
 *   npx tsx bench/job-candidates.ts [talents, default 100000]
 */
import { fileURLToPath } from 'node:url';
import { generateDemoDataset } from '../demo/dataset.ts';
import { EmbeddedPostgres } from '../platform/db/pglite.ts';
import { migrateSubgraph } from '../platform/subgraph.ts';
import { OPEN_JOBS_ASKING, openJobsAsking } from '../subgraphs/ai/matching/matcher.ts';

const BEFORE = `select id::text from jobs
  where status = 'OPEN' and exists (select 1 from jsonb_array_elements(required_skills) s where s->>'skillId' = any($1::text[]))
  order by id limit 500`;

const talents = Number(process.argv[2] ?? 100_000);
const dataset = generateDemoDataset(undefined, talents);
const embedded = await EmbeddedPostgres.open();
const db = await embedded.scope('ai');
await migrateSubgraph(db, fileURLToPath(new URL('../subgraphs/ai', import.meta.url)));
const jobs = dataset.jobs.map((job) => ({ id: job.id, title: job.title, status: job.statusPath.at(-1) ?? 'DRAFT', required_skills: job.requiredSkills }));
for (let start = 0; start < jobs.length; start += 2000) {
  await db.query(
    `insert into jobs (id, title, status, required_skills)
     select id, title, status, required_skills from jsonb_to_recordset($1::jsonb) as j(id uuid, title text, status text, required_skills jsonb)`,
    [JSON.stringify(jobs.slice(start, start + 2000))],
  );
}
await db.exec('analyze jobs');

// The skills of a few talents' latest resumes: what matchingJobs asks with.
const skillSets = dataset.resumes.slice(0, 5).map((resume) => resume.versions.at(-1)!.skills.map((skill) => skill.skillId));
const median = async (read: (skills: string[]) => Promise<unknown[]>) => {
  const times: number[] = [];
  for (const skills of skillSets) {
    const started = performance.now();
    await read(skills);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!.toFixed(1);
};
const same = await Promise.all(skillSets.map(async (skills) => JSON.stringify((await db.query<{ id: string }>(BEFORE, [skills])).map((row) => row.id)) === JSON.stringify(await openJobsAsking(db, skills))));
console.log(`${talents} talents, ${jobs.length} jobs; the same candidates as before: ${same.every(Boolean)}`);
console.log(`before 004: ${await median((skills) => db.query(BEFORE, [skills]))} ms; now: ${await median((skills) => openJobsAsking(db, skills))} ms (median of ${skillSets.length} talents)`);
for (const row of await db.query<{ 'QUERY PLAN': string }>(`explain analyze ${OPEN_JOBS_ASKING}`, [skillSets[0]])) console.log(row['QUERY PLAN']);
await embedded.close();
