import { connect } from 'node:net';
import { POSTGRES_URL, isPostgresReachable } from './databases.ts';
import { ELASTICSEARCH_URL, isElasticsearchReachable } from './elasticsearch.ts';
import { MONGODB_URL, isMongoDBReachable } from './mongodb.ts';
import { REDIS_URL } from './redis.ts';

function listening(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || defaultPort) });
    socket.setTimeout(1_500, () => socket.destroy());
    socket.once('connect', () => (socket.end(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
  });
}

/** Says once, by name, which real backends the suites run against in this run and which they skip. */
export default async function announceBackends(): Promise<void> {
  const redact = (url: string) => url.replace(/:[^:@/]+@/, ':***@');
  const redisUrl = REDIS_URL;
  const neo4jUrl = process.env.TEST_NEO4J_URL ?? 'bolt://127.0.0.1:7687';
  const backends = [
    { name: `PostgreSQL at ${redact(POSTGRES_URL)}`, up: await isPostgresReachable() },
    { name: `Redis at ${redisUrl}`, up: await listening(redisUrl, 6379) },
    { name: `Neo4j at ${neo4jUrl}`, up: await listening(neo4jUrl, 7687) },
    { name: `Elasticsearch at ${ELASTICSEARCH_URL}`, up: await isElasticsearchReachable() },
    { name: `MongoDB at ${redact(MONGODB_URL)}`, up: await isMongoDBReachable() },
  ];
  console.log(`Store backends: PGlite (embedded) always; ${backends.map((b) => `${b.name} ${b.up ? 'reachable' : 'UNREACHABLE — its suites are skipped'}`).join('; ')}`);
}
