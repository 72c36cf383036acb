import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT } from '../../platform/registry.ts';

/**
 * One service run the production way, `scripts/serve.ts <name>` in a process of its own on a
 * fixed port (a replica restarted on the same port is found again by the gateway), its output
 * appended to `<logDir>/<label>.log`.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  private exited?: Promise<number | null>;
  private retired = false;

  constructor(
    /** The service: gateway or a subgraph's name. */
    readonly name: string,
    /** Unique among the processes: the name, or `companies-a` for a replica. */
    readonly label: string,
    readonly port: number,
    private readonly env: Record<string, string | undefined>,
    private readonly logDir: string,
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get graphqlUrl(): string {
    return `${this.baseUrl}/graphql`;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  start(): void {
    if (this.retired) throw new Error(`${this.label} is being shut down for good`);
    if (this.child) throw new Error(`${this.label} is already running`);
    const log = openSync(this.logPath, 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/serve.ts', this.name], {
      cwd: ROOT,
      env: { ...this.env, PORT: String(this.port) },
      stdio: ['ignore', log, log],
    });
    closeSync(log); // the child holds its own descriptor
    this.child = child;
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.child = undefined;
        resolve(code ?? (signal ? 128 : null));
      }),
    );
  }

  /** Resolves once /health/ready answers 200; fails if the process ends first or takes longer than `withinMs`. */
  async ready(withinMs = 180_000): Promise<void> {
    const deadline = Date.now() + withinMs;
    while (Date.now() < deadline) {
      if (!this.child) throw new Error(`${this.label} exited before it was ready:\n${this.logTail()}`);
      const answer = await fetch(`${this.baseUrl}/health/ready`, { signal: AbortSignal.timeout(2_000) }).then(
        async (response) => ({ ok: response.ok, ...((await response.json().catch(() => ({}))) as { service?: string }) }),
        () => undefined,
      );
      // Another process on this port would pass for this one: the answer names its service.
      if (answer?.service && answer.service !== this.name) throw new Error(`port ${this.port} of ${this.label} is answered by ${answer.service}`);
      if (answer?.ok) return;
      await sleep(200);
    }
    throw new Error(`${this.label} was not ready within ${withinMs / 1000} s:\n${this.logTail()}`);
  }

  /** Sends `signal` and resolves with the exit code; SIGKILL after `graceMs` if it has not ended by then. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 20_000): Promise<number | null> {
    const child = this.child;
    if (!child || !this.exited) return null;
    child.kill(signal);
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await this.exited;
    clearTimeout(killer);
    return code;
  }

  /** Stops it for good: a restart under way does not bring it back. */
  retire(): Promise<number | null> {
    this.retired = true;
    return this.stop('SIGTERM', 10_000);
  }

  /** The last lines the process wrote, for a failure's message. */
  logTail(lines = 40): string {
    try {
      return readFileSync(this.logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no output)';
    }
  }

  get logPath(): string {
    return join(this.logDir, `${this.label}.log`);
  }
}
