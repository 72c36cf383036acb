import { logger } from '../../platform/logger.ts';

/**
 * The replicas of one subgraph (`<NAME>_URL` listing several URLs): calls are balanced round-robin
 * over those in rotation; a replica that fails is ejected from rotation, and returns as soon as its
 * /health/ready answers 200 again (probed every `probeMs` while it is out). When every replica
 * is out, calls still go to the one ejected longest ago: a guess beats certain failure, and the
 * subgraph's circuit breaker is what stops calls to a subgraph that is down as a whole.
 *
 * A subgraph with a single URL never ejects it: there is nothing to fail over to.
 */
export interface Replica {
  url: string;
  /** host:port, the label in metrics and logs. */
  label: string;
  /** When it was taken out of rotation; undefined while in rotation. */
  ejectedAt?: number;
}

export interface ReplicaEvents {
  onEject(replica: Replica): void;
  onRestore(replica: Replica): void;
}

const PROBE_TIMEOUT_MS = 2_000;

/** `<NAME>_URL` may list several URLs, separated by commas (and optional spaces). */
export function replicaUrls(value: string): string[] {
  const urls = value
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);
  for (const url of urls) new URL(url); // an unreadable URL fails at start-up, not at the first call
  return [...new Set(urls)];
}

export class ReplicaSet {
  readonly replicas: Replica[];
  private next = 0;
  private probe?: NodeJS.Timeout;

  constructor(
    readonly subgraph: string,
    urls: string[],
    private readonly probeMs: number,
    private readonly events: ReplicaEvents,
    private readonly fetch: typeof globalThis.fetch = globalThis.fetch,
  ) {
    if (urls.length === 0) throw new Error(`The ${subgraph} subgraph has no URL`);
    this.replicas = urls.map((url) => ({ url, label: new URL(url).host }));
  }

  get urls(): string[] {
    return this.replicas.map((replica) => replica.url);
  }

  /**
   * The replica for the next attempt of a call that already tried `tried`: the next one in
   * rotation that it has not tried; else one in rotation it has tried (a retry after a 5xx on a
   * lone replica); else the untried one ejected longest ago; undefined when none is left.
   */
  pick(tried: ReadonlySet<Replica>): Replica | undefined {
    const inRotation = this.replicas.filter((replica) => replica.ejectedAt === undefined);
    const untried = inRotation.filter((replica) => !tried.has(replica));
    const candidates = untried.length > 0 ? untried : inRotation;
    if (candidates.length > 0) return candidates[this.next++ % candidates.length];
    return this.replicas
      .filter((replica) => !tried.has(replica))
      .sort((a, b) => a.ejectedAt! - b.ejectedAt!)[0];
  }

  /** Whether `pick(tried)` has any replica to give. */
  hasCandidate(tried: ReadonlySet<Replica>): boolean {
    return this.replicas.some((replica) => replica.ejectedAt === undefined || !tried.has(replica));
  }

  /** Whether a call that tried `tried` has another replica in rotation to fail over to. */
  canFailOver(tried: ReadonlySet<Replica>): boolean {
    return this.replicas.some((replica) => replica.ejectedAt === undefined && !tried.has(replica));
  }

  /** Takes a failing replica out of rotation (when there is another one) until its readiness probe passes. */
  eject(replica: Replica): void {
    if (this.replicas.length < 2 || replica.ejectedAt !== undefined) return;
    replica.ejectedAt = Date.now();
    logger.warn({ subgraph: this.subgraph, replica: replica.label }, 'subgraph replica ejected from rotation');
    this.events.onEject(replica);
    this.probe ??= setInterval(() => void this.probeEjected(), this.probeMs).unref();
  }

  /** Back in rotation: its readiness probe passed, or a call to it succeeded. */
  restore(replica: Replica): void {
    if (replica.ejectedAt === undefined) return;
    replica.ejectedAt = undefined;
    logger.info({ subgraph: this.subgraph, replica: replica.label }, 'subgraph replica back in rotation');
    this.events.onRestore(replica);
    if (this.replicas.every((candidate) => candidate.ejectedAt === undefined)) this.stopProbing();
  }

  stopProbing(): void {
    clearInterval(this.probe);
    this.probe = undefined;
  }

  private async probeEjected(): Promise<void> {
    await Promise.all(
      this.replicas
        .filter((replica) => replica.ejectedAt !== undefined)
        .map(async (replica) => {
          try {
            const answer = await this.fetch(new URL('/health/ready', replica.url), { signal: AbortSignal.timeout(Math.min(this.probeMs, PROBE_TIMEOUT_MS)) });
            await answer.body?.cancel();
            if (answer.ok) this.restore(replica);
          } catch {
            // still out
          }
        }),
    );
  }
}
