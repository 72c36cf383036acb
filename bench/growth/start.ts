import { generateDemoDataset } from '../../demo/dataset.ts';
import type { DemoDataset } from '../../demo/types.ts';
import { loadDataset } from '../../demo/load.ts';
import { EmbeddedPostgres } from '../../platform/db/pglite.ts';
import { startSupergraph, type RunningSupergraph } from '../../platform/runner.ts';
import { definitions } from '../../subgraphs/index.ts';

/** How long each part of starting on a grown dataset took, and the memory once up. */
export interface StartTimes {
  generateMs: number;
  /** The owners' loadDemo, all subgraphs. */
  loadMs: number;
  loadMsBySubgraph: Record<string, number>;
  /** From the end of loading to every subgraph and the gateway ready and every projection built. */
  upMs: number;
  rssWhenUp: number;
}

export interface GrownLooma {
  url: string;
  dataset: DemoDataset;
  supergraph: RunningSupergraph;
  times: StartTimes;
  stop(): Promise<void>;
}

// The derived subgraphs draw from the owners' snapshot feeds before they are ready: at 100k talents that takes longer than npm start's minute.
const STARTUP_TIMEOUT_MS = 30 * 60_000;

/** The supergraph in this process on a fresh embedded store holding a dataset of `talents` talents. */
export async function startGrown(talents: number, host: string): Promise<GrownLooma> {
  let started = Date.now();
  const dataset = generateDemoDataset(undefined, talents);
  const generateMs = Date.now() - started;
  const embedded = await EmbeddedPostgres.open();
  let loadMs = 0;
  let loadMsBySubgraph: Record<string, number> = {};
  const supergraph = await startSupergraph({
    definitions,
    embedded,
    ports: 'ephemeral',
    host,
    startupTimeoutMs: STARTUP_TIMEOUT_MS,
    beforeServe: async (stores) => {
      const loading = Date.now();
      loadMsBySubgraph = await loadDataset(stores, dataset);
      loadMs = Date.now() - loading;
      started = Date.now();
    },
  }).catch(async (error: unknown) => {
    await embedded.close();
    throw error;
  });
  await supergraph.built();
  const times = { generateMs, loadMs, loadMsBySubgraph, upMs: Date.now() - started, rssWhenUp: process.memoryUsage.rss() };
  return {
    // The services answer on `host`; the URL they print says localhost, which may resolve to ::1 first.
    url: supergraph.gateway.url.replace('//localhost:', `//${host}:`),
    dataset,
    supergraph,
    times,
    stop: async () => {
      await supergraph.stop();
      await embedded.close();
    },
  };
}
