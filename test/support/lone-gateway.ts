import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { startGateway } from '../../gateway/gateway.ts';
import { ROOT } from '../../platform/registry.ts';

/** The checked-in supergraph, and the names of its subgraphs. */
export const SUPERGRAPH = readFileSync(resolve(ROOT, 'schema/supergraph.graphql'), 'utf8');
export const SUBGRAPHS = Supergraph.build(SUPERGRAPH).subgraphsMetadata().map((subgraph) => subgraph.name);

/** Where nothing listens: a subgraph that is down. */
export const DOWN = 'http://127.0.0.1:9/graphql';

/**
 * A gateway on the checked-in supergraph with every subgraph (and users) down and no limits:
 * for what the gateway answers on its own (introspection, `__typename`, its edge behaviour).
 */
export function startLoneGateway(options: Partial<Parameters<typeof startGateway>[0]> = {}) {
  return startGateway({
    supergraphSdl: SUPERGRAPH,
    urls: Object.fromEntries(SUBGRAPHS.map((name) => [name, DOWN])),
    host: '127.0.0.1',
    port: 0,
    usersUrl: DOWN,
    limits: { maxConcurrent: 0, ratePerMinute: 0 },
    production: false,
    ...options,
  });
}
