import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD } from '../../demo/dataset.ts';
import { inventory } from '../../platform/backup.ts';
import { embeddedLayout } from '../../platform/db/data-dir.ts';
import { EmbeddedPostgres } from '../../platform/db/pglite.ts';
import { loadRegistry } from '../../platform/registry.ts';
import { graphql } from '../support/client.ts';
import { eventually } from '../support/eventually.ts';
import { runScript, runScriptToEnd, type RunningProcess } from '../support/processes.ts';

/**
 * `npm run backup` and `npm run restore` as a user runs them, on a data directory `npm start`
 * filled with the demo data and a write of its own: back up, destroy, restore, compare every
 * table of every schema, and serve the restored directory.
 */
// Made when the suite runs, not on import: a run that skips it (-t) must leave nothing behind.
const at = { root: '', dataDir: '', backups: '', database: '', marker: '', backupFile: '' };
const env = () => ({ DATA_DIR: at.dataDir, PORTS: 'ephemeral', LOG_LEVEL: 'warn' });
const started: RunningProcess[] = [];
beforeAll(() => {
  at.root = mkdtempSync(join(tmpdir(), 'looma-backup-'));
  at.dataDir = join(at.root, 'data');
  at.backups = join(at.root, 'backups');
  mkdirSync(at.backups);
  Object.assign(at, embeddedLayout(at.dataDir));
  at.backupFile = join(at.backups, 'looma.tar.gz');
});
afterAll(() => {
  for (const { child } of started) child.kill('SIGKILL');
  if (at.root) rmSync(at.root, { recursive: true, force: true });
});

/** npm start on the test's data directory; a first run on a busy machine may take over a minute. */
async function start() {
  const running = runScript('scripts/start.ts', [], env(), /Gateway \+ Apollo Sandbox\s+(http:\/\/\S+)/, 180_000);
  const { match, ...process } = await running;
  started.push(process);
  return { ...process, url: match[1]! };
}

const backup = (...args: string[]) => runScriptToEnd('scripts/backup.ts', args, env());
const restore = (...args: string[]) => runScriptToEnd('scripts/restore.ts', args, env());

/** Every table of every schema: its row count and a digest of its rows, in a stable order. */
async function fingerprint(dir: string): Promise<Record<string, { rows: number; digest: string }>> {
  const server = await EmbeddedPostgres.open(dir);
  try {
    return await server.exclusive(undefined, async (pg) => {
      const tables: Record<string, { rows: number; digest: string }> = {};
      for (const { schema, tables: names } of await inventory(pg)) {
        for (const { name } of names) {
          const { rows } = await pg.query<{ rows: number; digest: string }>(
            `select count(*)::int as rows, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as digest from "${schema}"."${name}" t`,
          );
          tables[`${schema}.${name}`] = rows[0]!;
        }
      }
      return tables;
    });
  } finally {
    await server.close();
  }
}

/** Every file under `dir` with its content, hashed: any change to the tree changes it. */
function treeDigest(dir: string): string {
  const hash = createHash('sha256');
  const walk = (path: string) => {
    for (const entry of readdirSync(path).sort()) {
      const full = join(path, entry);
      hash.update(full);
      if (statSync(full).isDirectory()) walk(full);
      else hash.update(readFileSync(full));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

describe('npm run backup and npm run restore', () => {
  let companyId = '';

  it('round-trips the embedded stores: every table of every subgraph schema comes back, and the supergraph serves it', async () => {
    const first = await start();
    const login = await graphql<{ login: { token: string } }>(first.url, `mutation { login(email: "${DEMO_ADMIN_EMAIL}", password: "${DEMO_PASSWORD}") { token } }`);
    const token = login.data!.login.token;
    const created = await graphql<{ createCompany: { id: string } }>(first.url, `mutation { createCompany(input: { name: "Kept In The Backup" }) { id } }`, {}, token);
    expect(created.errors).toBeUndefined();
    companyId = created.data!.createCompany.id;
    // The search index (a derived store) has it too before the backup: it must come back as well.
    const searchFor = (url: string) => graphql<{ search: { totalCount: number } }>(url, `{ search(query: "Kept In The Backup", types: [COMPANY]) { totalCount } }`);
    await eventually(() => searchFor(first.url), (found) => found.data!.search.totalCount >= 1, 10_000);

    // PGlite is one process's: neither command touches the directory while npm start holds it.
    const busy = await backup('--out', at.backupFile);
    expect(busy.code).toBe(1);
    expect(busy.output).toContain(`${at.database} is in use by npm start (pid `);
    expect(busy.output).toMatch(/stop it first .* then run npm run backup again\. Nothing was changed\./);
    const busyRestore = await restore('--from', at.backupFile, '--force');
    expect(busyRestore.code).toBe(1);
    expect(busyRestore.output).toContain('is in use by npm start');
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);

    const before = await fingerprint(at.database);
    const made = await backup('--out', at.backupFile);
    expect(made.output).toContain(`Backed up ${at.database}`);
    expect(made.code).toBe(0);
    expect(made.output).toMatch(/companies\s+\d+ tables\s+[\d,]+ rows/);

    rmSync(at.dataDir, { recursive: true });
    const restored = await restore('--from', at.backupFile);
    expect(restored.output).toContain(`Restored ${at.database} from ${at.backupFile}`);
    expect(restored.code).toBe(0);
    expect(readFileSync(at.marker, 'utf8')).toContain(`restored from ${at.backupFile}`);

    const after = await fingerprint(at.database);
    const schemas = new Set(Object.keys(before).map((table) => table.split('.')[0]));
    expect([...schemas].sort()).toEqual(loadRegistry().subgraphs.map((subgraph) => subgraph.name).sort());
    expect(before['companies.companies']!.rows).toBe(34);
    expect(after).toEqual(before);

    const second = await start();
    expect(second.output()).not.toContain('demo dataset loaded');
    const kept = await graphql(second.url, `query($id: ID!) { company(id: $id) { name } }`, { id: companyId });
    expect(kept.data).toEqual({ company: { name: 'Kept In The Backup' } });
    expect((await searchFor(second.url)).data!.search.totalCount).toBeGreaterThanOrEqual(1);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  }, 300_000);

  it('refuses a file that is not a whole backup, and a directory holding data without --force, leaving the data as it was', async () => {
    const untouched = treeDigest(at.dataDir);
    const whole = readFileSync(at.backupFile);
    const files = {
      'text.tar.gz': Buffer.from('not a backup\n'),
      'cut.tar.gz': whole.subarray(0, Math.floor(whole.length / 2)),
      'other.tar.gz': gzipSync(Buffer.alloc(4096, 7)),
    };
    for (const [name, content] of Object.entries(files)) {
      const file = join(at.backups, name);
      writeFileSync(file, content);
      const refused = await restore('--from', file, '--force');
      expect(refused.code, name).toBe(1);
      expect(refused.output, name).toContain(`${file} is not a Looma backup: `);
      expect(refused.output, name).toContain(`${at.database} was left as it was.`);
    }
    expect((await restore('--from', join(at.backups, 'text.tar.gz'), '--force')).output).toContain('it is not a tar archive');
    expect((await restore('--from', join(at.backups, 'cut.tar.gz'), '--force')).output).toContain('its gzip data is damaged or cut short');

    const missing = await restore('--from', join(at.backups, 'missing.tar.gz'), '--force');
    expect(missing.output).toContain(`No backup file at ${join(at.backups, 'missing.tar.gz')}`);
    const unforced = await restore('--from', at.backupFile);
    expect(unforced.code).toBe(1);
    expect(unforced.output).toContain(`${at.database} already holds data (an embedded database). A restore replaces it`);
    expect(unforced.output).toContain('again with --force. Nothing was changed.');
    const existing = await backup('--out', at.backupFile);
    expect(existing.output).toContain(`${at.backupFile} already exists: choose another --out, or add --force`);

    expect(treeDigest(at.dataDir)).toBe(untouched);
  }, 120_000);
});
