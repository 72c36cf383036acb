import type { EventBus, Subscription } from '../../platform/events/index.ts';
import { logger } from '../../platform/logger.ts';
import type { ResponseStore } from './store.ts';

/** The consumer group of the gateways' response cache: one per deployment, whatever the replicas. */
export const RESPONSE_CACHE_CONSUMER = 'gateway:response-cache';

/**
 * Starts a new generation of the store on every batch of domain events, whatever they are about:
 * coarse (any change drops every answer) and so never wrong about which answers a change touched.
 *
 * Replicas share the consumer group: one replica handles each event, and its bump is seen by all
 * through the shared generation (Redis). Own groups would bump once per replica, and each replica
 * gone would leave a group whose backlog grows forever.
 *
 * The derived subgraphs (search, relationships, ai) apply the same events in their own groups,
 * perhaps after this one: an answer filled in between would read their old index in the new
 * generation. `followUpMs` after the last batch, a second bump drops those. In one process
 * (the in-process bus) the gateway subscribes after every subgraph and the bus hands each event
 * to its consumers in turn, so the indexes are up to date when this runs and no follow-up is needed.
 */
export async function invalidateOnEvents(bus: EventBus, store: ResponseStore, options: { followUpMs: number; consumer?: string }): Promise<Subscription> {
  let followUp: NodeJS.Timeout | undefined;
  const bumpLater = () => {
    clearTimeout(followUp);
    followUp = setTimeout(() => {
      store.bump().catch((error: unknown) => logger.warn({ err: error }, 'response cache: the follow-up bump failed; answers may be stale until they expire'));
    }, options.followUpMs);
    followUp.unref();
  };
  // A failed bump fails the batch: the bus delivers it again.
  const subscription = await bus.subscribe(options.consumer ?? RESPONSE_CACHE_CONSUMER, async (events) => {
    if (!events.length) return;
    await store.bump();
    if (options.followUpMs > 0) bumpLater();
  });
  return {
    lag: () => subscription.lag(),
    stop: async () => {
      clearTimeout(followUp);
      await subscription.stop();
    },
  };
}
