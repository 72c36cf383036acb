import { MongoClient } from 'mongodb';

/**
 * The test server from test/servers/mongo (mongo-java-server: MongoDB wire protocol, in memory,
 * standalone, no auth, private to tests). It has no transactions and no `hello` command: see
 * test/servers/mongo/README.md for what it lacks.
 */
export const MONGODB_URL = process.env.TEST_MONGODB_URL ?? 'mongodb://127.0.0.1:27017';

/** True if a MongoDB (or a wire-compatible server the driver accepts) answers `ping` at `url`. */
export async function isMongoDBReachable(url = MONGODB_URL): Promise<boolean> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 2000, connectTimeoutMS: 2000 });
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), 3000);
    });
    const reply = await Promise.race([client.db('admin').command({ ping: 1 }), timeout]);
    return reply.ok === 1;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    await client.close().catch(() => undefined);
  }
}
