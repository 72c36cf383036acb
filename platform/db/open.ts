import { join } from 'node:path';
import { config, databaseUrlFor } from '../config.ts';
import type { Db } from './db.ts';
import { EmbeddedPostgres } from './pglite.ts';
import { openPostgres } from './postgres.ts';

/**
 * The database for one subgraph: real PostgreSQL when `<NAME>_DATABASE_URL` or `DATABASE_URL`
 * is set; otherwise a schema in the shared embedded instance, or, for a subgraph run alone,
 * an embedded instance of its own under `DATA_DIR/<name>`.
 */
export async function openDatabase(
  name: string,
  shared?: EmbeddedPostgres,
): Promise<{ db: Db; close: () => Promise<void> }> {
  const url = databaseUrlFor(name);
  if (url) {
    const db = await openPostgres(url, name);
    return { db, close: () => db.close() };
  }
  if (shared) return { db: await shared.scope(name), close: async () => {} };
  const own = await EmbeddedPostgres.open(join(config.dataDir, name));
  return { db: await own.scope(name), close: () => own.close() };
}
