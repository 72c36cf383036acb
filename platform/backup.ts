import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { claimDataDir, DataDirInUse } from './db/data-dir.ts';
import { EmbeddedPostgres } from './db/pglite.ts';
import { loadRegistry } from './registry.ts';

/**
 * Backup and restore of an embedded store: one PGlite data directory (`npm start`'s
 * DATA_DIR/supergraph, every subgraph's schema in it, or a service's own DATA_DIR/<name>).
 * A backup is PGlite's own dump of the data directory (`dumpDataDir`, a gzipped tar), taken
 * after a checkpoint; a restore loads one through PGlite (`loadDataDir`) into a fresh directory
 * beside the target, checks it opens and holds Looma's schemas, and only then swaps it in.
 * Both need the directory to themselves: PGlite is one process's database, so they refuse while
 * `npm start` (or anything else) holds it.
 */

/** A problem the user can act on; the CLIs print its message alone. */
export class BackupError extends Error {}

export interface SchemaInventory {
  schema: string;
  tables: { name: string; rows: number }[];
}

export interface BackupReport {
  dir: string;
  file: string;
  bytes: number;
  schemas: SchemaInventory[];
  ms: number;
}

export interface RestoreReport extends BackupReport {
  /** The data the restore replaced (with --force), now gone. */
  replaced: boolean;
}

/** The tables of every schema but PostgreSQL's own, with their row counts. */
export async function inventory(pg: Pick<PGlite, 'query'>): Promise<SchemaInventory[]> {
  const { rows } = await pg.query<{ schema: string; name: string }>(
    `select n.nspname as schema, c.relname as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
      order by 1, 2`,
  );
  const schemas = new Map<string, SchemaInventory>();
  for (const { schema, name } of rows) {
    const counted = await pg.query<{ rows: number }>(`select count(*)::int as rows from "${schema}"."${name}"`);
    const entry = schemas.get(schema) ?? { schema, tables: [] };
    entry.tables.push({ name, rows: counted.rows[0]!.rows });
    schemas.set(schema, entry);
  }
  return [...schemas.values()];
}

/** Claims `dir` for `command`, or says who holds it and what to do. */
function claim(dir: string, command: string): () => void {
  try {
    return claimDataDir(dir, command);
  } catch (error) {
    if (!(error instanceof DataDirInUse)) throw error;
    throw new BackupError(
      `${error.message}. PGlite is one process's database: stop it first (Ctrl-C where it runs, or kill ${error.owner.pid}), then run ${command} again. Nothing was changed.`,
    );
  }
}

const isDatabase = (dir: string) => existsSync(join(dir, 'PG_VERSION'));

/** Writes a backup of the PGlite data directory `dir` to `out` (a .tar.gz), which must not exist unless `force`. */
export async function backupDataDir(options: { dir: string; out: string; force?: boolean }): Promise<BackupReport> {
  const { dir, out } = options;
  const started = Date.now();
  if (!isDatabase(dir)) {
    throw new BackupError(
      `No embedded database at ${dir}, so nothing to back up. npm start keeps it in DATA_DIR/supergraph (DATA_DIR defaults to ./data); a service run alone in DATA_DIR/<name>: pass that with --dir.` +
        (process.env.DATABASE_URL ? ' DATABASE_URL is set: that data is in PostgreSQL, backed up with pg_dump (README, Backups).' : ''),
    );
  }
  if (existsSync(out) && !options.force) throw new BackupError(`${out} already exists: choose another --out, or add --force to replace it.`);
  const release = claim(dir, 'npm run backup');
  try {
    const server = await EmbeddedPostgres.open(dir);
    const { schemas, tarball } = await server
      .exclusive(undefined, async (pg) => {
        const schemas = await inventory(pg);
        // Everything in the data files, so that the dump does not depend on replaying the WAL.
        await pg.exec('checkpoint');
        return { schemas, tarball: await pg.dumpDataDir('gzip') };
      })
      .finally(() => server.close());
    const bytes = new Uint8Array(await tarball.arrayBuffer());
    mkdirSync(dirname(out), { recursive: true });
    const partial = `${out}.partial`;
    writeFileSync(partial, bytes);
    renameSync(partial, out);
    return { dir, file: out, bytes: bytes.length, schemas, ms: Date.now() - started };
  } finally {
    release();
  }
}

/**
 * Replaces the PGlite data directory `dir` with the backup `from`. A `dir` that holds anything
 * is replaced only with `force`. Whatever goes wrong before the swap (not a backup, damaged, not
 * Looma's) leaves `dir` as it was. `marker`, when given, is written once the restore is in place
 * (npm start's first-run marker: a restored directory is not a first run to start over).
 */
export async function restoreDataDir(options: { dir: string; from: string; force?: boolean; marker?: string }): Promise<RestoreReport> {
  const { dir, from } = options;
  const started = Date.now();
  const untouched = `${dir} was left as it was.`;
  const release = claim(dir, 'npm run restore');
  try {
    const replaced = existsSync(dir) && readdirSync(dir).length > 0;
    if (replaced && !options.force) {
      throw new BackupError(
        `${dir} already holds data${isDatabase(dir) ? ' (an embedded database)' : ''}. A restore replaces it: back it up first if it matters (npm run backup), then run restore again with --force. Nothing was changed.`,
      );
    }
    const tar = readBackup(from, untouched);
    const staging = `${dir}.restoring`;
    rmSync(staging, { recursive: true, force: true });
    let schemas: SchemaInventory[];
    try {
      schemas = await loadInto(staging, tar, from, untouched);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      throw error;
    }
    const previous = `${dir}.replaced`;
    rmSync(previous, { recursive: true, force: true });
    if (existsSync(dir)) renameSync(dir, previous);
    try {
      renameSync(staging, dir);
    } catch (error) {
      if (existsSync(previous)) renameSync(previous, dir);
      throw error;
    }
    rmSync(previous, { recursive: true, force: true });
    if (options.marker) writeFileSync(options.marker, `${new Date().toISOString()} restored from ${from}\n`);
    return { dir, file: from, bytes: statSync(from).size, schemas, replaced, ms: Date.now() - started };
  } finally {
    release();
  }
}

/** Loads the tar into a new data directory through PGlite and checks that it opens and is Looma's. */
async function loadInto(staging: string, tar: Uint8Array, from: string, untouched: string): Promise<SchemaInventory[]> {
  let pg: PGlite;
  try {
    // The extensions EmbeddedPostgres.open loads, so that the schemas' vector and trigram columns read.
    pg = await PGlite.create({ dataDir: staging, extensions: { pg_trgm, vector }, loadDataDir: new Blob([tar as Uint8Array<ArrayBuffer>], { type: 'application/x-tar' }) });
  } catch (error) {
    throw new BackupError(
      `${from} could not be opened as a database (${(error as Error).message}): it was made by an incompatible PGlite, or its data is damaged. ${untouched}`,
    );
  }
  try {
    const schemas = await inventory(pg);
    // A subgraph's schema is one its migrations ran in (platform/db/migrate.ts records them).
    const subgraphs = new Set(loadRegistry().subgraphs.map((subgraph) => subgraph.name));
    const migrated = ({ schema, tables }: SchemaInventory) => subgraphs.has(schema) && tables.some((table) => table.name === 'schema_migrations');
    if (!schemas.some(migrated)) {
      const found = schemas.map(({ schema }) => schema).join(', ') || 'none';
      throw new BackupError(`${from} is a PostgreSQL data directory, but it holds no Looma subgraph's schema (schemas: ${found}). ${untouched}`);
    }
    return schemas;
  } finally {
    await pg.close();
  }
}

/** The backup's tar, once it is known to be whole and to hold a PostgreSQL data directory. */
function readBackup(from: string, untouched: string): Uint8Array {
  if (!existsSync(from) || !statSync(from).isFile()) throw new BackupError(`No backup file at ${from}. ${untouched}`);
  const notABackup = (why: string) => new BackupError(`${from} is not a Looma backup: ${why}. ${untouched}`);
  let bytes: Uint8Array = readFileSync(from);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw notABackup(`its gzip data is damaged or cut short (${(error as Error).message})`);
    }
  }
  let names: string[];
  try {
    names = tarEntries(bytes);
  } catch (error) {
    throw notABackup(`it is not a tar archive (${(error as Error).message})`);
  }
  const entries = new Set(names.map((name) => name.replace(/^\.?\//, '')));
  if (!entries.has('PG_VERSION') || !entries.has('global/pg_control')) throw notABackup('the archive holds no PostgreSQL data directory (no PG_VERSION, global/pg_control)');
  return bytes;
}

const BLOCK = 512;

/** The entry names of a ustar archive, every header's checksum checked and every entry whole. */
function tarEntries(tar: Uint8Array): string[] {
  const text = (start: number, length: number) => {
    const field = tar.subarray(start, start + length);
    const end = field.indexOf(0);
    return Buffer.from(end < 0 ? field : field.subarray(0, end)).toString('utf8');
  };
  const names: string[] = [];
  let offset = 0;
  for (;;) {
    if (offset + BLOCK > tar.length) throw new Error(names.length ? 'it ends without the end-of-archive marker (cut short?)' : 'no entries');
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
    const checksum = parseInt(text(offset + 148, 8).trim(), 8);
    if (checksum !== sum) throw new Error(`bad header at byte ${offset}`);
    const size = parseInt(text(offset + 124, 12).trim() || '0', 8);
    const prefix = text(offset + 345, 155);
    names.push(prefix ? `${prefix}/${text(offset, 100)}` : text(offset, 100));
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (offset > tar.length) throw new Error(`entry ${names.at(-1)} is cut short`);
  }
  return names;
}

/** What a backup or restore holds, a line per schema, for the CLIs to print. */
export function describeSchemas(schemas: SchemaInventory[]): string {
  const count = (n: number) => n.toLocaleString('en-US');
  return schemas
    .map(({ schema, tables }) => {
      const rows = tables.reduce((sum, table) => sum + table.rows, 0);
      return `  ${schema.padEnd(16)} ${String(tables.length).padStart(3)} tables ${count(rows).padStart(10)} rows`;
    })
    .join('\n');
}

/** `looma-2025-05-01T09-30-00Z.tar.gz`: sorts by time, and no character a file system objects to. */
export function backupFileName(at = new Date()): string {
  return `looma-${at.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-')}.tar.gz`;
}

/** Ends a CLI on a problem: a BackupError's message alone, anything else with its stack. */
export function exitOnError(error: unknown): never {
  console.error(error instanceof BackupError ? error.message : error);
  process.exit(1);
}

const FLAGS = {
  out: { type: 'string' },
  from: { type: 'string' },
  dir: { type: 'string' },
  force: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;
type Flag = Exclude<keyof typeof FLAGS, 'help'>;

/** A CLI's flags (those it `accepts`), or its usage: printed on --help (exit 0), or with what was wrong (exit 2). */
export function parseFlags(usage: string, accepts: Flag[], required: Flag[] = []) {
  const wrong = (problem: string): never => {
    console.error(`${problem}\n${usage}`);
    process.exit(2);
  };
  let values;
  try {
    values = parseArgs({ options: FLAGS, strict: true }).values;
  } catch (error) {
    return wrong((error as Error).message);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const unknown = Object.keys(values).find((flag) => !accepts.includes(flag as Flag));
  if (unknown) wrong(`Unknown option '--${unknown}'`);
  const missing = required.find((flag) => values[flag] === undefined);
  if (missing) wrong(`Missing --${missing}`);
  return values;
}
