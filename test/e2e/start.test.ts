import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD } from '../../demo/dataset.ts';
import { graphql } from '../support/client.ts';
import { runScript } from '../support/processes.ts';

/**
 * `npm start` as a user runs it: a real process on a fresh data directory. Ports are ephemeral
 * so the test never collides with a supergraph a developer has running.
 */
async function start(dataDir: string) {
  const running = await runScript('scripts/start.ts', [], { DATA_DIR: dataDir, PORTS: 'ephemeral', LOG_LEVEL: 'warn' }, /Gateway \+ Apollo Sandbox\s+(http:\/\/\S+)/);
  return { ...running, url: running.match[1]! };
}

describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'looma-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('loads the demo data on first run, keeps writes across a kill, and stops cleanly on Ctrl-C', async () => {
    const first = await start(dataDir);
    expect(first.output()).toContain('demo dataset loaded');
    const counts = `{ talents(first: 1) { totalCount } companies(first: 1) { totalCount } jobs(first: 1) { totalCount } skills(first: 1) { totalCount } }`;
    const login = await graphql<{ login: { token: string } }>(first.url, `mutation { login(email: "${DEMO_ADMIN_EMAIL}", password: "${DEMO_PASSWORD}") { token } }`);
    const token = login.data!.login.token;
    const demo = await graphql<Record<string, { totalCount: number }>>(first.url, counts, {}, token);
    expect(demo.data).toMatchObject({
      talents: { totalCount: expect.any(Number) },
      companies: { totalCount: 33 },
      jobs: { totalCount: 109 },
    });
    expect(demo.data!.talents!.totalCount).toBeGreaterThanOrEqual(200);
    expect(demo.data!.skills!.totalCount).toBeGreaterThanOrEqual(150);

    const created = await graphql<{ createCompany: { id: string } }>(first.url, `mutation { createCompany(input: { name: "Kept Across Restarts" }) { id } }`, {}, token);
    expect(created.errors).toBeUndefined();

    first.child.kill('SIGKILL');
    await first.exited;

    const second = await start(dataDir);
    expect(second.output()).not.toContain('demo dataset loaded');
    const kept = await graphql(second.url, `query($id: ID!) { company(id: $id) { name } }`, { id: created.data!.createCompany.id });
    expect(kept.data).toEqual({ company: { name: 'Kept Across Restarts' } });
    // The token outlives the restart: it is signed, not stored.
    const again = await graphql<Record<string, { totalCount: number }>>(second.url, counts, {}, token);
    expect(again.data!.companies!.totalCount).toBe(34);
    expect(again.data!.talents!.totalCount).toBe(demo.data!.talents!.totalCount);

    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  }, 180_000);
});
