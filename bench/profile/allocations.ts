import { fileLabel, placeOf } from './summary.ts';

/**
 * Summarises a V8 sampling heap profile (the inspector's `HeapProfiler.stopSampling`, recorded
 * with the objects collected by either collector kept in): the bytes allocated by where the
 * allocating code lives and by function. Garbage is what the collector must chase: the bytes a
 * request allocates, not those it keeps, set how often the young generation is swept.
 */
export interface SamplingHeapProfile {
  head: AllocationNode;
}

interface AllocationNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: AllocationNode[];
}

export interface AllocationShare {
  name: string;
  bytes: number;
  percent: number;
}

export interface AllocationSummary {
  bytes: number;
  byPlace: AllocationShare[];
  byFunction: AllocationShare[];
}

export function summariseAllocations(profile: SamplingHeapProfile, root: string, top = 15): AllocationSummary {
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let bytes = 0;
  const add = (map: Map<string, number>, key: string, size: number) => map.set(key, (map.get(key) ?? 0) + size);
  const stack = [profile.head];
  for (let node = stack.pop(); node; node = stack.pop()) {
    stack.push(...node.children);
    if (node.selfSize === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const place = placeOf(url, functionName, root);
    bytes += node.selfSize;
    add(byPlace, place, node.selfSize);
    add(byFunction, url ? `${functionName || '(anonymous)'} (${fileLabel(url, place, root)}:${lineNumber + 1})` : functionName || '(anonymous)', node.selfSize);
  }
  const shares = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, size]) => ({ name, bytes: size, percent: bytes ? (100 * size) / bytes : 0 }));
  return { bytes, byPlace: shares(byPlace), byFunction: shares(byFunction) };
}

/** Markdown tables of a summary, with the bytes per response when `responses` is given. */
export function allocationTables(summary: AllocationSummary, responses?: number, what: 'Allocated' | 'Outlived a young collection' = 'Allocated'): string {
  const megabytes = (size: number) => `${(size / 1e6).toFixed(0)} MB`;
  const table = (title: string, shares: AllocationShare[]) => [
    `| ${title} | allocated | share |`,
    '|---|---|---|',
    ...shares.map((share) => `| \`${share.name.replaceAll('|', '\\|')}\` | ${megabytes(share.bytes)} | ${share.percent.toFixed(1)} % |`),
  ];
  const perResponse = responses ? `, ${(summary.bytes / responses / 1e3).toFixed(0)} KB per response` : '';
  return [`${what}: ${megabytes(summary.bytes)} (sampled)${perResponse}.`, '', ...table('where the code lives', summary.byPlace), '', ...table('function', summary.byFunction)].join('\n');
}
