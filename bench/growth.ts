/**
 * Growth (issue 11, section 5): the flagship query, search, job matches and a graph path at
 * datasets of growing size (1k, 10k and 100k talents by default, companies, jobs and projects in
 * the demo's proportion), each size in its own process on a fresh embedded store. Prints how
 * RPS, latency and memory change across the sizes, and flags what grows faster than log(n).
 *   npx tsx bench/growth.ts [1000,10000,100000] [--connections 50] [--seconds 10] [--warmup 3]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../platform/registry.ts';
import { parseGrowthOptions } from './growth/options.ts';
import { growthReport } from './growth/report.ts';
import type { SizeResult } from './growth/result.ts';

const SIZE = fileURLToPath(new URL('./growth/size.ts', import.meta.url));
// A 100k dataset and its stores outgrow the default heap while loading.
const HEAP_MB = 8192;

const options = parseGrowthOptions(process.argv.slice(2));
const command = `npx tsx bench/growth.ts ${process.argv.slice(2).join(' ')}`.trim();

function measure(talents: number): Promise<SizeResult> {
  const output = join(mkdtempSync(join(tmpdir(), 'looma-growth-')), 'result.json');
  const args = [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', SIZE, [talents, options.connections, options.seconds, options.warmupSeconds].join(','), output];
  return new Promise((resolve, reject) => {
    // What the stack logs goes to stderr with the progress lines; the result comes in the file.
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', process.stderr, 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`The ${talents}-talent run exited with ${code}`));
      try {
        resolve(JSON.parse(readFileSync(output, 'utf8')) as SizeResult);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      } finally {
        rmSync(dirname(output), { recursive: true, force: true });
      }
    });
  });
}

const results: SizeResult[] = [];
for (const talents of options.sizes) {
  const started = Date.now();
  process.stderr.write(`growth: starting ${talents} talents\n`);
  try {
    results.push(await measure(talents));
  } catch (error) {
    process.stderr.write(`growth: ${(error as Error).message}; reporting the sizes measured before it\n`);
    break;
  }
  process.stderr.write(`growth: ${talents} talents done in ${Math.round((Date.now() - started) / 1000)} s\n`);
}
if (results.length === 0) throw new Error('No size was measured');
const report = growthReport(results, options, command, `node ${process.version}`);
console.log(report.markdown);
if (report.flagged.length) console.log(`\nGrew faster than log(n):\n${report.flagged.map((line) => `- ${line}`).join('\n')}`);
