import { pino } from 'pino';
import { currentRequest } from './request-context.ts';

const quietTests = process.env.NODE_ENV === 'test' && process.env.LOG_LEVEL === undefined;

/** The log's stdout: asynchronous (sonic-boom), so text for people goes through it too (printToStdout) to keep its place. */
const stdout = quietTests ? undefined : pino.destination(1);

/** Where log lines go: stdout (not in tests, unless LOG_LEVEL asks), and any stream added (tests read them). */
export const logStreams = pino.multistream(stdout ? [{ stream: stdout, level: 'trace' }] : []);

/**
 * Writes text for people (npm start's banner) to stdout after every log line written before it:
 * console.log would write at once, overtaking log lines still queued in the log's stream.
 */
export function printToStdout(text: string): void {
  if (stdout) stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  else process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** JSON lines; each line written while serving a request carries its `reqId` and `service`. */
export const logger = pino(
  {
    level: process.env.LOG_LEVEL ?? (quietTests ? 'silent' : 'info'),
    base: undefined,
    mixin: () => ({ ...currentRequest() }),
  },
  logStreams,
);

export type Logger = typeof logger;
