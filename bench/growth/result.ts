import type { Summary } from '../harness/aggregate.ts';
import type { StartTimes } from './start.ts';

/** One operation at one size. */
export interface OperationResult {
  summary: Summary;
  /** The process's peak RSS during the measured round, in bytes. */
  peakRss: number;
}

/** What one size's process (size.ts) reports. */
export interface SizeResult {
  talents: number;
  /** What the dataset held (the bilingual slice adds a few of each to the requested talents). */
  counts: Record<'talents' | 'companies' | 'jobs' | 'applications' | 'projects' | 'users', number>;
  times: StartTimes;
  /** The graph path's length between its two talents, or null when there was none within 6 links. */
  pathLength: number | null;
  operations: OperationResult[];
  /** The peak RSS of the whole size: start-up, loading and every round. */
  peakRss: number;
  pinning: string;
}
