/**
 * Summarises a V8 CPU profile (what `node --cpu-prof` and the inspector's Profiler write): self time
 * by where the code lives — an npm package, a folder of this project, Node's internals, or V8's own
 * buckets (garbage collector, idle, program) — and the functions with the most self time.
 */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
  /** Sample node ids, in order. */
  samples: number[];
  /** Microseconds between consecutive samples. */
  timeDeltas: number[];
  /** When recording began, in microseconds on the clock of `process.hrtime`. */
  startTime?: number;
}

/**
 * The samples taken within `spans` (microseconds on the profile's clock, `process.hrtime`'s),
 * each still charged the time to the sample after it: what ran during those stretches.
 */
export function samplesWithin(profile: CpuProfile, spans: readonly (readonly [number, number])[]): CpuProfile {
  const samples: number[] = [];
  const timeDeltas = [0];
  let at = profile.startTime ?? 0;
  profile.samples.forEach((id, index) => {
    at += profile.timeDeltas[index] ?? 0;
    if (!spans.some(([from, to]) => at >= from && at < to)) return;
    samples.push(id);
    timeDeltas.push(profile.timeDeltas[index + 1] ?? 0);
  });
  return { ...profile, samples, timeDeltas };
}

export interface Share {
  name: string;
  ms: number;
  percent: number;
}

export interface ProfileSummary {
  /** Time the process was busy (every sample but V8's `(idle)`). */
  busyMs: number;
  idleMs: number;
  byPlace: Share[];
  byFunction: Share[];
}

const pathOf = (url: string) => (url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url);

/** Where a frame's code lives: `@apollo/query-planner`, `gateway/`, `subgraphs/jobs/`, `node:internal`, `(garbage collector)`… */
export function placeOf(url: string, functionName: string, root: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node:internal';
  if (url.startsWith('wasm://')) return '(WebAssembly: PGlite)';
  const path = pathOf(url);
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [first, second] = path.slice(modules + '/node_modules/'.length).split('/');
    return first?.startsWith('@') ? `${first}/${second}` : (first ?? path);
  }
  if (path.startsWith(root)) {
    const [top, next] = path.slice(root.length).replace(/^\//, '').split('/');
    return top === 'subgraphs' && next ? `subgraphs/${next}/` : `${top}/`;
  }
  return path;
}

const IDLE = '(idle)';

/** Self time per sample's node (each sample is charged the time until the next one); shares are of the busy time. */
export function summariseProfile(profile: CpuProfile, root: string, top = 20): ProfileSummary {
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index + 1] ?? 0)));
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busyUs = 0;
  let idleUs = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    if (us === 0) continue;
    if (!url && functionName === IDLE) {
      idleUs += us;
      continue;
    }
    busyUs += us;
    const place = placeOf(url, functionName, root);
    byPlace.set(place, (byPlace.get(place) ?? 0) + us);
    const name = url ? `${functionName || '(anonymous)'} (${fileLabel(url, place, root)}:${lineNumber + 1})` : functionName;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  }
  const shares = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, percent: busyUs ? (100 * us) / busyUs : 0 }));
  return { busyMs: busyUs / 1000, idleMs: idleUs / 1000, byPlace: shares(byPlace), byFunction: shares(byFunction) };
}

/** A project file by its path from the root; a package's file by the package's name. */
export function fileLabel(url: string, place: string, root: string): string {
  const path = pathOf(url);
  return place.endsWith('/') && path.startsWith(root) ? path.slice(root.length).replace(/^\//, '') : place;
}

/** Markdown tables of a summary. */
export function profileTables(summary: ProfileSummary): string {
  const table = (title: string, shares: Share[]) => [
    `| ${title} | self time | share |`,
    '|---|---|---|',
    ...shares.map((share) => `| \`${share.name.replaceAll('|', '\\|')}\` | ${share.ms.toFixed(0)} ms | ${share.percent.toFixed(1)} % |`),
  ];
  return [
    `Busy ${(summary.busyMs / 1000).toFixed(1)} s, idle ${(summary.idleMs / 1000).toFixed(1)} s; shares are of the busy time.`,
    '',
    ...table('where the code lives', summary.byPlace),
    '',
    ...table('function', summary.byFunction),
  ].join('\n');
}
