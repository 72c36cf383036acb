import { ratio, type Summary } from './aggregate.ts';
import { FLAGSHIP, FLAGSHIP_MANY } from './operations.ts';
import { HIVE_GATEWAY, LOOMA, MONOLITH } from './target.ts';

/** One of issue 11's targets: passed, missed, or not measured in this run (a peer left out). */
export interface Verdict {
  target: string;
  outcome: 'pass' | 'fail' | 'not measured';
  detail: string;
}

/**
 * Issue 11's targets, each a ratio within this run: flagship RPS ≥ 1.0× Hive Gateway and ≥ 0.5×
 * the monolith (for each flagship workload that ran: one user, many users), p99 ≤ 3× p50 (stated
 * at 50 connections) on every operation, and zero errors.
 */
export function verdicts(summaries: readonly Summary[], connections: number): Verdict[] {
  const find = (operation: string, target: string) => summaries.find((s) => s.operation === operation && s.target === target);
  const looma = summaries.filter((s) => s.target === LOOMA);
  const against = (peer: string, floor: number): Verdict => {
    const target = `flagship RPS ≥ ${floor.toFixed(1)}× ${peer}`;
    const measured = [FLAGSHIP, FLAGSHIP_MANY].flatMap((operation) => {
      const flagship = find(operation, LOOMA);
      const other = find(operation, peer);
      return flagship && other ? [{ operation, ratio: ratio(flagship, other), looma: flagship.rps.mean, peer: other.rps.mean }] : [];
    });
    if (measured.length === 0) return { target, outcome: 'not measured', detail: `${LOOMA} and ${peer} did not both run a flagship query` };
    return {
      target,
      outcome: measured.every((m) => m.ratio >= floor) ? 'pass' : 'fail',
      detail: measured.map((m) => `${measured.length > 1 ? `${m.operation} ` : ''}${m.ratio.toFixed(2)}× (${m.looma.toFixed(0)} against ${m.peer.toFixed(0)} req/s)`).join('; '),
    };
  };
  const tails = looma.filter((s) => !(s.p99 <= 3 * s.p50));
  const failing = summaries.filter((s) => s.errors > 0);
  return [
    against(HIVE_GATEWAY, 1.0),
    against(MONOLITH, 0.5),
    {
      target: `${LOOMA} p99 ≤ 3× p50 at ${connections} connections${connections === 50 ? '' : ' (the issue states it at 50)'}`,
      outcome: looma.length === 0 ? 'not measured' : tails.length ? 'fail' : 'pass',
      detail: looma.map((s) => `${s.operation} ${(s.p99 / s.p50).toFixed(2)}×`).join(', '),
    },
    {
      target: 'zero errors',
      outcome: summaries.length === 0 ? 'not measured' : failing.length ? 'fail' : 'pass',
      detail: failing.length ? failing.map((s) => `${s.operation} on ${s.target}: ${s.errors}`).join(', ') : `${summaries.reduce((sum, s) => sum + s.responses, 0)} responses, none failed`,
    },
  ];
}
