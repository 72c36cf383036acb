import { Counter, type Registry } from 'prom-client';
import { logger } from '../../platform/logger.ts';
import type { AuditRecord } from './record.ts';

/** How the gateway holds and sends audit records (README "Security"; AUDIT_* in the environment). */
export interface AuditSinkOptions {
  /** Records held while the users subgraph cannot take them; past this, new ones are dropped. */
  capacity: number;
  /** Records sent in one request. */
  batchSize: number;
  /** The first retry waits about this long, each next one twice as long, up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long one delivery may take before it counts as failed. */
  requestTimeoutMs: number;
  /** How long stopping may spend sending what is held. */
  flushMs: number;
}

/**
 * Why a delivery failed: `unreachable` (nothing listens: refused), `transient` (a timeout, a 5xx,
 * a 401 while secrets roll) is retried; `rejected` (the batch itself is malformed) never will
 * succeed, so it is dropped at once.
 */
export class AuditDeliveryError extends Error {
  constructor(
    message: string,
    readonly kind: 'unreachable' | 'transient' | 'rejected',
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'AuditDeliveryError';
  }
}

/** Sends one batch; resolves once it is stored. */
export type DeliverAudit = (records: readonly AuditRecord[], signal: AbortSignal) => Promise<void>;

/**
 * A bounded queue between the gateway's responses and the users subgraph's audit log: records
 * are taken at once (never delaying a response), sent in batches just after, and retried with
 * backoff while the users subgraph is unreachable. A record dropped (queue full, batch refused,
 * or still held when stopping ends) is logged in full at error level, so the log keeps it, and
 * counted in `gateway_audit_events_total{outcome="dropped"}`.
 */
export class AuditSink {
  private readonly queue: AuditRecord[] = [];
  private readonly events: Counter<'outcome'>;
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | undefined;
  private failures = 0;
  private closing: Promise<void> | undefined;
  /** Aborts the delivery in flight when stopping runs out of time. */
  private readonly stopped = new AbortController();

  constructor(
    private readonly deliver: DeliverAudit,
    registry: Registry,
    private readonly options: AuditSinkOptions,
  ) {
    this.events = new Counter({
      name: 'gateway_audit_events_total',
      help: 'Audit records the gateway sent to the users subgraph (sent), sent again after a failed attempt (retried), or gave up on (dropped)',
      labelNames: ['outcome'],
      registers: [registry],
    });
    for (const outcome of ['sent', 'retried', 'dropped']) this.events.inc({ outcome }, 0);
  }

  /** Records held, not yet stored. */
  get pending(): number {
    return this.queue.length;
  }

  record(record: AuditRecord): void {
    if (this.closing) return this.drop([record], 'the gateway is stopping');
    if (this.queue.length >= this.options.capacity) return this.drop([record], `the audit queue is full (${this.options.capacity} records)`);
    this.queue.push(record);
    this.schedule(0);
  }

  /**
   * Sends what is held, retrying until the queue is empty or `flushMs` has passed, and gives
   * up at once when nothing listens at the users subgraph's address (it has stopped first).
   * What is left is dropped. Later records are dropped too.
   */
  close(): Promise<void> {
    this.closing ??= this.flush();
    return this.closing;
  }

  private async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const deadline = Date.now() + this.options.flushMs;
    const outOfTime = setTimeout(() => this.stopped.abort(new Error('stopping took too long')), this.options.flushMs);
    try {
      await this.sending;
      while (this.queue.length > 0 && Date.now() < deadline) {
        const failure = await this.sendBatch();
        if (!failure) continue;
        if (failure.kind === 'unreachable') break;
        await new Promise((resolve) => setTimeout(resolve, Math.min(this.backoff(), Math.max(0, deadline - Date.now()))));
      }
    } finally {
      clearTimeout(outOfTime);
      this.drop(this.queue.splice(0), 'it was not stored before the gateway stopped');
    }
  }

  private schedule(delayMs: number): void {
    if (this.timer || this.sending || this.closing) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sending = this.pump().then((retryInMs) => {
        this.sending = undefined;
        // Records may have come while the last batch was on its way.
        if (this.queue.length > 0) this.schedule(retryInMs ?? 0);
      });
    }, delayMs);
    // A pending retry does not keep the process alive; stopping flushes instead.
    this.timer.unref();
  }

  /** Sends batches until the queue is empty; after a failure, returns how long to wait before trying again. */
  private async pump(): Promise<number | undefined> {
    while (this.queue.length > 0 && !this.closing) {
      const failure = await this.sendBatch();
      if (failure) {
        const retryInMs = this.backoff();
        logger.warn({ err: failure, pending: this.queue.length, retryInMs }, 'audit records not delivered to the users subgraph; retrying');
        return retryInMs;
      }
    }
    return undefined;
  }

  /** Sends the oldest batch; returns why it failed, or nothing once it is stored (or dropped as malformed). */
  private async sendBatch(): Promise<AuditDeliveryError | undefined> {
    const batch = this.queue.slice(0, this.options.batchSize);
    try {
      await this.deliver(batch, AbortSignal.any([AbortSignal.timeout(this.options.requestTimeoutMs), this.stopped.signal]));
      this.queue.splice(0, batch.length);
      this.events.inc({ outcome: 'sent' }, batch.length);
      this.failures = 0;
      return undefined;
    } catch (error) {
      const failure = error instanceof AuditDeliveryError ? error : new AuditDeliveryError(String(error), 'transient', { cause: error });
      if (failure.kind === 'rejected') {
        this.queue.splice(0, batch.length);
        this.drop(batch, failure.message);
        return undefined;
      }
      this.failures++;
      this.events.inc({ outcome: 'retried' }, batch.length);
      return failure;
    }
  }

  /** The wait before the next attempt: doubling from retryBaseMs, with jitter, capped at retryMaxMs. */
  private backoff(): number {
    const doubled = this.options.retryBaseMs * 2 ** Math.min(this.failures - 1, 20);
    return Math.min(this.options.retryMaxMs, doubled) * (0.75 + Math.random() * 0.25);
  }

  private drop(records: readonly AuditRecord[], reason: string): void {
    if (records.length === 0) return;
    this.events.inc({ outcome: 'dropped' }, records.length);
    for (const record of records) logger.error({ auditEvent: record, reason }, 'audit record dropped');
  }
}
