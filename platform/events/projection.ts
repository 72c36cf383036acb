import type { Express } from 'express';
import type { Registry } from 'prom-client';
import { ErrorCode } from '../errors.ts';
import type { Db, Queryable } from '../db/db.ts';
import { logger } from '../logger.ts';
import type { EventBus, Subscription } from './bus.ts';
import { admitSnapshot, handleOnce, rebuildLockKey } from './consumer.ts';
import type { DomainEvent } from './event.ts';
import { registerConsumerLag } from './index.ts';
import { readSnapshot, refuseUnlessReplay, serviceCredential } from './snapshot.ts';

/**
 * First builds in one process take turns. All-in-one on the embedded database, every subgraph
 * shares one connection: a first build's transaction would hold it while another consumer's
 * snapshot pages wait, time out, and send that build back to its start.
 */
let firstBuildTurn: Promise<unknown> = Promise.resolve();

function inFirstBuildTurn<T>(work: () => Promise<T>): Promise<T> {
  const result = firstBuildTurn.then(work, work);
  firstBuildTurn = result.catch(() => undefined);
  return result;
}

/** Where a derived subgraph takes `npm run reindex`'s request. */
export const REBUILD_PATH = '/events/rebuild';

/**
 * What a derived subgraph (relationships, search, ai) declares to keep a store built from the
 * owners' domain events. The runtime (Projection) delivers each event once per store, and
 * rebuilds the store from the owners' snapshots when asked or when it was never built.
 */
export interface EventConsumer<Stores> {
  /** The durable subscription (a Redis consumer group) and the inbox's consumer name. */
  name: string;
  /** The subgraphs a rebuild reads snapshots from, in this order. */
  owners: readonly string[];
  /** Applies one event (live or from a snapshot) inside `tx`, the transaction that marks it handled. */
  apply(stores: Stores, event: DomainEvent, tx: Queryable): Promise<void>;
  /** Forgets everything derived from the owners, first thing in a rebuild's transaction. */
  reset(stores: Stores, tx: Queryable): Promise<void>;
  /**
   * Applies a rebuild's snapshot events, after `reset`, in the same transaction. Without it each
   * is applied as a live one; a store that rebuilds better at once (an index swapped in whole)
   * takes them all here.
   */
  restore?(stores: Stores, events: readonly DomainEvent[], tx: Queryable): Promise<void>;
}

export interface RebuildResult {
  events: number;
  tookMs: number;
}

/** Where another subgraph of the supergraph answers (its GraphQL URL). */
export type Locate = (subgraph: string) => string;

/**
 * Runs a consumer: live events and rebuilds take turns (one at a time), so a rebuild sees no
 * event half-applied and events arriving during a rebuild wait and apply after it.
 */
export class Projection<Stores> {
  private turn: Promise<unknown> = Promise.resolve();
  private subscription: Subscription | undefined;
  private stopped = false;
  private bootstrap: Promise<void> | undefined;
  private readonly owners: ReadonlySet<string>;

  constructor(
    private readonly consumer: EventConsumer<Stores>,
    private readonly db: Db,
    private readonly stores: Stores,
    private readonly locate: Locate,
  ) {
    this.owners = new Set(consumer.owners);
  }

  async subscribe(bus: EventBus, registry: Registry): Promise<void> {
    this.subscription = await bus.subscribe(this.consumer.name, (events) => this.handle(events));
    registerConsumerLag(registry, this.consumer.name, this.subscription);
  }

  /**
   * Applies live events, each once (the inbox), each in its own transaction. Only the owners'
   * events: the store is what their snapshots rebuild, so another subgraph's event can change
   * nothing in it, and skipping it spares a transaction (on the bus every consumer sees every event).
   */
  handle(events: readonly DomainEvent[]): Promise<void> {
    const owned = events.filter((event) => this.owners.has(event.source));
    if (!owned.length) return Promise.resolve();
    return this.exclusive(async () => {
      for (const event of owned) {
        await handleOnce(this.db.background, this.consumer.name, event, (tx) => this.consumer.apply(this.stores, event, tx));
      }
    });
  }

  /**
   * Rebuilds the store from every owner's snapshot. The snapshots are read first, then applied
   * in one transaction, so on PostgreSQL readers see the old store until the new one commits.
   * The consumer's rebuild lock is held throughout: live events, in any replica, wait, so none
   * lands between the snapshot read and the commit to be wiped by the reset; each applies
   * afterwards if it is newer than the snapshot.
   */
  rebuild(): Promise<RebuildResult> {
    return this.exclusive(() => this.db.withLock(rebuildLockKey(this.consumer.name), () => this.rebuildLocked()));
  }

  private async rebuildLocked(): Promise<RebuildResult> {
    const started = Date.now();
    const credential = () => serviceCredential(this.consumer.name);
    const snapshot: DomainEvent[] = [];
    for (const owner of this.consumer.owners) {
      for await (const page of readSnapshot(this.locate(owner), credential)) snapshot.push(...page);
    }
    // A store outside PostgreSQL (Neo4j) keeps what a failed rebuild wrote: until this one
    // commits, the store counts as never built, so the next start builds it again.
    await this.db.background.query('delete from rebuilds where consumer = $1', [this.consumer.name]);
    const events = await this.db.background.transaction(async (tx) => {
      const events = await admitSnapshot(tx, this.consumer.name, snapshot);
      await this.consumer.reset(this.stores, tx);
      if (this.consumer.restore) await this.consumer.restore(this.stores, events, tx);
      else for (const event of events) await this.consumer.apply(this.stores, event, tx);
      await tx.query(
        `insert into rebuilds (consumer, rebuilt_at, events) values ($1, now(), $2)
         on conflict (consumer) do update set rebuilt_at = excluded.rebuilt_at, events = excluded.events`,
        [this.consumer.name, events.length],
      );
      return events;
    });
    const result = { events: events.length, tookMs: Date.now() - started };
    logger.info({ consumer: this.consumer.name, ...result }, 'rebuilt from the owners');
    return result;
  }

  /**
   * Builds a store that was never built, in the background: the owners may still be starting
   * (separate processes), so it retries until they answer or the projection stops.
   */
  startBootstrap(retryMs = 2_000): void {
    this.bootstrap = (async () => {
      const [built] = await this.db.background.query('select 1 from rebuilds where consumer = $1', [this.consumer.name]);
      if (built) return;
      while (!this.stopped) {
        try {
          // The turn is taken per try, not held across the pause: an owner still starting (another
          // process) must not keep the other consumers from building. Stopped while it waited for
          // its turn, it builds nothing.
          await inFirstBuildTurn(async () => void (this.stopped || (await this.rebuild())));
          return;
        } catch (error) {
          if (this.stopped) return;
          logger.warn({ err: error, consumer: this.consumer.name }, 'first build from the owners failed; retrying');
          await new Promise((resolve) => setTimeout(resolve, retryMs).unref());
        }
      }
    })().catch((error: unknown) => logger.error({ err: error, consumer: this.consumer.name }, 'first build failed'));
  }

  /** Resolves once a first build started by startBootstrap has finished (tests, scripts). */
  async built(): Promise<void> {
    await this.bootstrap;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.stop();
    await this.turn.catch(() => undefined);
  }

  /** `POST /events/rebuild` (events:replay): rebuilds now and answers `{ events, tookMs }` once done. */
  route(app: Express): void {
    app.post(REBUILD_PATH, async (request, response) => {
      if (await refuseUnlessReplay(request.headers.authorization, response)) return;
      try {
        response.json(await this.rebuild());
      } catch (error) {
        logger.error({ err: error, consumer: this.consumer.name }, 'rebuild failed');
        // The owners' URLs are the operator's own; the message says which one failed.
        response.status(502).json({ errors: [{ message: (error as Error).message, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }] });
      }
    });
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.turn.then(work, work);
    this.turn = result.catch(() => undefined);
    return result;
  }
}
