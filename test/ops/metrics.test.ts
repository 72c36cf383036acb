import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../gateway/gateway.ts';
import { LoginLimiter } from '../../gateway/login-limiter.ts';
import { signGatewayCredential } from '../../platform/auth/index.ts';
import { composeRegistry } from '../../platform/compose.ts';
import { config } from '../../platform/config.ts';
import { createRegistry } from '../../platform/metrics.ts';
import { loadRegistry, ROOT } from '../../platform/registry.ts';
import { graphql } from '../support/client.ts';
import { parseMetrics, scrape, type Sample } from '../support/metrics.ts';
import { startTestSupergraph } from '../support/services.ts';

const SKILLS = 'query Skills { skills(first: 2) { totalCount edges { node { name } } } }';

const total = (samples: Sample[], name: string, labels: Record<string, string>) =>
  samples
    .filter((sample) => sample.name === name && Object.entries(labels).every(([label, value]) => sample.labels[label] === value))
    .reduce((sum, sample) => sum + sample.value, 0);

/**
 * The metric names a PromQL expression (or a Grafana `label_values(…)` query) selects: what is
 * left once strings, label matchers, ranges, label lists, Grafana variables, function names and
 * keywords are taken out, histogram series named by their metric.
 */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/label_values\(([^,()]+),[^)]*\)/g, 'label_values($1)')
    .replace(/\$\w+/g, '');
  const keywords = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);
  return [...stripped.matchAll(/([a-zA-Z_:][\w:]*)(\s*\()?/g)]
    .filter(([, name, call]) => !call && !keywords.has(name!.toLowerCase()))
    .map(([, name]) => name!.replace(/_(?:bucket|sum|count)$/, ''));
}

interface Dashboard {
  templating: { list: { name: string; query: { query: string } | string }[] };
  panels: { title: string; type: string; targets?: { expr: string }[] }[];
}

/** Every PromQL expression the dashboard runs (panels and template variables), with where it is. */
function dashboardQueries(): { where: string; expr: string }[] {
  const dashboard = JSON.parse(readFileSync(resolve(ROOT, 'ops/grafana/dashboards/looma.json'), 'utf8')) as Dashboard;
  return [
    ...dashboard.templating.list.map((variable) => ({
      where: `variable ${variable.name}`,
      expr: typeof variable.query === 'string' ? variable.query : variable.query.query,
    })),
    ...dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ where: `panel "${panel.title}"`, expr: target.expr }))),
  ];
}

/** Series Prometheus makes itself for each target, not found in any /metrics. */
const SYNTHESISED_BY_PROMETHEUS = new Set(['up']);

describe('the metrics the production dashboard reads, from a test supergraph', () => {
  let supergraph: Awaited<ReturnType<typeof startTestSupergraph>>;

  beforeAll(async () => {
    supergraph = await startTestSupergraph();
    await supergraph.built();
    const answer = await graphql(supergraph.url, SKILLS);
    expect(answer.errors).toBeUndefined();
  });
  afterAll(() => supergraph?.stop());

  it('times every SQL statement as db_query_duration_seconds, by backend and work', async () => {
    const skills = supergraph.subgraphs.get('skills')!.service.url;
    const { samples, names } = await scrape(skills);
    expect(names).toContain('db_query_duration_seconds');
    const requests = { service: 'skills', backend: 'pglite', work: 'request' };
    expect(total(samples, 'db_query_duration_seconds_count', requests)).toBeGreaterThan(0);
    expect(total(samples, 'db_query_duration_seconds_sum', requests)).toBeGreaterThan(0);
    // The outbox relay polls in the background from the start.
    expect(total(samples, 'db_query_duration_seconds_count', { service: 'skills', work: 'background' })).toBeGreaterThan(0);

    // Every statement a request runs is timed once: as many as db_queries_total counts. Another
    // page than beforeAll's: the same anonymous query again is answered by the gateway's response cache.
    expect((await graphql(supergraph.url, SKILLS.replace('first: 2', 'first: 3'))).errors).toBeUndefined();
    const after = (await scrape(skills)).samples;
    const timed = total(after, 'db_query_duration_seconds_count', requests) - total(samples, 'db_query_duration_seconds_count', requests);
    expect(timed).toBeGreaterThan(0);
    expect(timed).toBe(total(after, 'db_queries_total', { service: 'skills' }) - total(samples, 'db_queries_total', { service: 'skills' }));
  });

  it("times the gateway's fetches to each subgraph as gateway_subgraph_request_duration_seconds, by subgraph and outcome", async () => {
    const { samples, names } = await scrape(supergraph.url);
    expect(names).toContain('gateway_subgraph_request_duration_seconds');
    const fetched = total(samples, 'gateway_subgraph_request_duration_seconds_count', { service: 'gateway', subgraph: 'skills', outcome: 'ok' });
    expect(fetched).toBeGreaterThan(0);
    expect(fetched).toBe(total(samples, 'gateway_subgraph_requests_total', { subgraph: 'skills' }));
    expect(total(samples, 'gateway_subgraph_request_duration_seconds_sum', { subgraph: 'skills', outcome: 'ok' })).toBeGreaterThan(0);
  });

  it('exposes every metric the Grafana dashboard queries', async () => {
    const services = [supergraph.gateway, ...[...supergraph.subgraphs.values()].map((subgraph) => subgraph.service)];
    const exposed = new Set<string>();
    for (const service of services) for (const name of (await scrape(service.url)).names) exposed.add(name);
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(10);
    const missing = queries.flatMap(({ where, expr }) =>
      metricNames(expr)
        .filter((name) => !exposed.has(name) && !SYNTHESISED_BY_PROMETHEUS.has(name))
        .map((name) => `${name} (${where})`),
    );
    expect(missing).toEqual([]);
  });
});

describe("the gateway's fetch timing when a subgraph fails", () => {
  let unavailable: Server;

  beforeAll(async () => {
    unavailable = createServer((_request, response) => response.writeHead(503).end('down for maintenance'));
    await new Promise<void>((done) => unavailable.listen(0, '127.0.0.1', done));
  });
  afterAll(() => new Promise<void>((done) => unavailable.close(() => done())));

  it('records a fetch answered with a non-2xx status under outcome="error"', async () => {
    const composed = composeRegistry(loadRegistry());
    if (!composed.ok) throw new Error(composed.errors.join('\n'));
    const url = `http://127.0.0.1:${(unavailable.address() as AddressInfo).port}/graphql`;
    const registry = createRegistry('gateway');
    const gateway = createGateway({
      supergraphSdl: composed.supergraphSdl,
      urls: Object.fromEntries(loadRegistry().subgraphs.map((subgraph) => [subgraph.name, url])),
      registry,
      loginLimiter: new LoginLimiter(config.loginLimits),
    });
    await gateway.start();
    try {
      const result = await gateway.executeOperation(
        { query: SKILLS },
        { contextValue: { subgraphCredential: () => signGatewayCredential(null), clientAddress: '127.0.0.1', callerId: null } },
      );
      expect(result.body.kind === 'single' && result.body.singleResult.errors?.length).toBeTruthy();
    } finally {
      await gateway.stop();
    }
    const { samples } = parseMetrics(await registry.metrics());
    expect(total(samples, 'gateway_subgraph_request_duration_seconds_count', { subgraph: 'skills', outcome: 'error' })).toBe(1);
    expect(total(samples, 'gateway_subgraph_request_duration_seconds_count', { outcome: 'ok' })).toBe(0);
  });
});

describe('metricNames, which reads the dashboard', () => {
  it('finds the metrics of a PromQL expression and of a label_values query, and nothing else', () => {
    expect(
      metricNames('histogram_quantile(0.95, sum by (le, service) (rate(db_query_duration_seconds_bucket{service=~"$service", work="request"}[$__rate_interval])))'),
    ).toEqual(['db_query_duration_seconds']);
    expect(metricNames('sum(rate(a_total{outcome="error"}[5m])) / sum(rate(a_total[5m])) or vector(0)')).toEqual(['a_total', 'a_total']);
    expect(metricNames('label_values(graphql_requests_total{service=~"$service"}, operation_name)')).toEqual(['graphql_requests_total']);
    expect(metricNames('max by (service, consumer) (events_consumer_lag)')).toEqual(['events_consumer_lag']);
  });
});
