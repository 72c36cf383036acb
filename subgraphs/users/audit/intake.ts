import { isRole } from '../../../platform/auth/index.ts';
import { isId } from '../../../platform/validate.ts';
import type { AuditEvent } from './store.ts';

/**
 * Reads the batch the gateway posts to `POST /audit/events` (`{ events: [...] }`, dates as
 * ISO strings). The whole batch is refused when one event is malformed: the gateway built
 * them all the same way, so a bad one means a bug to see, not a row to guess at.
 */

/** The most events one request may carry (the gateway sends at most 500 at a time). */
export const MAX_BATCH = 1_000;

const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,127}$/;
const OUTCOME = /^(ok|[A-Z][A-Z0-9_]{0,63}(,[A-Z][A-Z0-9_]{0,63})*)$/;

export class MalformedAuditBatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedAuditBatch';
  }
}

/** Short text without NUL, as the database stores it. */
function isShortText(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max && !value.includes('\u0000');
}

function orNull<T>(value: unknown, check: (value: unknown) => value is T): T | null | undefined {
  if (value === null || value === undefined) return null;
  return check(value) ? value : undefined;
}

const isName = (value: unknown): value is string => typeof value === 'string' && NAME.test(value);
const isLabel = (value: unknown): value is string => isShortText(value, 128);

function toEvent(raw: unknown, index: number): AuditEvent {
  const fail = (field: string) => new MalformedAuditBatch(`events[${index}].${field} is missing or malformed`);
  if (typeof raw !== 'object' || raw === null) throw new MalformedAuditBatch(`events[${index}] is not an object`);
  const event = raw as Record<string, unknown>;
  if (!isId(event.id)) throw fail('id');
  const at = typeof event.at === 'string' ? new Date(event.at) : undefined;
  if (!at || Number.isNaN(at.getTime())) throw fail('at');
  const actorId = orNull(event.actorId, isLabel);
  if (actorId === undefined) throw fail('actorId');
  const actorRole = orNull(event.actorRole, isRole);
  if (actorRole === undefined) throw fail('actorRole');
  if (!isLabel(event.clientAddress)) throw fail('clientAddress');
  if (!isLabel(event.requestId)) throw fail('requestId');
  if (!isName(event.action)) throw fail('action');
  const operationName = orNull(event.operationName, isName);
  if (operationName === undefined) throw fail('operationName');
  const entityType = orNull(event.entityType, isName);
  if (entityType === undefined) throw fail('entityType');
  const entityId = orNull(event.entityId, isLabel);
  if (entityId === undefined) throw fail('entityId');
  if (typeof event.outcome !== 'string' || event.outcome.length > 500 || !OUTCOME.test(event.outcome)) throw fail('outcome');
  return {
    id: event.id.toLowerCase(),
    at,
    actorId,
    actorRole,
    clientAddress: event.clientAddress,
    requestId: event.requestId,
    action: event.action,
    operationName,
    entityType,
    entityId,
    outcome: event.outcome,
  };
}

/** The events of a request body, or MalformedAuditBatch naming the first thing wrong. */
export function auditBatch(body: unknown): AuditEvent[] {
  const events = (body as { events?: unknown } | undefined)?.events;
  if (!Array.isArray(events)) throw new MalformedAuditBatch('The body must be { "events": [...] }');
  if (events.length > MAX_BATCH) throw new MalformedAuditBatch(`A batch holds at most ${MAX_BATCH} events`);
  return events.map(toEvent);
}
