import { readFileSync, unwatchFile, watchFile, type Stats } from 'node:fs';
import type { ApolloGateway, SupergraphManager } from '@apollo/gateway';
import { Supergraph } from '@apollo/federation-internals';
import { Counter, Gauge, type Registry } from 'prom-client';
import { logger } from '../platform/logger.ts';

type Update = (supergraphSdl: string) => void;

/**
 * Where the gateway's supergraph comes from: a fixed SDL (composed in-process by `npm start`),
 * or a file (scripts/serve.ts) watched for changes and reloaded without a restart.
 *
 * A changed file is checked (parsed and validated as a supergraph) before the gateway gets it;
 * one that fails is logged, counted under `gateway_supergraph_reloads_total{outcome="rejected"}`,
 * and the schema already loaded keeps serving. Operations already running finish on the schema
 * and query plan they started with: Apollo Server hands each request the schema of its start.
 */
export class SupergraphSource implements SupergraphManager {
  private sdl: string | undefined;
  private readonly reloads: Counter<'outcome'>;
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly from: { sdl: string } | { path: string; pollMs: number },
    registry: Registry,
  ) {
    this.reloads = new Counter({
      name: 'gateway_supergraph_reloads_total',
      help: 'Changes of the supergraph file the gateway saw: outcome "applied" (now serving) or "rejected" (invalid; the previous one kept serving)',
      labelNames: ['outcome'],
      registers: [registry],
    });
    const loaded = () => this.loaded;
    new Gauge({
      name: 'gateway_supergraph_loaded',
      help: '1 once the gateway serves a supergraph, 0 before',
      registers: [registry],
      collect() {
        this.set(loaded() ? 1 : 0);
      },
    });
  }

  /** Whether the gateway serves a supergraph yet: what /health/ready waits for. */
  get loaded(): boolean {
    return this.sdl !== undefined;
  }

  /** The supergraph SDL the gateway serves now. */
  get current(): string | undefined {
    return this.sdl;
  }

  /** Each subgraph of the supergraph served now, with the routing URL it names. */
  subgraphs(): { name: string; url: string }[] {
    if (!this.sdl) return [];
    return Supergraph.build(this.sdl)
      .subgraphsMetadata()
      .map(({ name, url }) => ({ name, url }));
  }

  /** Follows what the gateway actually loaded, on start and on every applied change. */
  attach(gateway: ApolloGateway): void {
    gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
      this.sdl = coreSupergraphSdl;
    });
  }

  /** Called by ApolloGateway once, on start: the first supergraph, and the watch that follows the file. */
  async initialize({ update }: { update: Update }): Promise<{ supergraphSdl: string; cleanup?: () => Promise<void> }> {
    if ('sdl' in this.from) return { supergraphSdl: this.from.sdl };
    const { path, pollMs } = this.from;
    const first = readFileSync(path, 'utf8');
    // A file that is no supergraph fails the start, loudly, rather than a gateway serving nothing.
    validate(first);
    const changed = (now: Stats, before: Stats) => {
      if (now.mtimeMs === before.mtimeMs && now.size === before.size) return;
      // One reload at a time, in the order the changes were seen.
      this.pending = this.pending.then(() => this.reload(path, update));
    };
    watchFile(path, { interval: pollMs, persistent: false }, changed);
    return {
      supergraphSdl: first,
      cleanup: async () => {
        unwatchFile(path, changed);
        await this.pending;
      },
    };
  }

  private async reload(path: string, update: Update): Promise<void> {
    let sdl: string;
    try {
      sdl = readFileSync(path, 'utf8');
    } catch (error) {
      this.reject(path, error);
      return;
    }
    if (sdl === this.sdl) return;
    try {
      validate(sdl);
      update(sdl);
    } catch (error) {
      this.reject(path, error);
      return;
    }
    this.reloads.inc({ outcome: 'applied' });
    logger.info({ path }, 'supergraph reloaded');
  }

  private reject(path: string, error: unknown): void {
    this.reloads.inc({ outcome: 'rejected' });
    logger.error({ err: error, path }, 'supergraph change rejected; the previous supergraph keeps serving');
  }
}

/** Throws unless `sdl` is a valid supergraph (whatever NODE_ENV says about the gateway's own check). */
function validate(sdl: string): void {
  Supergraph.build(sdl, { validateSupergraph: true });
}
