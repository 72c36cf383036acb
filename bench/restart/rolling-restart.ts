import { setTimeout as sleep } from 'node:timers/promises';
import { parseMetrics } from '../../test/support/metrics.ts';
import type { ServiceProcess } from './service-process.ts';

/** When each step of one replica's restart happened, in seconds into the run. */
export interface RestartRecord {
  replica: string;
  port: number;
  sigterm: number;
  exited: number;
  exitCode: number | null;
  started: number;
  ready: number;
  /** When the gateway's gauge showed it in rotation again; undefined when the gateway has no such gauge. */
  inRotation?: number;
}

/**
 * Restarts a replica the way an orchestrator does: SIGTERM, wait for it to end, start it again on
 * the same port, wait for its /health/ready, then for the gateway to send it calls again (its
 * `gateway_subgraph_replica_in_rotation` gauge), so the next replica is not stopped before this one serves.
 */
export async function restartReplica(replica: ServiceProcess, gateway: ServiceProcess, subgraph: string, at: () => number): Promise<RestartRecord> {
  const sigterm = at();
  const exitCode = await replica.stop('SIGTERM');
  const exited = at();
  replica.start();
  const started = at();
  await replica.ready();
  const ready = at();
  const inRotation = await waitForRotation(gateway, subgraph, `127.0.0.1:${replica.port}`, at);
  return { replica: replica.label, port: replica.port, sigterm, exited, exitCode, started, ready, inRotation };
}

async function waitForRotation(gateway: ServiceProcess, subgraph: string, label: string, at: () => number, withinMs = 30_000): Promise<number | undefined> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    const { samples } = parseMetrics(await (await fetch(`${gateway.baseUrl}/metrics`)).text());
    const gauge = samples.find((sample) => sample.name === 'gateway_subgraph_replica_in_rotation' && sample.labels.subgraph === subgraph && sample.labels.replica === label);
    if (!gauge) return undefined;
    if (gauge.value === 1) return at();
    await sleep(100);
  }
  throw new Error(`The gateway did not put ${subgraph} replica ${label} back in rotation within ${withinMs / 1000} s of its readiness`);
}

/** The gateway's resilience metrics for one subgraph (histogram buckets left out), as Prometheus text lines. */
export async function gatewayLinesFor(gateway: ServiceProcess, subgraph: string): Promise<string[]> {
  const text = await (await fetch(`${gateway.baseUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('gateway_subgraph') && line.includes(`subgraph="${subgraph}"`) && !line.includes('_bucket{'));
}
