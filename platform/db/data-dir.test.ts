import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { claimDataDir, dataDirOwner, DataDirInUse } from './data-dir.ts';

describe('the lock on a PGlite data directory', () => {
  const root = mkdtempSync(join(tmpdir(), 'looma-lock-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const lock = (dir: string, pid: number) => writeFileSync(`${dir}.pid`, JSON.stringify({ pid, command: 'npm start', since: '2025-01-01T00:00:00.000Z' }));

  it('is held beside the directory while claimed, and gone once released', () => {
    const dir = join(root, 'claimed');
    const release = claimDataDir(dir, 'npm run backup');
    expect(JSON.parse(readFileSync(`${dir}.pid`, 'utf8'))).toMatchObject({ pid: process.pid, command: 'npm run backup' });
    expect(existsSync(dir)).toBe(false);
    release();
    expect(existsSync(`${dir}.pid`)).toBe(false);
  });

  it('refuses a second claim while a live process holds it, naming that process', () => {
    const dir = join(root, 'held');
    lock(dir, process.ppid);
    expect(dataDirOwner(dir)).toMatchObject({ pid: process.ppid, command: 'npm start' });
    expect(() => claimDataDir(dir, 'npm run restore')).toThrow(DataDirInUse);
    expect(() => claimDataDir(dir, 'npm run restore')).toThrow(`${dir} is in use by npm start (pid ${process.ppid}, since 2025-01-01T00:00:00.000Z)`);
    expect(JSON.parse(readFileSync(`${dir}.pid`, 'utf8')).pid).toBe(process.ppid);
  });

  it('takes over a lock left by a process that died (kill -9), or one cut short', () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const dir = join(root, 'stale');
    lock(dir, dead);
    expect(dataDirOwner(dir)).toBeUndefined();
    claimDataDir(dir, 'npm start')();
    writeFileSync(`${dir}.pid`, '{"pid":');
    claimDataDir(dir, 'npm start')();
    expect(existsSync(`${dir}.pid`)).toBe(false);
  });
});
