import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Db } from '../../platform/db/db.ts';
import { EmbeddedPostgres } from '../../platform/db/pglite.ts';
import { openPostgres } from '../../platform/db/postgres.ts';

/**
 * Test databases. Each test worker shares one in-memory PGlite (opening one costs seconds and
 * ~800 MB) and each suite gets fresh schemas in it. The real PostgreSQL backend is used when
 * it answers at TEST_DATABASE_URL.
 */
export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let embedded: Promise<EmbeddedPostgres> | undefined;
export function sharedEmbedded(): Promise<EmbeddedPostgres> {
  embedded ??= EmbeddedPostgres.open();
  return embedded;
}

let postgresReachable: Promise<boolean> | undefined;
export function isPostgresReachable(): Promise<boolean> {
  postgresReachable ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return postgresReachable;
}

export type Backend = 'pglite' | 'postgres';

/** A fresh schema named after `prefix` on the chosen backend; `drop` removes it. */
export async function freshDb(backend: Backend, prefix: string): Promise<{ db: Db; drop: () => Promise<void> }> {
  const schema = `t_${prefix}_${randomBytes(4).toString('hex')}`;
  if (backend === 'pglite') {
    const server = await sharedEmbedded();
    return { db: await server.scope(schema), drop: () => server.dropSchema(schema) };
  }
  const db = await openPostgres(POSTGRES_URL, schema);
  return {
    db,
    drop: async () => {
      await db.exec(`drop schema if exists "${schema}" cascade`);
      await db.close();
    },
  };
}

/** The backends a contract suite runs on here, each named with whether it is reachable. */
export async function backends(): Promise<{ backend: Backend; label: string; reachable: boolean }[]> {
  const reachable = await isPostgresReachable();
  return [
    { backend: 'pglite', label: 'PGlite (embedded)', reachable: true },
    {
      backend: 'postgres',
      label: reachable ? `PostgreSQL at ${redact(POSTGRES_URL)}` : `PostgreSQL at ${redact(POSTGRES_URL)} — UNREACHABLE, skipped`,
      reachable,
    },
  ];
}

function redact(url: string): string {
  const parsed = new URL(url);
  parsed.password = parsed.password ? '***' : '';
  return parsed.toString();
}
