import type { ApolloServerPlugin } from '@apollo/server';
import { logger } from '../logger.ts';
import type { EventBus } from './bus.ts';
import type { Outbox } from './outbox.ts';

/**
 * Publishes a subgraph's outbox to the bus, oldest first, and marks what the bus took. Nothing
 * spans the publish (in one process, consumers share the database), so a crash between publish
 * and mark publishes those events again: consumers are idempotent.
 *
 * It publishes at once when nudged (the subgraph answered a mutation, whose events are committed
 * by then), and otherwise looks every `idleMs`, for events written outside a mutation (a
 * background job, another replica's leftovers): a short poll of eleven idle subgraphs would keep
 * the one embedded connection busy for nothing.
 */
export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private nudged = false;

  constructor(
    private readonly outbox: Outbox,
    private readonly source: string,
    private readonly bus: EventBus,
    private readonly options: { batchSize: number; idleMs: number } = { batchSize: 200, idleMs: 1_000 },
  ) {}

  /** Publishes what was just committed without waiting for the next poll. */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

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
        // A nudge while the batch is read may come from a commit that read missed: look again.
        this.nudged = false;
        try {
          const published = await this.publishBatch();
          failures = 0;
          if (published || this.nudged) continue;
        } catch (error) {
          failures++;
          logger.error({ err: error, source: this.source }, 'publishing the outbox failed; retrying');
        }
        await new Promise<void>((resolve) => {
          // Woken early (a nudge, stop), the poll's timer goes: nudges come as often as mutations.
          const timer = setTimeout(() => this.wake?.(), Math.min(this.options.idleMs * 2 ** failures, 10_000)).unref();
          this.wake = () => {
            clearTimeout(timer);
            this.wake = undefined;
            resolve();
          };
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

/** Nudges the relay once a mutation has been answered: its events are committed by then. */
export function nudgeAfterMutations(relay: Pick<OutboxRelay, 'nudge'>): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation }) {
          if (operation?.operation === 'mutation') relay.nudge();
        },
      };
    },
  };
}
