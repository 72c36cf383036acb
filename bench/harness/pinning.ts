import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** How the server and the load generator share the cores; what the report says of it. */
export interface Pinning {
  /** The command and arguments that start the load process on its own core (empty: unpinned). */
  loadPrefix: string[];
  description: string;
}

const hasTaskset = () => {
  try {
    execFileSync('sh', ['-c', 'command -v taskset'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/**
 * With taskset and two cores or more: every thread of this process (the gateway, the subgraphs,
 * the peers, libuv's pool) on core 0, the load process on core 1, so the load generator never
 * takes the gateway's core. Otherwise nothing is pinned, and the report says so.
 */
export function pinCores(): Pinning {
  const cores = availableParallelism();
  if (cores < 2) return { loadPrefix: [], description: `not pinned: ${cores} core, the load generator shares it with the server` };
  if (!hasTaskset()) return { loadPrefix: [], description: `not pinned: no taskset (util-linux) on this machine; ${cores} cores shared by the server and the load generator` };
  // -a: every thread of the process, not only its main thread.
  execFileSync('taskset', ['-a', '-cp', '0', String(process.pid)], { stdio: 'ignore' });
  return {
    loadPrefix: ['taskset', '-c', '1'],
    description: `pinned with taskset: the server process (gateway, subgraphs and peers) on core 0, autocannon on core 1, of ${cores} cores`,
  };
}
