import type { DomainEvent } from './event.ts';

export type EventHandler = (events: readonly DomainEvent[]) => Promise<void>;

/**
 * Carries events from the owners' relays to the consumers. Delivery is at least once: a
 * consumer makes it exactly-once in effect by marking each event in its inbox (`handleOnce`).
 */
export interface EventBus {
  publish(events: readonly DomainEvent[]): Promise<void>;
  /** `consumer` names a durable subscription: every consumer gets every event. */
  subscribe(consumer: string, handler: EventHandler): Promise<Subscription>;
  close(): Promise<void>;
}

export interface Subscription {
  /** Events published but not yet handled by this consumer. */
  lag(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * In one process (`npm start`): publishing hands the events to every consumer and returns
 * once all have handled them, so the relay marks them published only then; a crash before that
 * leaves them in the outbox to be published again after the restart.
 */
export class InProcessBus implements EventBus {
  private readonly handlers = new Map<string, EventHandler>();
  private readonly inFlight = new Map<string, number>();

  async publish(events: readonly DomainEvent[]): Promise<void> {
    for (const [consumer, handler] of this.handlers) {
      this.inFlight.set(consumer, (this.inFlight.get(consumer) ?? 0) + events.length);
      try {
        await handler(events);
      } finally {
        this.inFlight.set(consumer, (this.inFlight.get(consumer) ?? 0) - events.length);
      }
    }
  }

  async subscribe(consumer: string, handler: EventHandler): Promise<Subscription> {
    if (this.handlers.has(consumer)) throw new Error(`A consumer named ${consumer} is already subscribed`);
    this.handlers.set(consumer, handler);
    return {
      lag: async () => this.inFlight.get(consumer) ?? 0,
      stop: async () => {
        this.handlers.delete(consumer);
      },
    };
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
