/** Why a service never became ready, in words for the person running it. */
export class NotReady extends Error {
  override name = 'NotReady';
}

const POLL_MS = 100;
/** One probe may take this long before it counts as no answer. */
const PROBE_MS = 2_000;

/**
 * Polls a service's /health/ready over HTTP, as an operator or an orchestrator would, until it
 * answers 200; returns how long that took. Fails with NotReady after `timeoutMs`, saying what
 * the last probe got.
 */
export async function waitUntilReady(serviceUrl: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  const url = new URL('/health/ready', serviceUrl);
  let last = 'no answer';
  for (;;) {
    const remaining = timeoutMs - (Date.now() - started);
    if (remaining <= 0) throw new NotReady(`it was not ready within ${timeoutMs} ms (${url.pathname}: ${last})`);
    const budget = Math.min(PROBE_MS, remaining);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(budget) });
      await response.body?.cancel();
      if (response.status === 200) return Date.now() - started;
      last = `last answered ${response.status}`;
    } catch (error) {
      // A probe the overall deadline cut short says less than what an earlier probe got.
      const cutShort = budget < PROBE_MS && isTimeout(error) && last !== 'no answer';
      if (!cutShort) last = `last probe failed: ${probeFailure(error)}`;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(0, timeoutMs - (Date.now() - started)))));
  }
}

const isTimeout = (error: unknown) => error instanceof Error && error.name === 'TimeoutError';

function probeFailure(error: unknown): string {
  if (isTimeout(error)) return 'no answer in time';
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  return cause?.code ?? (error instanceof Error ? error.message : String(error));
}
