import { Client } from '@elastic/elasticsearch';
import { unreachableReason, type Target } from './targets.ts';

/** The test server from test/servers/elasticsearch (Elasticsearch 8, no auth, private to tests). */
export const ELASTICSEARCH_URL = process.env.TEST_ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200';

/** Why no Elasticsearch can be used at `url` ('UNREACHABLE (…)'), or null when one answers through the client (its product check included). */
export async function elasticsearchUnreachableReason(url = ELASTICSEARCH_URL): Promise<string | null> {
  const client = new Client({ node: url, requestTimeout: 2000, maxRetries: 0 });
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('no answer within 3 s')), 3000);
    });
    const health = await Promise.race([client.cluster.health({ timeout: '2s' }), timeout]);
    return health.status === 'green' || health.status === 'yellow' ? null : `UNREACHABLE (cluster health ${health.status})`;
  } catch (error) {
    return unreachableReason(error);
  } finally {
    clearTimeout(timer);
    await client.close().catch(() => undefined);
  }
}

/** True if an Elasticsearch answers at `url` through the client (its product check included). */
export async function isElasticsearchReachable(url = ELASTICSEARCH_URL): Promise<boolean> {
  return (await elasticsearchUnreachableReason(url)) === null;
}

/** The Elasticsearch at ELASTICSEARCH_URL as a contract suite's target. */
export async function elasticsearchTarget(): Promise<Target> {
  return { backend: 'Elasticsearch', label: `Elasticsearch at ${ELASTICSEARCH_URL}`, unreachable: await elasticsearchUnreachableReason() };
}
