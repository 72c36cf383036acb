import type { Role } from './auth/index.ts';

/**
 * What the gateway records of one root mutation field: who, what, which entity, when, from
 * where, under which request id, and how it ended. It never holds an argument's value (passwords,
 * tokens, personal data); `entityId` is the one ID kept. The users subgraph stores it as sent
 * (`POST /audit/events`: subgraphs/users/audit/intake.ts); the shape both sides of that route share.
 */
export interface AuditRecord {
  /** Made here, so a batch sent twice (an answer lost on the way back) is stored once. */
  id: string;
  /** When the request started, ISO-8601. */
  at: string;
  actorId: string | null;
  actorRole: Role | null;
  clientAddress: string;
  requestId: string;
  action: string;
  operationName: string | null;
  entityType: string | null;
  entityId: string | null;
  /** `ok`, or the error codes on the field (and the request's own), comma-separated. */
  outcome: string;
}
