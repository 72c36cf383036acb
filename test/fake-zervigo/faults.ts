import type { ZervigoService } from '../../platform/zervigo-client.ts';

/** The misbehaviours a test has asked of each service: failed answers to come, and a delay. */
export class FakeFaults {
  private failures = new Map<ZervigoService, { remaining: number; status: number }>();
  private delays = new Map<ZervigoService, number>();

  failNext(service: ZervigoService, count: number, status = 500): void {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`failNext count must be a non-negative integer, not ${count}`);
    if (!Number.isInteger(status) || status < 400 || status > 599) throw new RangeError(`failNext status must be an HTTP error status, not ${status}`);
    if (count === 0) this.failures.delete(service);
    else this.failures.set(service, { remaining: count, status });
  }

  /** The status to fail this request with, using up one of the failures asked for; undefined to answer normally. */
  takeFailure(service: ZervigoService): number | undefined {
    const failure = this.failures.get(service);
    if (!failure) return undefined;
    if (--failure.remaining === 0) this.failures.delete(service);
    return failure.status;
  }

  slow(service: ZervigoService, ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`slow needs a non-negative number of milliseconds, not ${ms}`);
    if (ms === 0) this.delays.delete(service);
    else this.delays.set(service, ms);
  }

  delayOf(service: ZervigoService): number {
    return this.delays.get(service) ?? 0;
  }

  reset(): void {
    this.failures.clear();
    this.delays.clear();
  }
}
