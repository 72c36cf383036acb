import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type CircuitState } from './breaker.ts';
import { resilienceOptionsFromEnv } from './config.ts';
import { retryAfterMs } from './subgraph-calls.ts';

function failThrice(subject: CircuitBreaker) {
  for (let i = 0; i < 3; i++) {
    subject.tryAcquire();
    subject.recordFailure();
  }
}

function breaker() {
  let now = 0;
  const changes: CircuitState[] = [];
  const subject = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1000, now: () => now, onStateChange: (state) => changes.push(state) });
  return { subject, changes, advance: (ms: number) => (now += ms) };
}

describe('circuit breaker', () => {
  it('opens after N consecutive failures, and only consecutive ones count', () => {
    const { subject, changes } = breaker();
    for (let i = 0; i < 2; i++) {
      expect(subject.tryAcquire()).toBe(true);
      subject.recordFailure();
    }
    subject.tryAcquire();
    subject.recordSuccess(); // resets the count
    for (let i = 0; i < 2; i++) {
      subject.tryAcquire();
      subject.recordFailure();
    }
    expect(subject.state).toBe('closed');
    subject.tryAcquire();
    subject.recordFailure();
    expect(subject.state).toBe('open');
    expect(changes).toEqual(['open']);
  });

  it('fails fast while open, lets one trial through after the cool-down, and closes on its success', () => {
    const { subject, changes, advance } = breaker();
    failThrice(subject);
    expect(subject.tryAcquire()).toBe(false);
    advance(999);
    expect(subject.tryAcquire()).toBe(false);
    advance(1);
    expect(subject.tryAcquire()).toBe(true);
    expect(subject.state).toBe('half-open');
    expect(subject.tryAcquire()).toBe(false); // one trial at a time
    subject.recordSuccess();
    expect(subject.state).toBe('closed');
    expect(subject.tryAcquire()).toBe(true);
    expect(changes).toEqual(['open', 'half-open', 'closed']);
  });

  it('opens again when the half-open trial fails, for a whole new cool-down', () => {
    const { subject, changes, advance } = breaker();
    failThrice(subject);
    advance(1000);
    expect(subject.tryAcquire()).toBe(true);
    subject.recordFailure();
    expect(subject.state).toBe('open');
    advance(999);
    expect(subject.tryAcquire()).toBe(false);
    advance(1);
    expect(subject.tryAcquire()).toBe(true);
    expect(changes).toEqual(['open', 'half-open', 'open', 'half-open']);
  });

  it('frees the half-open trial slot when the caller gave up without a verdict', () => {
    const { subject, advance } = breaker();
    failThrice(subject);
    advance(1000);
    expect(subject.tryAcquire()).toBe(true);
    subject.release();
    expect(subject.state).toBe('half-open');
    expect(subject.tryAcquire()).toBe(true);
  });
});

describe('resilience configuration', () => {
  it('reads the defaults and per-subgraph timeouts from the environment', () => {
    expect(resilienceOptionsFromEnv({})).toEqual({
      timeoutMs: 10_000,
      timeoutMsBySubgraph: {},
      retries: 2,
      retryBaseMs: 100,
      retryMaxDelayMs: 2_000,
      breakerFailures: 5,
      breakerCooldownMs: 30_000,
      replicaProbeMs: 2_000,
      shareQueries: true,
      batchEntities: true,
    });
    expect(resilienceOptionsFromEnv({ GATEWAY_SHARE_QUERIES: 'false' }).shareQueries).toBe(false);
    expect(resilienceOptionsFromEnv({ GATEWAY_BATCH_ENTITIES: 'false' }).batchEntities).toBe(false);
    const options = resilienceOptionsFromEnv({ GATEWAY_SUBGRAPH_TIMEOUT_MS: '5000', GATEWAY_AI_TIMEOUT_MS: '30000', AI_TIMEOUT_MS: '1' });
    expect(options.timeoutMs).toBe(5000);
    expect(options.timeoutMsBySubgraph).toEqual({ ai: 30_000 });
    expect(() => resilienceOptionsFromEnv({ GATEWAY_SUBGRAPH_RETRIES: 'many' })).toThrow(/GATEWAY_SUBGRAPH_RETRIES/);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});
