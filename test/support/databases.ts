import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Db } from '../../platform/db/db.ts';
import { EmbeddedPostgres } from '../../platform/db/pglite.ts';
import { openPostgres } from '../../platform/db/postgres.ts';
import { unreachableReason, type Target } from './targets.ts';

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

let postgresUnreachable: Promise<string | null> | undefined;
/** Why the PostgreSQL at POSTGRES_URL cannot be used ('UNREACHABLE (…)'), or null when it answers. */
export function postgresUnreachableReason(): Promise<string | null> {
  postgresUnreachable ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('select 1');
      return null;
    } catch (error) {
      return unreachableReason(error);
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return postgresUnreachable;
}

export async function isPostgresReachable(): Promise<boolean> {
  return (await postgresUnreachableReason()) === null;
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

/** The contract suites' targets for the embedded PostgreSQL and the real one (see test/support/contract.ts). */
export const PGLITE_TARGET: Target = { backend: 'PGlite', label: 'PGlite (embedded)' };
export async function postgresTarget(): Promise<Target> {
  return { backend: 'PostgreSQL', label: `PostgreSQL at ${redact(POSTGRES_URL)}`, unreachable: await postgresUnreachableReason() };
}

/**
 * The backends a store suite runs on here, PGlite and PostgreSQL: each with its target for
 * `contractSuite` (which names it, and says why it is skipped when it is), its label, and whether
 * it is reachable.
 */
export async function backends(): Promise<{ backend: Backend; target: Target; label: string; reachable: boolean }[]> {
  const postgres = await postgresTarget();
  return [
    { backend: 'pglite', target: PGLITE_TARGET, label: PGLITE_TARGET.label!, reachable: true },
    { backend: 'postgres', target: postgres, label: postgres.label!, reachable: !postgres.unreachable },
  ];
}

function redact(url: string): string {
  const parsed = new URL(url);
  parsed.password = parsed.password ? '***' : '';
  return parsed.toString();
}
