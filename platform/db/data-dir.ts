import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Where `npm start` keeps its embedded stores under DATA_DIR: one PGlite data directory for
 * every subgraph (each in its own schema), and the marker of a first run that finished (without
 * it, `npm start` wipes the directory and starts over).
 */
export function embeddedLayout(dataDir: string): { database: string; marker: string } {
  return { database: join(dataDir, 'supergraph'), marker: join(dataDir, '.initialised') };
}

/** The process holding a PGlite data directory, as its lock file names it. */
export interface DataDirOwner {
  pid: number;
  /** What it is: `npm start`, `scripts/serve.ts users`, `npm run backup`, … */
  command: string;
  since: string;
}

/** A live process holds the data directory: PGlite is one process's database, a second one would corrupt it. */
export class DataDirInUse extends Error {
  constructor(
    readonly dir: string,
    readonly owner: DataDirOwner,
  ) {
    super(`${dir} is in use by ${owner.command} (pid ${owner.pid}, since ${owner.since})`);
  }
}

/** The lock sits beside the data directory, not in it, so that a backup of the directory never carries it. */
const lockFile = (dir: string) => `${dir}.pid`;

function readLock(dir: string): string | undefined {
  try {
    return readFileSync(lockFile(dir), 'utf8');
  } catch {
    return undefined;
  }
}

/** The owner a lock's text names; a lock cut short by a crash names no one. */
function parseOwner(text: string | undefined): DataDirOwner | undefined {
  try {
    const owner = JSON.parse(text ?? '') as Partial<DataDirOwner>;
    return typeof owner.pid === 'number' ? { pid: owner.pid, command: String(owner.command), since: String(owner.since) } : undefined;
  } catch {
    return undefined;
  }
}

const liveOwner = (owner: DataDirOwner | undefined) => (owner && owner.pid !== process.pid && isAlive(owner.pid) ? owner : undefined);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The live process holding `dir`, if any. A lock left by a process that died (`kill -9`), or by
 * an earlier life of this very process id (a container's pid 1 restarted), holds nothing.
 */
export function dataDirOwner(dir: string): DataDirOwner | undefined {
  return liveOwner(parseOwner(readLock(dir)));
}

/**
 * Claims `dir` for this process until the returned function is called or the process exits;
 * throws DataDirInUse when a live process holds it. `npm start`, a service run alone on its own
 * PGlite, `npm run backup` and `npm run restore` each claim the directory they open.
 */
export function claimDataDir(dir: string, command: string): () => void {
  const file = lockFile(dir);
  mkdirSync(dirname(file), { recursive: true });
  const owner: DataDirOwner = { pid: process.pid, command, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, `${JSON.stringify(owner)}\n`, { flag: 'wx' });
      const release = () => {
        process.off('exit', release);
        if (parseOwner(readLock(dir))?.pid === process.pid) rmSync(file, { force: true });
      };
      process.once('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const stale = readLock(dir);
    const holder = liveOwner(parseOwner(stale));
    if (holder) throw new DataDirInUse(dir, holder);
    // Only the stale lock just read: another process may have replaced it with a live one since.
    if (readLock(dir) === stale) rmSync(file, { force: true });
  }
  throw new Error(`Could not claim ${dir}: its lock file ${file} keeps coming back`);
}
