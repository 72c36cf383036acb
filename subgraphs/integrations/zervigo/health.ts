import { logger } from '../../../platform/logger.ts';
import { ZERVIGO_SERVICES, ZervigoError, type ZervigoClient, type ZervigoService } from '../../../platform/zervigo-client.ts';

/** One Zervigo service as last checked. */
export interface ServiceHealth {
  service: ZervigoService;
  url: string | null;
  configured: boolean;
  healthy: boolean;
  /** How long its /health took to answer, when it answered. */
  latencyMs: number | null;
  /** When it was last checked (ISO 8601); null when it never was (not configured). */
  checkedAt: string | null;
  /** Why it is not healthy. */
  error: string | null;
}

/**
 * Checks every configured Zervigo service's `GET /health` in the background, every `intervalMs`,
 * and keeps the last answers: readers (the GraphQL field, the gateway's status page) get them at
 * once and never wait on a platform that is down. Each check is bounded by the client's timeout.
 */
export class PlatformHealth {
  private readonly latest = new Map<ZervigoService, ServiceHealth>();
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;

  constructor(
    private readonly client: ZervigoClient,
    private readonly intervalMs: number,
  ) {
    for (const service of ZERVIGO_SERVICES) {
      const url = client.config.urls[service] ?? null;
      this.latest.set(service, { service, url, configured: url !== null, healthy: false, latencyMs: null, checkedAt: null, error: url ? 'not checked yet' : 'not configured' });
    }
  }

  start(): void {
    if (this.timer || !ZERVIGO_SERVICES.some((service) => this.client.isConfigured(service))) return;
    void this.check();
    this.timer = setInterval(() => void this.check(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The last answers, one per service, in Zervigo's order. */
  current(): ServiceHealth[] {
    return ZERVIGO_SERVICES.map((service) => this.latest.get(service)!);
  }

  /** Checks every configured service now (a round already under way is joined, not repeated). */
  check(): Promise<void> {
    this.round ??= (async () => {
      await Promise.all(ZERVIGO_SERVICES.filter((service) => this.client.isConfigured(service)).map((service) => this.checkOne(service)));
    })().finally(() => (this.round = undefined));
    return this.round;
  }

  private async checkOne(service: ZervigoService): Promise<void> {
    const before = this.latest.get(service)!;
    let next: ServiceHealth;
    try {
      const { latencyMs } = await this.client.health(service);
      next = { ...before, healthy: true, latencyMs, checkedAt: new Date().toISOString(), error: null };
    } catch (error) {
      const message = error instanceof ZervigoError ? error.message : String(error);
      next = { ...before, healthy: false, latencyMs: null, checkedAt: new Date().toISOString(), error: message };
    }
    if (before.healthy !== next.healthy && before.checkedAt !== null) {
      logger[next.healthy ? 'info' : 'warn']({ zervigo: service, error: next.error }, next.healthy ? 'Zervigo service healthy again' : 'Zervigo service unhealthy');
    }
    this.latest.set(service, next);
  }
}
