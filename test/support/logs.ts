import { Writable } from 'node:stream';
import { logStreams, logger } from '../../platform/logger.ts';

/** What the services of this process log from now on, at `level` and above, parsed; `stop()` restores the quiet. */
export function captureLogs(level: 'debug' | 'info' | 'warn' = 'info') {
  const lines: Record<string, unknown>[] = [];
  const capture = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const previous = logger.level;
  logStreams.add({ stream: capture, level });
  const id = logStreams.streams.find((entry) => entry.stream === capture) as { id?: number } | undefined;
  logger.level = level;
  return {
    lines,
    stop() {
      logger.level = previous;
      if (id?.id !== undefined) logStreams.remove(id.id);
    },
  };
}
