import { loadDemoData } from '../../demo/load.ts';
import { EmbeddedPostgres } from '../../platform/db/pglite.ts';
import { startSupergraph, type RunningSupergraph } from '../../platform/runner.ts';
import { definitions } from '../../subgraphs/index.ts';
import { LOOMA, type Target } from './target.ts';

export interface Looma {
  target: Target;
  supergraph: RunningSupergraph;
  /** Each subgraph's stores by its name: what the monolith serves. */
  stores: ReadonlyMap<string, unknown>;
}

/** The supergraph in this process on embedded stores with the demo data, as bench/flagship.ts starts it. */
export async function startLooma(host: string): Promise<Looma> {
  const embedded = await EmbeddedPostgres.open();
  const supergraph = await startSupergraph({ definitions, embedded, ports: 'ephemeral', host, beforeServe: loadDemoData });
  await supergraph.built();
  return {
    target: {
      name: LOOMA,
      // The services answer on `host`; the URL they print says localhost, which may resolve to ::1 first.
      url: supergraph.gateway.url.replace('//localhost:', `//${host}:`),
      stop: async () => {
        await supergraph.stop();
        await embedded.close();
      },
    },
    supergraph,
    stores: new Map([...supergraph.subgraphs].map(([name, { stores }]) => [name, stores])),
  };
}
