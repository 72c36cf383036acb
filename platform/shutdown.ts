import { config } from './config.ts';
import { logger } from './logger.ts';

/** One part of a process to close on shutdown, named in the log. */
export interface ShutdownStep {
  name: string;
  close: () => Promise<void>;
}

/**
 * A signal this soon after the first is the same request passed on by a wrapper: `tsx` (npm start)
 * sends the child its Ctrl-C again when the child is slow to acknowledge it.
 */
const RELAYED_WITHIN_MS = 1_000;

/**
 * SIGTERM or SIGINT runs one ordered stop of `steps` (each logged as it closes), then exits 0;
 * 1 if a step failed. A second signal meanwhile, or the whole stop outlasting `timeoutMs`,
 * exits 1 at once, saying so: an operator who asks twice means it, and an orchestrator would
 * kill the process anyway.
 */
export function exitOnTerminationSignals(steps: ShutdownStep[], timeoutMs = config.shutdown.timeoutMs): void {
  let stopping: { signal: NodeJS.Signals; at: number } | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping && Date.now() - stopping.at < RELAYED_WITHIN_MS) return;
    if (stopping) {
      logger.fatal({ signal, first: stopping.signal }, `${signal} during shutdown: exiting now, without finishing the stop`);
      process.exit(1);
    }
    stopping = { signal, at: Date.now() };
    void stopInOrder(signal, steps, timeoutMs).then((code) => process.exit(code));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

async function stopInOrder(signal: NodeJS.Signals, steps: ShutdownStep[], timeoutMs: number): Promise<number> {
  const started = Date.now();
  logger.info({ signal, steps: steps.map((step) => step.name), timeoutMs }, 'shutting down');
  const deadline = setTimeout(() => {
    logger.fatal({ timeoutMs }, `shutdown did not finish within ${timeoutMs} ms (SHUTDOWN_TIMEOUT_MS): exiting now`);
    process.exit(1);
  }, timeoutMs);
  let failed = false;
  for (const step of steps) {
    const stepStarted = Date.now();
    try {
      await step.close();
      logger.info({ step: step.name, ms: Date.now() - stepStarted }, `${step.name} closed`);
    } catch (error) {
      failed = true;
      logger.error({ err: error, step: step.name }, `${step.name} failed to close`);
    }
  }
  clearTimeout(deadline);
  logger.info({ ms: Date.now() - started, clean: !failed }, 'shut down');
  return failed ? 1 : 0;
}

/**
 * Until the ordered stop is installed, SIGTERM or SIGINT ends start-up at once (exit 1): node as
 * a container's PID 1 ignores a signal it has no handler for, so `docker stop` during migrations
 * would otherwise wait for SIGKILL. Returns what removes these handlers.
 */
export function exitOnSignalsDuringStartup(): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    logger.warn({ signal }, `${signal} during start-up: exiting without finishing it`);
    process.exit(1);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
}
