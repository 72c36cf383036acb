import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Fetcher, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import type { NextFunction, Request, Response as ExpressResponse } from 'express';
import { GraphQLError } from 'graphql';
import { Counter, Gauge, type Registry } from 'prom-client';
import { ErrorCode } from '../../platform/errors.ts';
import { REFUSED_UNRUN_HEADER } from '../../platform/drain.ts';
import { logger } from '../../platform/logger.ts';
import { CIRCUIT_STATE_VALUE, CircuitBreaker, type CircuitState } from './breaker.ts';
import type { ResilienceOptions } from './config.ts';
import { ReplicaSet, type Replica } from './replicas.ts';
import { SubgraphAnswer } from './answer.ts';
import { EntityBatches } from './entity-batches.ts';
import { keepAliveTransport, type PooledTransport, type SubgraphTransport } from './transport.ts';
import { SharedQueries } from './shared-queries.ts';
import { isQuery } from './operation-kind.ts';

const clientSignals = new AsyncLocalStorage<AbortSignal>();

/**
 * Express middleware: a client that disconnects before its answer is sent aborts the subgraph
 * calls made for it (the signal follows the request by async context into every fetch).
 */
export function cancelOnClientDisconnect(_request: Request, response: ExpressResponse, next: NextFunction): void {
  const controller = new AbortController();
  response.on('close', () => {
    if (!response.writableFinished) controller.abort(new Error('the client disconnected'));
  });
  clientSignals.run(controller.signal, next);
}

/** The current client's signal, and running a shared call under a signal of its own (gateway/resilience/shared-queries.ts). */
const CLIENT_SIGNALS = { current: () => clientSignals.getStore(), runWith: <T>(signal: AbortSignal, work: () => T): T => clientSignals.run(signal, work) };

class Timeout extends Error {}

/** Retry-After in seconds or as an HTTP date, in milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\s*\d+\s*$/.test(header)) return Number(header) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const retryable = (status: number) => status === 429 || status >= 500;

/**
 * Timeouts, retries and a circuit breaker for the gateway's calls to its subgraphs, with their
 * metrics. `fetcherFor(name)` is the data source's fetcher: it sends each call on kept-alive
 * connections (./transport.ts), reads the whole answer within the subgraph's deadline, and either returns it or throws a
 * GraphQLError that names the subgraph and nothing else (no URL, no cause).
 */
export class SubgraphResilience {
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly errors: Counter<'subgraph' | 'reason'>;
  private readonly timeouts: Counter<'subgraph'>;
  private readonly retries: Counter<'subgraph'>;
  private readonly sharedCalls: Counter<'subgraph'>;
  private readonly batchedCalls: Counter<'subgraph'>;
  private readonly circuitState: Gauge<'subgraph'>;
  private readonly replicaSets = new Map<string, ReplicaSet>();
  private readonly ejections: Counter<'subgraph' | 'replica'>;
  private readonly inRotation: Gauge<'subgraph' | 'replica'>;

  private readonly transport: SubgraphTransport;
  /** The kept-alive connections this instance opened itself, closed with it; a transport handed in is the caller's to close. */
  private readonly ownTransport: PooledTransport | undefined;

  constructor(
    private readonly options: ResilienceOptions,
    registry: Registry,
    transport?: SubgraphTransport,
  ) {
    this.ownTransport = transport ? undefined : keepAliveTransport();
    this.transport = transport ?? this.ownTransport!;
    this.errors = new Counter({
      name: 'gateway_subgraph_errors_total',
      help: 'Subgraph calls that failed without a usable answer, by reason: network (no connection or a broken one), status (a 5xx or 429 after retries), circuit_open (refused by the breaker, nothing sent); timeouts are counted apart',
      labelNames: ['subgraph', 'reason'],
      registers: [registry],
    });
    this.timeouts = new Counter({
      name: 'gateway_subgraph_timeouts_total',
      help: 'Subgraph calls aborted at their deadline (GATEWAY_SUBGRAPH_TIMEOUT_MS, GATEWAY_<NAME>_TIMEOUT_MS)',
      labelNames: ['subgraph'],
      registers: [registry],
    });
    this.retries = new Counter({
      name: 'gateway_subgraph_retries_total',
      help: 'Extra attempts of subgraph calls: a query after a 5xx or a 429, or a call moved to another replica after a failure',
      labelNames: ['subgraph'],
      registers: [registry],
    });
    this.circuitState = new Gauge({
      name: 'gateway_subgraph_circuit_state',
      help: "Each subgraph's circuit breaker: 0 closed, 1 half-open, 2 open",
      labelNames: ['subgraph'],
      registers: [registry],
    });
    this.sharedCalls = new Counter({
      name: 'gateway_subgraph_shared_calls_total',
      help: 'Subgraph queries not sent because an identical one for the same caller was already in flight (its answer was shared)',
      labelNames: ['subgraph'],
      registers: [registry],
    });
    this.batchedCalls = new Counter({
      name: 'gateway_subgraph_batched_calls_total',
      help: "Subgraph entity calls not sent because they went in another call of the same client request to the same subgraph (their representations batched together)",
      labelNames: ['subgraph'],
      registers: [registry],
    });
    this.ejections = new Counter({
      name: 'gateway_subgraph_replica_ejections_total',
      help: 'Times a replica of a subgraph with several was taken out of rotation (refused, broke, hung or answered 503)',
      labelNames: ['subgraph', 'replica'],
      registers: [registry],
    });
    this.inRotation = new Gauge({
      name: 'gateway_subgraph_replica_in_rotation',
      help: 'Whether each replica of each subgraph gets calls: 1 in rotation, 0 ejected until its /health/ready answers',
      labelNames: ['subgraph', 'replica'],
      registers: [registry],
    });
  }

  timeoutMsFor(subgraph: string): number {
    return this.options.timeoutMsBySubgraph[subgraph.toLowerCase()] ?? this.options.timeoutMs;
  }

  breakerFor(subgraph: string): CircuitBreaker {
    let breaker = this.breakers.get(subgraph);
    if (!breaker) {
      breaker = new CircuitBreaker({
        failureThreshold: this.options.breakerFailures,
        cooldownMs: this.options.breakerCooldownMs,
        onStateChange: (state: CircuitState) => {
          this.circuitState.set({ subgraph }, CIRCUIT_STATE_VALUE[state]);
          logger.warn({ subgraph, state }, 'subgraph circuit breaker changed state');
        },
      });
      this.breakers.set(subgraph, breaker);
      this.circuitState.set({ subgraph }, CIRCUIT_STATE_VALUE.closed);
    }
    return breaker;
  }

  /** A subgraph's breaker state, for /health/subgraphs (`breakerState` of startGateway). */
  stateOf(subgraph: string): CircuitState | undefined {
    return this.breakers.get(subgraph)?.state;
  }

  /**
   * The fetcher of a subgraph's data source: each call goes to one of `urls` (its replicas),
   * whatever URL the data source names.
   */
  fetcherFor(subgraph: string, urls: string[]): Fetcher {
    this.breakerFor(subgraph); // the gauge shows every subgraph from the start
    const replicas = this.replicasFor(subgraph, urls);
    const send = (init: FetcherRequestInit) => this.call(subgraph, replicas, init);
    const sharing =
      this.options.shareQueries === false
        ? undefined
        : new SharedQueries(
            send,
            isQuery,
            CLIENT_SIGNALS,
            () => subgraphError(subgraph, ErrorCode.SUBGRAPH_UNAVAILABLE, 'The request was cancelled'),
            () => this.sharedCalls.inc({ subgraph }),
          );
    const shared = sharing ? (init: FetcherRequestInit) => sharing.fetch(init) : send;
    if (this.options.batchEntities === false) return (_url, init) => shared(init ?? {});
    // Batched first: a merged call may then be shared like any other.
    const batches = new EntityBatches(shared, CLIENT_SIGNALS.current, (saved) => this.batchedCalls.inc({ subgraph }, saved));
    return (_url, init) => batches.fetch(init ?? {});
  }

  /** Each subgraph's replicas and whether each is in rotation, for /health/subgraphs. */
  replicasOf(subgraph: string): { url: string; inRotation: boolean }[] | undefined {
    return this.replicaSets.get(subgraph)?.replicas.map((replica) => ({ url: replica.url, inRotation: replica.ejectedAt === undefined }));
  }

  /** Stops probing ejected replicas. */
  /** Stops the replicas' probes and closes the kept-alive connections (after the calls in flight are answered). */
  async close(): Promise<void> {
    for (const replicas of this.replicaSets.values()) replicas.close();
    await this.ownTransport?.close();
  }

  /** The same set (and its ejections) while the URLs stay the same across supergraph reloads. */
  private replicasFor(subgraph: string, urls: string[]): ReplicaSet {
    const existing = this.replicaSets.get(subgraph);
    if (existing && existing.urls.join() === urls.join()) return existing;
    existing?.close();
    // Replicas the new list drops leave the gauge, so it shows what the gateway uses.
    for (const gone of existing?.replicas ?? []) if (!urls.includes(gone.url)) this.inRotation.remove({ subgraph, replica: gone.label });
    const replicas = new ReplicaSet(subgraph, urls, this.options.replicaProbeMs, {
      onEject: (replica) => {
        this.ejections.inc({ subgraph, replica: replica.label });
        this.inRotation.set({ subgraph, replica: replica.label }, 0);
      },
      onRestore: (replica) => this.inRotation.set({ subgraph, replica: replica.label }, 1),
    });
    for (const replica of replicas.replicas) this.inRotation.set({ subgraph, replica: replica.label }, 1);
    this.replicaSets.set(subgraph, replicas);
    return replicas;
  }

  private async call(subgraph: string, replicas: ReplicaSet, init: FetcherRequestInit): Promise<FetcherResponse> {
    const breaker = this.breakerFor(subgraph);
    if (!breaker.tryAcquire()) {
      this.errors.inc({ subgraph, reason: 'circuit_open' });
      throw subgraphError(subgraph, ErrorCode.SUBGRAPH_CIRCUIT_OPEN, `The ${subgraph} service is failing; calls to it are paused for a moment`);
    }
    const timeoutMs = this.timeoutMsFor(subgraph);
    const deadline = Date.now() + timeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Timeout()), timeoutMs);
    const client = clientSignals.getStore();
    const onClientGone = () => controller.abort(client?.reason);
    if (client?.aborted) onClientGone();
    client?.addEventListener('abort', onClientGone, { once: true });
    const query = isQuery(init.body);
    const attempts = query ? this.options.retries + 1 : 1;
    const tried = new Set<Replica>();
    /** The replica being fetched from, while it is (a timeout then ejects it; one during a backoff does not). */
    let fetching: Replica | undefined;
    try {
      for (let attempt = 1; ; attempt++) {
        const replica = replicas.pick(tried)!; // the loop only continues when hasCandidate said there is one
        tried.add(replica);
        let response: SubgraphAnswer;
        try {
          fetching = replica;
          // The whole answer is read within the deadline: a subgraph that stalls mid-body is cut off too.
          response = await this.transport(replica.url, { method: init.method, headers: init.headers, body: init.body, signal: controller.signal });
          fetching = undefined;
        } catch (error) {
          if (controller.signal.aborted) throw error;
          replicas.eject(replica);
          // Another replica gets the call when that is safe: any query, and a mutation that never left (connection refused).
          if (replicas.canFailOver(tried) && (query ? attempt < attempts : notSent(error))) {
            logger.warn({ subgraph, replica: replica.label, err: error }, 'subgraph replica failed; trying another');
            this.retries.inc({ subgraph });
            continue;
          }
          throw error;
        }
        if (!retryable(response.status)) {
          replicas.succeeded(replica);
          breaker.recordSuccess();
          return response;
        }
        // 503 is what a replica says while it drains or cannot serve: the others get the calls meanwhile.
        if (response.status === 503) replicas.eject(replica);
        // A replica that says it ran nothing of the call (draining) hands even a mutation on.
        if (!query && response.headers.has(REFUSED_UNRUN_HEADER) && replicas.canFailOver(tried)) {
          this.retries.inc({ subgraph });
          continue;
        }
        const wait = replicas.canFailOver(tried)
          ? 0
          : Math.min(
              retryAfterMs(response.headers.get('retry-after')) ?? this.options.retryBaseMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2),
              this.options.retryMaxDelayMs,
            );
        if (attempt >= attempts || Date.now() + wait >= deadline || !replicas.hasCandidate(tried)) {
          logger.warn({ subgraph, status: response.status, attempts: attempt }, 'subgraph answered with an error status');
          breaker.recordFailure();
          this.errors.inc({ subgraph, reason: 'status' });
          throw subgraphError(subgraph, ErrorCode.SUBGRAPH_UNAVAILABLE, `The ${subgraph} service is unavailable`);
        }
        if (wait > 0) await sleep(wait, undefined, { signal: controller.signal });
        this.retries.inc({ subgraph });
      }
    } catch (error) {
      if (error instanceof GraphQLError) throw error;
      if (controller.signal.reason instanceof Timeout) {
        // A replica that hangs is taken out of rotation like one that refuses.
        if (fetching) replicas.eject(fetching);
        breaker.recordFailure();
        this.timeouts.inc({ subgraph });
        throw subgraphError(subgraph, ErrorCode.SUBGRAPH_TIMEOUT, `The ${subgraph} service did not answer in time`);
      }
      if (controller.signal.aborted) {
        // The client went away: no verdict on the subgraph.
        breaker.release();
        throw subgraphError(subgraph, ErrorCode.SUBGRAPH_UNAVAILABLE, 'The request was cancelled');
      }
      logger.warn({ subgraph, err: error }, 'subgraph call failed');
      breaker.recordFailure();
      this.errors.inc({ subgraph, reason: 'network' });
      throw subgraphError(subgraph, ErrorCode.SUBGRAPH_UNAVAILABLE, `The ${subgraph} service is unavailable`);
    } finally {
      clearTimeout(timer);
      client?.removeEventListener('abort', onClientGone);
    }
  }
}

/** Error codes of a connection that was never made: the request cannot have reached the subgraph. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

interface SocketError {
  code?: unknown;
  errors?: SocketError[];
  cause?: SocketError;
}

/**
 * Whether a failed call certainly sent nothing: undici's error carries the socket's code, or
 * (Happy Eyeballs) several attempts' errors; fetch wraps the same in `cause`.
 */
function notSent(error: unknown): boolean {
  const failure = error as SocketError | null;
  if (!failure) return false;
  if (typeof failure.code === 'string' && NOT_CONNECTED.has(failure.code)) return true;
  if (Array.isArray(failure.errors) && failure.errors.length > 0 && failure.errors.every(notSent)) return true;
  return failure.cause !== undefined && notSent(failure.cause);
}

function subgraphError(subgraph: string, code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, serviceName: subgraph } });
}
