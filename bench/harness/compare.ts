/**
 * Where two answers' data first differ, as a path and the two values (`talents.edges.3.node.name:
 * "Ann" against "Bob"`), or undefined when they are the same. Key order does not matter; list order does.
 */
export function firstDifference(a: unknown, b: unknown, path: string[] = []): string | undefined {
  const at = () => (path.length ? path.join('.') : '(root)');
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i >= a.length || i >= b.length) return `${at()}: ${a.length} items against ${b.length}`;
      const found = firstDifference(a[i], b[i], [...path, String(i)]);
      if (found) return found;
    }
    return undefined;
  }
  if (isRecord(a) && isRecord(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      if (!(key in a) || !(key in b)) return `${[...path, key].join('.')}: ${key in a ? 'present' : 'missing'} against ${key in b ? 'present' : 'missing'}`;
      const found = firstDifference(a[key], b[key], [...path, key]);
      if (found) return found;
    }
    return undefined;
  }
  return Object.is(a, b) ? undefined : `${at()}: ${JSON.stringify(a)} against ${JSON.stringify(b)}`;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
