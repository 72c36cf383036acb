import { quantile, type LoadResult } from './load.ts';
import type { RestartRecord } from './rolling-restart.ts';

export interface RunDescription {
  subgraph: string;
  replicas: number;
  seconds: number;
  rate: number;
  connections: number;
  first: number;
}

const s = (seconds: number) => `${seconds.toFixed(1)} s`;
const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : '—');

/** The run as markdown: the load's figures, its errors by kind, the restart timeline and the gateway's metrics for the subgraph. */
export function markdownReport(run: RunDescription, load: LoadResult, restarts: RestartRecord[], gatewayLines: string[], sequential: { ms: number }[]): string {
  const errors = [...load.errors.values()].reduce((total, kind) => total + kind.count, 0);
  const attempts = load.responses + [...load.errors].filter(([kind]) => !kind.startsWith('HTTP')).reduce((total, [, kind]) => total + kind.count, 0);
  const achieved = load.responses / load.seconds;
  const window = restarts.length > 0 ? { from: restarts[0]!.sigterm, to: Math.max(...restarts.map((r) => r.inRotation ?? r.ready)) } : undefined;
  const latency = (label: string, samples: { ms: number }[]) =>
    `| ${label} | ${samples.length} | ${ms(quantile(samples, 0.5))} | ${ms(quantile(samples, 0.95))} | ${ms(quantile(samples, 0.99))} | ${ms(Math.max(...samples.map((sample) => sample.ms)))} |`;
  const lines = [
    `${run.seconds} s at ${run.rate} req/s (${run.connections} connections), the flagship query (${run.first} talents, signed in), ` +
      `the ${run.subgraph} subgraph as ${run.replicas > 1 ? `${run.replicas} replicas restarted one by one` : 'one process restarted'}; ${new Date().toISOString().slice(0, 10)}, node ${process.version}`,
    '',
    '| target rate | achieved rate | requests | answered | 2xx without errors | errors | error rate |',
    '|---|---|---|---|---|---|---|',
    `| ${run.rate} req/s | ${achieved.toFixed(1)} req/s | ${attempts} | ${load.responses} | ${load.ok} | ${errors} | ` +
      `${attempts > 0 ? ((100 * errors) / attempts).toFixed(2) : '0.00'} % |`,
    '',
    'requests: answered, or failed without an answer (socket error, timeout); those still in flight when the run ended (one per connection at most) are not counted.',
    '',
    ...(achieved < 0.95 * run.rate
      ? [
          `**The supergraph did not keep up with ${run.rate} req/s** (${achieved.toFixed(1)}): autocannon sends nothing more while every connection waits ` +
            'for an answer, so this was not a fixed-rate run. Run it on a quieter machine, at a lower rate, or with more --connections.',
          '',
        ]
      : []),
    '| latency | responses | p50 | p95 | p99 | max |',
    '|---|---|---|---|---|---|',
    latency('one at a time, before the load', sequential),
    latency('whole run', load.responseTimes),
    ...(window
      ? [
          latency(`during the restart${restarts.length > 1 ? 's' : ''} (${s(window.from)}–${s(window.to)})`, load.responseTimes.filter(({ at }) => at >= window.from && at <= window.to)),
          latency('outside them', load.responseTimes.filter(({ at }) => at < window.from || at > window.to)),
        ]
      : []),
    '',
  ];
  if (errors === 0) lines.push('errors by kind: none', '');
  else {
    lines.push('| error | count | first at | last at |', '|---|---|---|---|');
    for (const [kind, { count, first, last }] of load.errors) lines.push(`| ${kind} | ${count} | ${s(first)} | ${s(last)} |`);
    lines.push('');
  }
  lines.push('| replica | SIGTERM | exited (code) | started again | /health/ready | back in the gateway\'s rotation |', '|---|---|---|---|---|---|');
  for (const r of restarts) {
    lines.push(`| ${r.replica} (:${r.port}) | ${s(r.sigterm)} | ${s(r.exited)} (${r.exitCode}) | ${s(r.started)} | ${s(r.ready)} | ${r.inRotation === undefined ? 'no gauge' : s(r.inRotation)} |`);
  }
  lines.push('', `the gateway's metrics for ${run.subgraph} at the end (since it started, the sign-in and warm-up included):`, '', '```text', ...gatewayLines, '```');
  return lines.join('\n');
}
