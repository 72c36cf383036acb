import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../platform/registry.ts';
import { startMonolith } from '../monolith/server.ts';
import { startHiveGateway } from '../peers/hive-gateway.ts';
import type { Looma } from './looma.ts';
import { HIVE_GATEWAY, MONOLITH, type Target } from './target.ts';

/**
 * The peers, started in this process beside Looma: Hive Gateway (its defaults, but for `hiveDedupe`)
 * on the same supergraph file and the same running subgraphs, and the monolith on the same stores.
 */
export async function startPeers(looma: Looma, host: string, hiveDedupe: boolean): Promise<Target[]> {
  const hive = await startHiveGateway({
    supergraphSdl: readFileSync(join(ROOT, 'schema', 'supergraph.graphql'), 'utf8'),
    urls: Object.fromEntries([...looma.supergraph.subgraphs].map(([name, { service }]) => [name, service.url])),
    port: 0,
    host,
    deduplicateInflightRequests: hiveDedupe,
  });
  const monolith = await startMonolith({ stores: looma.stores, port: 0, host });
  return [
    { name: HIVE_GATEWAY, url: hive.url, stop: () => hive.stop() },
    // The URL it prints says localhost, which may resolve to ::1 first.
    { name: MONOLITH, url: monolith.url.replace('//localhost:', `//${host}:`), stop: () => monolith.stop() },
  ];
}
