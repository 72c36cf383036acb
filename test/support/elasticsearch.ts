import { Client } from '@elastic/elasticsearch';

/** The test server from test/servers/elasticsearch (Elasticsearch 8, no auth, private to tests). */
export const ELASTICSEARCH_URL = process.env.TEST_ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200';

/** True if an Elasticsearch answers at `url` through the client (its product check included). */
export async function isElasticsearchReachable(url = ELASTICSEARCH_URL): Promise<boolean> {
  const client = new Client({ node: url, requestTimeout: 2000, maxRetries: 0 });
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), 3000);
    });
    const health = await Promise.race([client.cluster.health({ timeout: '2s' }), timeout]);
    return health.status === 'green' || health.status === 'yellow';
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    await client.close().catch(() => undefined);
  }
}
