import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import { unreachableReason, type Target } from './targets.ts';

/** The test server from test/servers/neo4j (no auth, private to tests: suites wipe it). */
export const NEO4J_URL = process.env.TEST_NEO4J_URL ?? 'bolt://127.0.0.1:7687';

/** Why no Neo4j can be used at `url` ('UNREACHABLE (…)'), or null when one answers. */
export async function neo4jUnreachableReason(url = NEO4J_URL): Promise<string | null> {
  const driver = neo4j.driver(url, undefined, { connectionTimeout: 2000, maxConnectionLifetime: 5000 });
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('no answer within 3 s')), 3000);
    });
    await Promise.race([driver.verifyConnectivity(), timeout]);
    return null;
  } catch (error) {
    return unreachableReason(error);
  } finally {
    clearTimeout(timer);
    await driver.close().catch(() => undefined);
  }
}

export async function isNeo4jReachable(url = NEO4J_URL): Promise<boolean> {
  return (await neo4jUnreachableReason(url)) === null;
}

/** The Neo4j at NEO4J_URL as a contract suite's target. */
export async function neo4jTarget(): Promise<Target> {
  return { backend: 'Neo4j', label: `Neo4j at ${NEO4J_URL}`, unreachable: await neo4jUnreachableReason() };
}

const LOCK = join(tmpdir(), `looma-test-neo4j-${new URL(NEO4J_URL).port || '7687'}.lock`);

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Neo4j Community has one database, and each suite using it wipes it: test files running in
 * parallel workers take turns through this lock (a directory, created atomically). A lock left
 * by a dead process is taken over.
 */
export async function lockNeo4j(): Promise<() => Promise<void>> {
  for (;;) {
    try {
      await mkdir(LOCK);
      await writeFile(join(LOCK, 'pid'), String(process.pid));
      return () => rm(LOCK, { recursive: true, force: true });
    } catch {
      const holder = Number(await readFile(join(LOCK, 'pid'), 'utf8').catch(() => ''));
      if (holder && !alive(holder)) await rm(LOCK, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
