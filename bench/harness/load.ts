import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../../platform/registry.ts';
import type { Pinning } from './pinning.ts';
import type { RoundResult, RoundSpec } from './round.ts';

const CHILD = fileURLToPath(new URL('./load-child.ts', import.meta.url));

/** Runs one round in the load process (load-child.ts), pinned as `pinning` says, and returns what it saw. */
export function runRound(spec: RoundSpec, pinning: Pinning): Promise<RoundResult> {
  const command = [...pinning.loadPrefix, process.execPath, '--import', 'tsx', CHILD, JSON.stringify(spec)];
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`The load process exited with ${code} (${spec.operation} against ${spec.url})`));
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as RoundResult);
      } catch (error) {
        reject(new Error(`The load process printed no result: ${(error as Error).message}`));
      }
    });
  });
}
