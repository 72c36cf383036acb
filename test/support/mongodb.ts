import { MongoClient } from 'mongodb';
import { unreachableReason, type Target } from './targets.ts';

/**
 * The test server from test/servers/mongo (mongo-java-server: MongoDB wire protocol, in memory,
 * standalone, no auth, private to tests). It has no transactions and no `hello` command: see
 * test/servers/mongo/README.md for what it lacks.
 */
export const MONGODB_URL = process.env.TEST_MONGODB_URL ?? 'mongodb://127.0.0.1:27017';

/** Why no MongoDB (or wire-compatible server the driver accepts) can be used at `url` ('UNREACHABLE (…)'), or null when one answers `ping`. */
export async function mongodbUnreachableReason(url = MONGODB_URL): Promise<string | null> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 2000, connectTimeoutMS: 2000 });
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('no answer within 3 s')), 3000);
    });
    const reply = await Promise.race([client.db('admin').command({ ping: 1 }), timeout]);
    return reply.ok === 1 ? null : 'UNREACHABLE (ping not ok)';
  } catch (error) {
    return unreachableReason(error);
  } finally {
    clearTimeout(timer);
    await client.close().catch(() => undefined);
  }
}

/** True if a MongoDB (or a wire-compatible server the driver accepts) answers `ping` at `url`. */
export async function isMongoDBReachable(url = MONGODB_URL): Promise<boolean> {
  return (await mongodbUnreachableReason(url)) === null;
}

/** The server at MONGODB_URL as a contract suite's target (test/support/contract.ts). */
export async function mongodbTarget(): Promise<Target> {
  const label = `MongoDB at ${MONGODB_URL.replace(/:[^:@/]+@/, ':***@')}`;
  return { backend: 'MongoDB', label, unreachable: await mongodbUnreachableReason() };
}
