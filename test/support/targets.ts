/**
 * The backends contract suites run on (test/support/contract.ts). Each support module makes its
 * own: PGLITE_TARGET and postgresTarget() in databases.ts, redisTarget() in redis.ts,
 * neo4jTarget() in neo4j.ts, elasticsearchTarget() in elasticsearch.ts, mongodbTarget() in
 * mongodb.ts, weaviateTarget() in weaviate.ts.
 */

/** A backend a suite runs on. */
export interface Target {
  /** Its name: the column of the integration table ('PGlite', 'PostgreSQL', 'Redis', 'Neo4j', …). */
  backend: string;
  /** How the suite's title names it, e.g. 'PostgreSQL at postgres://…'; `backend` when absent. */
  label?: string;
  /** Why the suite cannot run on it here, e.g. 'UNREACHABLE (connect ECONNREFUSED …)'; null or absent when it can. */
  unreachable?: string | null;
}

/** The stores kept in the process's memory (the login limiter's, the in-process event bus). */
export const IN_MEMORY_TARGET: Target = { backend: 'in memory', label: 'in-process memory' };

/** 'UNREACHABLE (<what went wrong>)', from the error a probe of a backend failed with. */
export function unreachableReason(error: unknown): string {
  const failure = error instanceof AggregateError && !error.message && error.errors.length ? error.errors[0] : error;
  const message = failure instanceof Error ? failure.message || (failure as NodeJS.ErrnoException).code || failure.name : String(failure);
  // Neo4j's driver ends a long explanation with the socket's error.
  const cause = message.includes('Caused by: ') ? message.slice(message.lastIndexOf('Caused by: ') + 'Caused by: '.length) : message;
  const line = cause.split('\n')[0]!.trim() || 'no answer';
  return `UNREACHABLE (${line.length > 100 ? `${line.slice(0, 99)}…` : line})`;
}
