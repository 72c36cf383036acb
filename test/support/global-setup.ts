import { POSTGRES_URL, isPostgresReachable } from './databases.ts';

/** Says once, by name, which store backends the contract suites run against in this run. */
export default async function announceBackends(): Promise<void> {
  const reachable = await isPostgresReachable();
  const where = POSTGRES_URL.replace(/:[^:@/]+@/, ':***@');
  console.log(
    reachable
      ? `Store backends: PGlite (embedded) and PostgreSQL at ${where}`
      : `Store backends: PGlite (embedded) only — PostgreSQL at ${where} is UNREACHABLE, its suites are skipped`,
  );
}
