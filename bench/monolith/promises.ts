const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;

export const isPromise = (value: unknown): value is Promise<unknown> => isObject(value) && typeof (value as { then?: unknown }).then === 'function';

/** `next(value)`, after `value` settles when it is a promise: resolvers stay synchronous where the subgraph's are. */
export const settled = (value: unknown, next: (value: unknown) => unknown): unknown => (isPromise(value) ? value.then(next) : next(value));
