/**
 * Start-up cost of `npm start`: first run (create PGlite, migrate, load the demo dataset) against
 * a restart on the same data directory, wall time to "is up" and resident memory once up.
 *   npx tsx bench/startup.ts [runs=3]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScript } from '../test/support/processes.ts';

const runs = Number(process.argv[2] ?? 3);

async function measure(dataDir: string): Promise<{ seconds: number; rssMb: number }> {
  const started = performance.now();
  const running = await runScript('scripts/start.ts', [], { DATA_DIR: dataDir, PORTS: 'ephemeral', LOG_LEVEL: 'warn' }, /is up in/);
  const seconds = (performance.now() - started) / 1000;
  const rssKb = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(running.child.pid)]).toString().trim());
  running.child.kill('SIGINT');
  await running.exited;
  return { seconds, rssMb: rssKb / 1024 };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fresh: { seconds: number; rssMb: number }[] = [];
const restart: { seconds: number; rssMb: number }[] = [];
for (let i = 0; i < runs; i++) {
  const dataDir = mkdtempSync(join(tmpdir(), 'looma-bench-'));
  fresh.push(await measure(dataDir));
  restart.push(await measure(dataDir));
  rmSync(dataDir, { recursive: true, force: true });
}
const row = (name: string, samples: typeof fresh) =>
  `| ${name} | ${median(samples.map((s) => s.seconds)).toFixed(2)} s | ${median(samples.map((s) => s.rssMb)).toFixed(0)} MB |`;
console.log(`npm start, median of ${runs} runs (node ${process.version})\n`);
console.log('| run | wall time to "is up" | RSS when up |\n|---|---|---|');
console.log(row('first run (create + migrate + demo data)', fresh));
console.log(row('restart on the same data', restart));
console.log(`\nrestart / first run, time: ${(median(restart.map((s) => s.seconds)) / median(fresh.map((s) => s.seconds))).toFixed(2)}`);
