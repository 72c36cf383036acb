import { logger } from '../logger.ts';
import type { EventBus } from './bus.ts';
import type { Outbox } from './outbox.ts';

/**
 * Publishes a subgraph's outbox to the bus, oldest first, and marks what the bus took. Nothing
 * spans the publish (in one process, consumers share the database), so a crash between publish
 * and mark publishes those events again: consumers are idempotent.
 */
export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly outbox: Outbox,
    private readonly source: string,
    private readonly bus: EventBus,
    private readonly options: { batchSize: number; idleMs: number } = { batchSize: 200, idleMs: 200 },
  ) {}

  /** Publishes one batch; returns how many events it published. */
  async publishBatch(): Promise<number> {
    const events = await this.outbox.pending(this.options.batchSize);
    if (!events.length) return 0;
    await this.bus.publish(events);
    await this.outbox.published(events);
    return events.length;
  }

  /** Publishes until the outbox is empty (tests, shutdown). */
  async drain(): Promise<void> {
    while ((await this.publishBatch()) > 0);
  }

  backlog(): Promise<number> {
    return this.outbox.backlog();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      let failures = 0;
      while (this.running) {
        try {
          const published = await this.publishBatch();
          failures = 0;
          if (published) continue;
        } catch (error) {
          failures++;
          logger.error({ err: error, source: this.source }, 'publishing the outbox failed; retrying');
        }
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, Math.min(this.options.idleMs * 2 ** failures, 10_000)).unref();
        });
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }
}
