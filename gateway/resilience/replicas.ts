import { logger } from '../../platform/logger.ts';

/**
 * The replicas of one subgraph (`<NAME>_URL` listing several URLs): calls are balanced round-robin
 * over those in rotation; a replica that fails is ejected from rotation, and returns as soon as its
 * /health/ready answers 200 again (probed every `probeMs` while it is out). When every replica
 * is out, calls still go round them all: a guess beats certain failure, and the subgraph's circuit
 * breaker is what stops calls to a subgraph that is down as a whole. A replica that passes its
 * probe but fails again (ready, yet its GraphQL hangs) stays out twice as long each time, until
 * a call succeeds on it.
 *
 * A subgraph with a single URL never ejects it: there is nothing to fail over to.
 */
export interface Replica {
  url: string;
  /** host:port, the label in metrics and logs. */
  label: string;
  /** When it was taken out of rotation; undefined while in rotation. */
  ejectedAt?: number;
  /** Ejections since a call last succeeded on it: each one doubles how long it stays out. */
  streak: number;
  /** The earliest its probe may bring it back. */
  readmitAt?: number;
}

export interface ReplicaEvents {
  onEject(replica: Replica): void;
  onRestore(replica: Replica): void;
}

const PROBE_TIMEOUT_MS = 2_000;
/** The longest a replica that keeps failing stays out between probes that may bring it back. */
const MAX_READMIT_DELAY_MS = 60_000;

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
  private closed = false;

  constructor(
    readonly subgraph: string,
    urls: string[],
    private readonly probeMs: number,
    private readonly events: ReplicaEvents,
    private readonly fetch: typeof globalThis.fetch = globalThis.fetch,
    private readonly now: () => number = Date.now,
  ) {
    if (urls.length === 0) throw new Error(`The ${subgraph} subgraph has no URL`);
    this.replicas = urls.map((url) => ({ url, label: new URL(url).host, streak: 0 }));
  }

  get urls(): string[] {
    return this.replicas.map((replica) => replica.url);
  }

  /**
   * The replica for the next attempt of a call that already tried `tried`: the next one in
   * rotation that it has not tried; else one in rotation it has tried (a retry after a 5xx on a
   * lone replica); else, every replica being out, the next untried one; undefined when none is left.
   */
  pick(tried: ReadonlySet<Replica>): Replica | undefined {
    const inRotation = this.replicas.filter((replica) => replica.ejectedAt === undefined);
    const untried = inRotation.filter((replica) => !tried.has(replica));
    const inRotationCandidates = untried.length > 0 ? untried : inRotation;
    const candidates = inRotationCandidates.length > 0 ? inRotationCandidates : this.replicas.filter((replica) => !tried.has(replica));
    return candidates.length > 0 ? candidates[this.next++ % candidates.length] : undefined;
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
    replica.ejectedAt = this.now();
    replica.streak++;
    replica.readmitAt = replica.ejectedAt + Math.min(this.probeMs * 2 ** (replica.streak - 1), MAX_READMIT_DELAY_MS);
    logger.warn({ subgraph: this.subgraph, replica: replica.label, streak: replica.streak }, 'subgraph replica ejected from rotation');
    this.events.onEject(replica);
    if (!this.closed) this.probe ??= setInterval(() => void this.probeEjected(), this.probeMs).unref();
  }

  /** A call succeeded on it: back in rotation if it was out, and its ejection streak is over. */
  succeeded(replica: Replica): void {
    replica.streak = 0;
    this.restore(replica);
  }

  /** Back in rotation: its readiness probe passed, or a call to it succeeded. */
  restore(replica: Replica): void {
    if (replica.ejectedAt === undefined) return;
    replica.ejectedAt = undefined;
    replica.readmitAt = undefined;
    logger.info({ subgraph: this.subgraph, replica: replica.label }, 'subgraph replica back in rotation');
    this.events.onRestore(replica);
    if (this.replicas.every((candidate) => candidate.ejectedAt === undefined)) this.stopProbing();
  }

  stopProbing(): void {
    clearInterval(this.probe);
    this.probe = undefined;
  }

  /** No more probing, even when a call still in flight ejects a replica (the set was replaced, or the gateway stops). */
  close(): void {
    this.closed = true;
    this.stopProbing();
  }

  /** Asks each ejected replica whose time out is over whether it is ready (the probe timer's work). */
  async probeEjected(): Promise<void> {
    const now = this.now();
    await Promise.all(
      this.replicas
        .filter((replica) => replica.ejectedAt !== undefined && now >= (replica.readmitAt ?? 0))
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
