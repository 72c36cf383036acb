/** One round of the run: a warm-up (not counted) or a measured round, of one operation on one target. */
export interface Phase {
  operation: string;
  target: string;
  /** 0 for a warm-up, else 1 to `rounds`. */
  round: number;
}

/**
 * The order of the run, operation by operation: a warm-up on each target, then the measured rounds
 * alternating the targets (A/B/A/B…), so a drift of the machine over time falls on all of them alike.
 */
export function schedule(operations: readonly string[], targets: readonly string[], rounds: number): Phase[] {
  return operations.flatMap((operation) => [
    ...targets.map((target) => ({ operation, target, round: 0 })),
    ...Array.from({ length: rounds }, (_, index) => targets.map((target) => ({ operation, target, round: index + 1 }))).flat(),
  ]);
}
