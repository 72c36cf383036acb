import type { AuditRecord } from '../../../platform/audit-record.ts';
import type { Page } from '../../../platform/pagination.ts';

/** One root mutation field the gateway served, as it sent it (platform/audit-record.ts), its time read. */
export type AuditEvent = Omit<AuditRecord, 'at'> & { at: Date };

export interface AuditEventFilter {
  actorId?: string | null;
  action?: string | null;
  entityType?: string | null;
  entityId?: string | null;
  /** `ok`, or one error code: matches events whose outcome lists it. */
  outcome?: string | null;
  requestId?: string | null;
  /** Events at or after this time. */
  from?: Date | null;
  /** Events before this time. */
  to?: Date | null;
}

/** The append-only audit log: rows are added and read, never changed (the table refuses it). */
export interface AuditLog {
  /** Stores the events whose id is new and returns how many were; the others are already there. */
  append(events: readonly AuditEvent[]): Promise<number>;
  /** Newest first. */
  list(filter: AuditEventFilter, page: Page): Promise<{ rows: AuditEvent[]; totalCount: number }>;
}
