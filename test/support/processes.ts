import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from '../../platform/registry.ts';

export interface RunningProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
}

/**
 * Runs one of the project's scripts as a user would, resolving once `ready` matches its output
 * (with the match), or failing with the whole output if it exits or takes longer than `within` ms.
 */
export function runScript(
  script: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  within = 60_000,
): Promise<RunningProcess & { match: RegExpExecArray }> {
  const child = spawnScript(script, args, env);
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    // Not ready in time: the process is ended too, so that no test leaves it running.
    const timeout = setTimeout(() => {
      reject(new Error(`${script} ${args.join(' ')} was not ready within ${within / 1000} s:\n${output}`));
      child.kill('SIGKILL');
    }, within).unref();
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timeout);
        resolve({ child, output: () => output, exited, match });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`${script} ${args.join(' ')} exited with ${code}:\n${output}`)));
  });
}

/** Runs one of the project's scripts (a CLI) to its end: its exit code, all it wrote to stdout and stderr, and stderr alone. */
export function runScriptToEnd(script: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string; stderr: string }> {
  const child = spawnScript(script, args, env);
  let output = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output, stderr }));
  });
}

function spawnScript(script: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
