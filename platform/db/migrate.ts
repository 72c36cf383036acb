import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from './db.ts';

const FILE = /^(\d{3,})_[\w-]+\.sql$/;

/**
 * Applies `migrations/NNN_<what>.sql` in order, each in its own transaction, recording the
 * applied versions in the subgraph's own schema. An advisory lock keeps two replicas
 * starting together from applying the same file twice.
 */
export async function migrate(db: Db, directory: string, table = 'schema_migrations'): Promise<number[]> {
  const files = readdirSync(directory)
    .filter((file) => FILE.test(file))
    .sort();
  await db.exec(`create table if not exists ${table} (
    version integer primary key,
    name text not null,
    applied_at timestamptz not null default now()
  )`);
  // One read finds what is already applied, so a restart opens no transaction per file; a file
  // still to apply is checked again under the lock, as another replica may be applying it.
  const before = new Set((await db.query<{ version: number }>(`select version from ${table}`)).map((row) => row.version));
  const applied: number[] = [];
  for (const file of files) {
    const version = Number(FILE.exec(file)![1]);
    if (before.has(version)) continue;
    const sql = readFileSync(join(directory, file), 'utf8');
    const done = await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`${db.schema}.${table}`]);
      const existing = await tx.query(`select 1 from ${table} where version = $1`, [version]);
      if (existing.length > 0) return false;
      await tx.exec(sql);
      await tx.query(`insert into ${table} (version, name) values ($1, $2)`, [version, file]);
      return true;
    });
    if (done) applied.push(version);
  }
  return applied;
}
