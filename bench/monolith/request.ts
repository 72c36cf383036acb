import type { Viewer } from '../../platform/auth/index.ts';
import { Loaders } from '../../platform/loaders.ts';
import type { SubgraphContext } from '../../platform/subgraph.ts';
import { isPromise } from './promises.ts';

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;

/**
 * One request to the monolith: who asks, each subgraph's context as that subgraph's server would
 * make it (one Loaders per subgraph, so its batches stay its own), which subgraph produced each
 * object the resolvers returned, and the entities already turned into a subgraph's representation.
 */
export class MonolithRequest {
  private readonly contexts = new Map<string, SubgraphContext<unknown>>();
  private readonly producers = new WeakMap<object, string>();
  private readonly representations = new Map<string, unknown>();

  constructor(
    readonly viewer: Viewer | null,
    private readonly stores: ReadonlyMap<string, unknown>,
  ) {}

  contextOf(subgraph: string): SubgraphContext<unknown> {
    let context = this.contexts.get(subgraph);
    if (!context) this.contexts.set(subgraph, (context = { viewer: this.viewer, loaders: new Loaders(), stores: this.stores.get(subgraph) }));
    return context;
  }

  /** The subgraph whose resolver returned `value`; undefined for the root value. */
  producerOf(value: unknown): string | undefined {
    return isObject(value) ? this.producers.get(value) : undefined;
  }

  /** Marks the objects in `value` (a list, nested lists, a promise of them) as `subgraph`'s; returns `value`, or the promise of it. */
  tag<Value>(value: Value, subgraph: string): Value {
    if (isPromise(value)) return value.then((resolved) => this.tag(resolved, subgraph)) as Value;
    if (Array.isArray(value)) {
      // A promise in a list: tagged once it settles (before graphql-js, which listens later, reads it); its failure is graphql-js's to report.
      for (const item of value) if (isPromise(item)) item.then((resolved) => this.tag(resolved, subgraph), () => undefined);
      else this.tag(item, subgraph);
    } else if (isObject(value)) this.producers.set(value, subgraph);
    return value;
  }

  /** `resolve()` once per request for each key: a subgraph resolves each entity once however many fields need it. */
  memoised(key: string, resolve: () => unknown): unknown {
    if (this.representations.has(key)) return this.representations.get(key);
    const resolved = resolve();
    this.representations.set(key, resolved);
    return resolved;
  }
}
