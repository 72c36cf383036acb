import { describe, expect, it } from 'vitest';
import { ReplicaSet, replicaUrls, type Replica } from './replicas.ts';

/** A replica set on a clock the test moves, whose probes answer as `ready` says. */
function replicaSet(probeMs = 100) {
  let clock = 0;
  const ready = new Map<string, boolean>();
  const events: string[] = [];
  const fetch = (async (url: URL) => new Response(null, { status: ready.get(url.host) === false ? 503 : 200 })) as unknown as typeof globalThis.fetch;
  const set = new ReplicaSet('beta', ['http://a:1/graphql', 'http://b:1/graphql'], probeMs, {
    onEject: (replica) => events.push(`out ${replica.label}`),
    onRestore: (replica) => events.push(`in ${replica.label}`),
  }, fetch, () => clock);
  const [a, b] = set.replicas as [Replica, Replica];
  return { set, a, b, ready, events, advance: (ms: number) => (clock += ms) };
}

describe('replica set', () => {
  it('reads a comma-separated list of URLs, and refuses one that is no URL', () => {
    expect(replicaUrls(' http://a:1/graphql, http://b:1/graphql ,http://a:1/graphql')).toEqual(['http://a:1/graphql', 'http://b:1/graphql']);
    expect(() => replicaUrls('http://a:1/graphql,not a url')).toThrow();
  });

  it('keeps a replica that fails again out twice as long each time, until a call succeeds on it', async () => {
    const { set, a, events, advance } = replicaSet(100);
    try {
      set.eject(a);
      await set.probeEjected();
      expect(a.ejectedAt).toBeDefined(); // its 100 ms are not over
      advance(100);
      await set.probeEjected();
      expect(a.ejectedAt).toBeUndefined();

      // Ready again, but failing again: out for 200 ms, then 400 ms.
      set.eject(a);
      advance(100);
      await set.probeEjected();
      expect(a.ejectedAt).toBeDefined();
      advance(100);
      await set.probeEjected();
      expect(a.ejectedAt).toBeUndefined();
      set.eject(a);
      advance(300);
      await set.probeEjected();
      expect(a.ejectedAt).toBeDefined();
      advance(100);
      await set.probeEjected();
      expect(a.ejectedAt).toBeUndefined();

      // A call that succeeds ends the streak: the next ejection is a short one again.
      set.succeeded(a);
      set.eject(a);
      advance(100);
      await set.probeEjected();
      expect(a.ejectedAt).toBeUndefined();
      expect(events.filter((event) => event === 'out a:1')).toHaveLength(4);
    } finally {
      set.close();
    }
  });

  it('keeps out a replica whose probe fails, and sends calls round all replicas once every one is out', async () => {
    const { set, a, b, ready, advance } = replicaSet(100);
    try {
      ready.set('a:1', false);
      set.eject(a);
      set.eject(b);
      advance(100);
      await set.probeEjected();
      expect(a.ejectedAt).toBeDefined();
      expect(b.ejectedAt).toBeUndefined();
      set.eject(b);
      const picks = [set.pick(new Set()), set.pick(new Set()), set.pick(new Set()), set.pick(new Set())].map((replica) => replica?.label);
      expect(new Set(picks)).toEqual(new Set(['a:1', 'b:1']));
      expect(set.pick(new Set([a, b]))).toBeUndefined();
      expect(set.hasCandidate(new Set([a, b]))).toBe(false);
    } finally {
      set.close();
    }
  });
});
