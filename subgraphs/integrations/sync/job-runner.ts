import { logger } from '../../../platform/logger.ts';
import { CircuitOpenError } from '../zervigo/policy.ts';
import type { PlatformSyncStore } from './store.ts';
import { describeFailure, type TalentSync } from './talent-sync.ts';

export interface JobRunnerOptions {
  /** Talents pushed per second at most. */
  ratePerSecond: number;
  /** How long to wait before looking again when there is nothing to do, or Zervigo is paused (open circuit). */
  idleMs: number;
}

/**
 * Works through the running sync job in the background: its pending items in order, one talent at
 * a time, no faster than `ratePerSecond`. Each item's outcome is saved as it ends, so after a
 * restart the job carries on from its first pending item (the one in flight at the stop is pushed
 * again, which Zervigo's upsert by Looma's id makes harmless). A talent that fails is marked and
 * skipped; while a Zervigo circuit is open the job waits instead of failing every talent.
 * With several replicas, each item is pushed by whichever holds the job's lock.
 */
export class SyncJobRunner {
  private running: Promise<void> | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly store: PlatformSyncStore,
    private readonly sync: TalentSync,
    private readonly withLock: <T>(key: string, work: () => Promise<T>) => Promise<T>,
    private readonly options: JobRunnerOptions,
  ) {}

  /** Starts the loop (it resumes a job left running by an earlier process). */
  start(): void {
    this.running ??= this.loop().catch((error: unknown) => logger.error({ err: error }, 'sync job runner stopped on an error'));
  }

  /** Looks for work now rather than at the next idle tick (a job was just created). */
  poke(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let pauseMs = this.options.idleMs;
      try {
        const job = await this.store.runningJob();
        if (job) pauseMs = await this.withLock(`integrations:sync-job:${job.id}`, () => this.work(job.id));
      } catch (error) {
        logger.error({ err: error }, 'sync job runner: a step failed; trying again');
      }
      if (pauseMs > 0) await this.sleep(pauseMs);
    }
  }

  /** Pushes a batch of the job's pending items; how long to wait before the next batch. */
  private async work(jobId: string): Promise<number> {
    const items = await this.store.pending(jobId, 20);
    if (!items.length) {
      await this.store.completeJob(jobId);
      const job = await this.store.job(jobId);
      logger.info({ job: jobId, total: job?.total, done: job?.done, failed: job?.failed }, 'sync job completed');
      return 0;
    }
    const interval = 1000 / this.options.ratePerSecond;
    for (const item of items) {
      if (this.stopped) return 0;
      const started = Date.now();
      try {
        await this.sync.sync(item.talentId);
        await this.store.markItem(jobId, item.position, { error: null });
      } catch (error) {
        // Zervigo is paused: leave this talent pending and wait for the circuit's trial call.
        if (error instanceof CircuitOpenError) return Math.max(error.retryAfterMs, this.options.idleMs);
        await this.store.markItem(jobId, item.position, { error: describeFailure(error) });
      }
      await this.sleep(interval - (Date.now() - started));
    }
    return 0;
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
