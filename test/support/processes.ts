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
 * (with the match), or failing with the whole output if it exits or takes longer than 60 s.
 */
export function runScript(
  script: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<RunningProcess & { match: RegExpExecArray }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) resolve({ child, output: () => output, exited, match });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`${script} ${args.join(' ')} exited with ${code}:\n${output}`)));
    setTimeout(() => reject(new Error(`${script} ${args.join(' ')} was not ready within 60 s:\n${output}`)), 60_000).unref();
  });
}
