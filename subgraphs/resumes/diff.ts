/**
 * The difference between two JSON documents (two versions of a resume) as a flat list of
 * changes with paths such as `experience[1].title`. Pure: no I/O, no knowledge of resumes.
 *
 * Lists are aligned on their unchanged entries (longest common subsequence), so inserting one
 * skill at the front reports one ADDED entry instead of a cascade of CHANGED ones. Between two
 * aligned entries, removed and added entries are paired up in order and compared field by field.
 * List positions in paths refer to the `after` document, except for REMOVED entries, which
 * refer to the `before` document.
 */

export type ChangeKind = 'ADDED' | 'REMOVED' | 'CHANGED';

export interface Change {
  path: string;
  kind: ChangeKind;
  /** JSON of the value before; null when ADDED. */
  before: string | null;
  /** JSON of the value after; null when REMOVED. */
  after: string | null;
}

export function diffDocuments(before: unknown, after: unknown): Change[] {
  const changes: Change[] = [];
  compare(before, after, '', changes);
  return changes;
}

function compare(before: unknown, after: unknown, path: string, changes: Change[]): void {
  if (deepEqual(before, after)) return;
  if (before == null) {
    changes.push({ path, kind: 'ADDED', before: null, after: JSON.stringify(after) });
  } else if (after == null) {
    changes.push({ path, kind: 'REMOVED', before: JSON.stringify(before), after: null });
  } else if (Array.isArray(before) && Array.isArray(after)) {
    compareLists(before, after, path, changes);
  } else if (isRecord(before) && isRecord(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of keys) compare(before[key], after[key], path ? `${path}.${key}` : key, changes);
  } else {
    changes.push({ path, kind: 'CHANGED', before: JSON.stringify(before), after: JSON.stringify(after) });
  }
}

function compareLists(before: readonly unknown[], after: readonly unknown[], path: string, changes: Change[]): void {
  let fromBefore = 0;
  let fromAfter = 0;
  // A sentinel match past both ends flushes the trailing run.
  for (const [matchBefore, matchAfter] of [...commonEntries(before, after), [before.length, after.length] as const]) {
    const removed = matchBefore - fromBefore;
    const added = matchAfter - fromAfter;
    const paired = Math.min(removed, added);
    for (let offset = 0; offset < paired; offset++) {
      compare(before[fromBefore + offset], after[fromAfter + offset], `${path}[${fromAfter + offset}]`, changes);
    }
    for (let offset = paired; offset < removed; offset++) {
      const index = fromBefore + offset;
      changes.push({ path: `${path}[${index}]`, kind: 'REMOVED', before: JSON.stringify(before[index]), after: null });
    }
    for (let offset = paired; offset < added; offset++) {
      const index = fromAfter + offset;
      changes.push({ path: `${path}[${index}]`, kind: 'ADDED', before: null, after: JSON.stringify(after[index]) });
    }
    fromBefore = matchBefore + 1;
    fromAfter = matchAfter + 1;
  }
}

/** Index pairs of a longest common subsequence of equal entries, in order. */
function commonEntries(before: readonly unknown[], after: readonly unknown[]): (readonly [number, number])[] {
  // lengths[i][j] = LCS length of before[i..] and after[j..]; resume lists are short, so O(n·m) is fine.
  const lengths = Array.from({ length: before.length + 1 }, () => new Array<number>(after.length + 1).fill(0));
  for (let i = before.length - 1; i >= 0; i--) {
    for (let j = after.length - 1; j >= 0; j--) {
      lengths[i]![j] = deepEqual(before[i], after[j])
        ? lengths[i + 1]![j + 1]! + 1
        : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  const pairs: (readonly [number, number])[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length && j < after.length) {
    if (deepEqual(before[i], after[j])) pairs.push([i++, j++] as const);
    else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // Absent and null mean the same in a document.
  if (a == null || b == null) return a == null && b == null;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!deepEqual(a[key], b[key])) return false;
    return true;
  }
  return false;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
