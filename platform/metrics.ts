import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from './db/db.ts';

/** One registry per service, so services sharing a process still report apart. */
export function createRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** Request counts and latency by GraphQL operation. */
export function graphqlMetricsPlugin(registry: Registry): ApolloServerPlugin {
  const requests = new Counter({
    name: 'graphql_requests_total',
    help: 'GraphQL operations handled, by operation and outcome',
    labelNames: ['operation_name', 'operation_type', 'outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'GraphQL operation latency',
    labelNames: ['operation_name', 'operation_type'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    async requestDidStart() {
      const stop = duration.startTimer();
      return {
        async willSendResponse({ operationName, operation, errors }) {
          const labels = { operation_name: operationName ?? 'anonymous', operation_type: operation?.operation ?? 'unknown' };
          stop(labels);
          requests.inc({ ...labels, outcome: errors?.length ? 'error' : 'ok' });
        },
      };
    },
  };
}

/**
 * Exposes the statements a subgraph's Db has run, for requests and in the background: counted,
 * and timed by `db_query_duration_seconds`. Returns the function that stops the timing.
 */
export function registerDbMetrics(registry: Registry, db: Db): () => void {
  const counter = (name: string, help: string, read: () => number) => {
    let reported = 0;
    new Counter({
      name,
      help,
      labelNames: ['backend'],
      registers: [registry],
      collect() {
        const now = read();
        this.inc({ backend: db.backend }, now - reported);
        reported = now;
      },
    });
  };
  counter('db_queries_total', 'SQL statements run against the subgraph database for requests', () => db.stats.queries);
  counter('db_background_queries_total', 'SQL statements run in the background (outbox relay, event consumers)', () => db.stats.background);
  const duration = new Histogram({
    name: 'db_query_duration_seconds',
    help: 'SQL statement latency (waiting for a connection included), for requests or background work',
    labelNames: ['backend', 'work'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return db.stats.observe((work, seconds) => duration.observe({ backend: db.backend, work }, seconds));
}
