import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRegistry } from '../../platform/registry.ts';
import { definitions } from '../../subgraphs/index.ts';
import { runScript, runScriptToEnd } from '../support/processes.ts';

/**
 * `npm start`'s ordered start-up as a user sees it: a real process, its log and its stderr.
 * The tests share one data directory, so only the first pays for creating the embedded stores.
 */
describe('npm start: ordered start-up', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'looma-startup-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = (extra: Record<string, string> = {}) => ({ DATA_DIR: dataDir, PORTS: 'ephemeral', DEMO_DATA: 'off', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...extra });

  it('starts each service once the one before it is ready, derived subgraphs after their owners, the gateway last', async () => {
    const running = await runScript('scripts/start.ts', [], env(), /Looma supergraph is up/, 120_000);
    const steps = startupSteps(running.output());
    running.child.kill('SIGTERM');
    await running.exited;

    const services = [...registryOrder(), 'gateway'];
    // Each service listens, then answers /health/ready, before the next one starts listening.
    expect(steps.map(({ service, step }) => `${service} ${step}`)).toEqual(services.flatMap((service) => [`${service} listening`, `${service} ready`]));
    const started = steps.filter((step) => step.step === 'ready').map((step) => step.service);
    for (const definition of definitions) {
      for (const owner of definition.consumer?.owners ?? []) expect(started.indexOf(owner)).toBeLessThan(started.indexOf(definition.name));
    }
    await expectNothingListening(steps);
  }, 180_000);

  it("exits 1 naming the subgraph whose port is taken, and the port, leaving nothing listening", async () => {
    const blocker = await occupyPort();
    try {
      const port = (blocker.address() as { port: number }).port;
      const result = await runScriptToEnd('scripts/start.ts', [], env({ SEARCH_PORT: String(port) }));
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`npm start: the search service failed to start: port ${port} is already in use\n`);
      const steps = startupSteps(result.output);
      // Everything before search was up, and has been stopped again.
      expect(steps.filter((step) => step.step === 'ready').map((step) => step.service)).toEqual(registryOrder().slice(0, registryOrder().indexOf('search')));
      await expectNothingListening(steps);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, 120_000);

  it('exits 1 naming the subgraph whose database is unreachable, and why', async () => {
    const result = await runScriptToEnd('scripts/start.ts', [], env({ SEARCH_DATABASE_URL: 'postgres://127.0.0.1:1/x' }));
    expect(result.code).toBe(1);
    // One plain line, no stack trace: the structured log on stdout keeps the detail.
    expect(result.stderr).toBe('npm start: the search service failed to start: cannot reach its database at 127.0.0.1:1 (ECONNREFUSED)\n');
    expect(result.output).toContain('"msg":"start-up failed"');
    // Databases are opened before anything listens.
    expect(startupSteps(result.output)).toEqual([]);
  }, 120_000);
});

interface StartupStep {
  service: string;
  step: 'listening' | 'ready';
  url?: string;
}

/** The services' "listening" and "<service> ready in N ms" lines from the process's JSON log, in order. */
function startupSteps(output: string): StartupStep[] {
  const steps: StartupStep[] = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { service?: string; msg?: string; url?: string };
    if (!entry.service) continue;
    if (entry.msg === 'listening') steps.push({ service: entry.service, step: 'listening', url: entry.url });
    else if (entry.msg === `${entry.service} ready in ${/\d+/.exec(entry.msg ?? '')?.[0]} ms`) steps.push({ service: entry.service, step: 'ready' });
  }
  return steps;
}

function registryOrder(): string[] {
  return loadRegistry().subgraphs.map((subgraph) => subgraph.name);
}

/** Every port a service listened on refuses connections now. */
async function expectNothingListening(steps: StartupStep[]): Promise<void> {
  const urls = steps.flatMap((step) => (step.url ? [step.url.replace('localhost', '127.0.0.1')] : []));
  expect(urls.length).toBeGreaterThan(0);
  for (const url of urls) await expect(fetch(url)).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
}

/** A port on 127.0.0.1 held by something else, as a stray process would. */
async function occupyPort(): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
