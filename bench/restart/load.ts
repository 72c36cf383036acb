import autocannon from 'autocannon';

/**
 * A fixed-rate load of one GraphQL POST with autocannon, counting every failure a client would
 * see: a non-2xx status, a socket error or timeout, and a 2xx whose body carries `errors`
 * (partial data is a failure too). Latency is every response's, exactly (no histogram buckets), with when it came.
 */
export interface LoadOptions {
  url: string;
  body: string;
  headers: Record<string, string>;
  seconds: number;
  /** Requests per second across all connections (autocannon `overallRate`). */
  rate: number;
  connections: number;
  /** Milliseconds on the run's clock (performance.now()) when the load starts: errors are timed from there. */
  clockStart: number;
}

export interface ErrorKind {
  count: number;
  /** Seconds into the run of the first and the last. */
  first: number;
  last: number;
}

export interface LoadResult {
  seconds: number;
  responses: number;
  /** 2xx responses without `errors`. */
  ok: number;
  errors: Map<string, ErrorKind>;
  /** Every response: seconds into the run when it came, and its latency in ms. */
  responseTimes: { at: number; ms: number }[];
}

export function runLoad(options: LoadOptions): { done: Promise<LoadResult>; stop: () => void } {
  const errors = new Map<string, ErrorKind>();
  const responseTimes: { at: number; ms: number }[] = [];
  let ok = 0;
  const at = () => (performance.now() - options.clockStart) / 1000;
  const count = (kind: string) => {
    const now = at();
    const known = errors.get(kind);
    if (known) {
      known.count++;
      known.last = now;
    } else errors.set(kind, { count: 1, first: now, last: now });
  };

  let finish!: (result: LoadResult) => void;
  let fail!: (error: unknown) => void;
  const done = new Promise<LoadResult>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon({
    url: options.url,
    duration: options.seconds,
    connections: options.connections,
    overallRate: options.rate,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body: options.body,
        onResponse: (status, body) => {
          const kind = failure(status, body);
          if (kind) count(kind);
          else ok++;
        },
      },
    ],
  }, (error, result) => {
    if (error) return fail(error);
    finish({ seconds: result.duration, responses: responseTimes.length, ok, errors, responseTimes });
  });
  instance.on('response', (_client, _status, _bytes, responseTime) => responseTimes.push({ at: at(), ms: responseTime }));
  instance.on('reqError', (error: { code?: string; message?: string }) => count(error.message === 'request timed out' ? 'timeout (10 s)' : `socket error ${error.code ?? error.message}`));

  return { done, stop: () => instance.stop() };
}

/** What was wrong with an answer: undefined for a 2xx with data and no errors. */
function failure(status: number, body: string): string | undefined {
  if (status < 200 || status >= 300) return `HTTP ${status}${codesIn(body)}`;
  let parsed: { data?: unknown; errors?: unknown[] };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return `HTTP ${status} with a body that is not JSON`;
  }
  if (Array.isArray(parsed.errors) && parsed.errors.length > 0) return `HTTP ${status} with errors${codesIn(body)}`;
  if (!parsed.data) return `HTTP ${status} without data`;
  return undefined;
}

/** The GraphQL error codes (and the subgraph each names) in a body, as ` (CODE serviceName, …)`. */
function codesIn(body: string): string {
  try {
    const { errors } = JSON.parse(body) as { errors?: { extensions?: { code?: string; serviceName?: string } }[] };
    const codes = [...new Set((errors ?? []).map(({ extensions }) => [extensions?.code ?? 'no code', extensions?.serviceName].filter(Boolean).join(' ')))].sort();
    return codes.length > 0 ? ` (${codes.join(', ')})` : '';
  } catch {
    return '';
  }
}

/** The latency below which `q` of the samples fall (nearest rank), in ms. */
export function quantile(samples: { ms: number }[], q: number): number {
  if (samples.length === 0) return NaN;
  const sorted = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}
