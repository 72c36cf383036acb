import { join } from 'node:path';
import { config, databaseUrlFor } from '../config.ts';
import { claimDataDir } from './data-dir.ts';
import type { Db } from './db.ts';
import { EmbeddedPostgres } from './pglite.ts';
import { logger } from '../logger.ts';
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
    const close = async () => {
      await db.close();
      logger.info({ service: name, backend: 'postgres' }, 'database closed (pool ended)');
    };
    return { db, close };
  }
  if (shared) return { db: await shared.scope(name), close: async () => {} };
  // PGlite is one process's: the directory is claimed until the store closes (see data-dir.ts).
  const dir = join(config.dataDir, name);
  const release = claimDataDir(dir, `scripts/serve.ts ${name}`);
  const own = await EmbeddedPostgres.open(dir).catch((error: unknown) => {
    release();
    throw error;
  });
  const close = async () => {
    await own.close();
    release();
    logger.info({ service: name, backend: 'pglite', dir }, 'database closed (PGlite closed, directory released)');
  };
  return { db: await own.scope(name), close };
}
