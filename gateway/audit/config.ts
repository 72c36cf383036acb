import type { AuditSinkOptions } from './sink.ts';

function number(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`${name} must be a non-negative number, not ${value}`);
  return parsed;
}

/**
 * The audit sink's options from the environment: AUDIT_QUEUE_CAPACITY (10,000 records),
 * AUDIT_BATCH_SIZE (500), AUDIT_RETRY_BASE_MS (200), AUDIT_RETRY_MAX_MS (30,000),
 * AUDIT_REQUEST_TIMEOUT_MS (5,000), AUDIT_FLUSH_MS (3,000, spent at most on stopping).
 */
export function auditOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): AuditSinkOptions {
  return {
    capacity: number(env, 'AUDIT_QUEUE_CAPACITY', 10_000),
    batchSize: Math.max(1, Math.min(number(env, 'AUDIT_BATCH_SIZE', 500), 1_000)),
    retryBaseMs: number(env, 'AUDIT_RETRY_BASE_MS', 200),
    retryMaxMs: number(env, 'AUDIT_RETRY_MAX_MS', 30_000),
    requestTimeoutMs: number(env, 'AUDIT_REQUEST_TIMEOUT_MS', 5_000),
    flushMs: number(env, 'AUDIT_FLUSH_MS', 3_000),
  };
}
