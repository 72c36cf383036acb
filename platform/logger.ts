import { pino } from 'pino';
import { currentRequest } from './request-context.ts';

const quietTests = process.env.NODE_ENV === 'test' && process.env.LOG_LEVEL === undefined;

/** Where log lines go: stdout (not in tests, unless LOG_LEVEL asks), and any stream added (tests read them). */
export const logStreams = pino.multistream(quietTests ? [] : [{ stream: pino.destination(1), level: 'trace' }]);

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
