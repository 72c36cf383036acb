/**
 * A per-subgraph circuit breaker: a small state machine rather than a library, because it counts
 * *consecutive* failed calls (opossum counts a percentage over a rolling window) and must let
 * exactly one trial call through when half-open.
 *
 *   closed ──(N consecutive failures)──▶ open ──(cool-down elapsed, next call)──▶ half-open
 *   half-open ──(trial succeeds)──▶ closed          half-open ──(trial fails)──▶ open
 *
 * While open (and while a half-open trial is in flight) calls fail fast, with no network call.
 */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** The gauge value of each state: 0 closed, 1 half-open, 2 open. */
export const CIRCUIT_STATE_VALUE: Record<CircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };

export interface BreakerOptions {
  /** Consecutive failed calls that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one trial call is let through. */
  cooldownMs: number;
  now?: () => number;
  onStateChange?: (state: CircuitState) => void;
}

export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private readonly now: () => number;

  constructor(private readonly options: BreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    return this.current;
  }

  /**
   * Whether a call may go out now. An open circuit whose cool-down has elapsed turns half-open and
   * admits this one call as its trial; every other call is refused until the trial settles.
   */
  tryAcquire(): boolean {
    if (this.current === 'closed') return true;
    if (this.current === 'open') {
      if (this.now() - this.openedAt < this.options.cooldownMs) return false;
      this.transition('half-open');
    }
    if (this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  /** The admitted call got an answer from the subgraph. */
  recordSuccess(): void {
    this.failures = 0;
    this.trialInFlight = false;
    if (this.current !== 'closed') this.transition('closed');
  }

  /** The admitted call failed (no answer, a timeout, a 5xx or a 429). */
  recordFailure(): void {
    this.trialInFlight = false;
    this.failures += 1;
    if (this.current === 'half-open' || (this.current === 'closed' && this.failures >= this.options.failureThreshold)) {
      this.openedAt = this.now();
      this.transition('open');
    }
  }

  /** The admitted call ended without a verdict on the subgraph (the client went away): frees a half-open trial. */
  release(): void {
    this.trialInFlight = false;
  }

  private transition(state: CircuitState): void {
    this.current = state;
    this.options.onStateChange?.(state);
  }
}
