/**
 * The load generator, in its own process (pinned off the server's core by load.ts): one round of
 * autocannon against one target with one operation. Reads a RoundSpec (JSON) from argv and prints
 * a RoundResult (JSON) on stdout.
 *
 * Failures are classified in each request's `onResponse(status, body, context)`: a non-2xx status,
 * or a 2xx whose body has GraphQL `errors` or no `data`. autocannon's `verifyBody` would count the
 * latter as `mismatches` but cannot see the status, so a 4xx/5xx with `errors` would count twice.
 * Connection errors and timeouts come from the `reqError` event; latencies from `response` (every
 * status, where autocannon's own histogram keeps only 2xx and has no p95).
 */
import autocannon from 'autocannon';
import { operations, type Context, type Step } from './operations.ts';
import type { RoundResult, RoundSpec } from './round.ts';
import { requestOf } from './send.ts';

const MAX_EXAMPLES = 5;

const spec = JSON.parse(process.argv[2] ?? '') as RoundSpec;
const operation = operations(spec.fixture).find((candidate) => candidate.name === spec.operation);
if (!operation) throw new Error(`No operation named ${spec.operation}`);

const result: RoundResult = { seconds: 0, responses: 0, non2xx: 0, graphqlErrors: 0, socketErrors: 0, latencies: [], examples: [] };
const example = (text: string) => {
  if (result.examples.length < MAX_EXAMPLES && !result.examples.includes(text)) result.examples.push(text);
};

/** Parses a body only when it must: to remember something, or when it may carry errors. */
function onResponse(step: Step) {
  const needsData = Boolean(step.remember);
  return (status: number, body: string, connection: object) => {
    const context = connection as Context;
    if (status < 200 || status >= 300) {
      result.non2xx++;
      example(`HTTP ${status}: ${body.slice(0, 300)}`);
      return;
    }
    // The common answer, without parsing it: the load process's core must not become the bottleneck.
    if (!needsData && body.startsWith('{"data":{') && !body.includes('"errors"')) return;
    let parsed: { data?: unknown; errors?: unknown[] };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      result.graphqlErrors++;
      example(`HTTP ${status}, not JSON: ${body.slice(0, 300)}`);
      return;
    }
    if (parsed.errors?.length || !parsed.data) {
      result.graphqlErrors++;
      example(`HTTP ${status}: ${JSON.stringify(parsed.errors ?? 'no data').slice(0, 300)}`);
    }
    if (parsed.data) step.remember?.(parsed.data, context);
  };
}

const target = new URL(spec.url);
const [firstToken] = spec.tokens;
if (!firstToken) throw new Error('A round needs at least one sender');

/**
 * A query's every request, built once: each sender with each variable set (the senders turn
 * fastest, so consecutive requests differ in both until every pair has been sent).
 */
function preparedRequests(step: Step) {
  const prepared = [];
  for (let variant = 0; variant < operation!.variants; variant++)
    for (const token of spec.tokens) prepared.push(requestOf(step, { variant }, token)!);
  return prepared;
}

/** Sends the prepared requests in turn, across all connections. */
function takingTurns(prepared: ReturnType<typeof preparedRequests>) {
  let turn = 0;
  return (request: autocannon.Request) => ({ ...request, ...prepared[turn++ % prepared.length] }) as autocannon.Request;
}

const requests = operation.steps.map((step): autocannon.Request => {
  const prepared = operation.kind === 'query' ? preparedRequests(step) : undefined;
  return {
    method: 'POST',
    path: target.pathname,
    ...(prepared?.length === 1
      ? prepared[0]
      : {
          setupRequest: prepared
            ? takingTurns(prepared)
            : // Built per request from the connection's context; undefined restarts the cycle (autocannon's rule).
              (request: autocannon.Request, context: object) => {
                const built = requestOf(step, context as Context, firstToken);
                return (built ? { ...request, ...built } : undefined) as autocannon.Request;
              },
        }),
    onResponse: onResponse(step),
  };
});

const instance = autocannon(
  { url: target.origin, connections: spec.connections, duration: spec.seconds, timeout: 10, requests },
  (error, summary) => {
    if (error) throw error;
    result.seconds = summary.duration;
    process.stdout.write(JSON.stringify(result));
  },
);
instance.on('response', (_client, _status, _bytes, responseTime) => {
  result.responses++;
  result.latencies.push(responseTime);
});
instance.on('reqError', (error: Error) => {
  result.socketErrors++;
  example(`no response: ${error.message}`);
});
