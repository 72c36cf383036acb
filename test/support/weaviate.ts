import weaviate from 'weaviate-client';
import type { Target } from './targets.ts';

/**
 * A Weaviate for the vector-store contract. None can run on the test machine (no package, no
 * Docker: see ../shared/TEST-SERVERS.md); docker-compose.yml runs one, and TEST_WEAVIATE_URL
 * points the suite at it.
 */
export const WEAVIATE_URL = process.env.TEST_WEAVIATE_URL ?? 'http://127.0.0.1:8080';

/** Why Weaviate cannot be used at WEAVIATE_URL ('UNREACHABLE (…)'), or null when it answers (REST and gRPC). */
export async function weaviateUnreachableReason(url = WEAVIATE_URL): Promise<string | null> {
  const { hostname, port } = new URL(url);
  try {
    const client = await weaviate.connectToCustom({
      httpHost: hostname,
      httpPort: Number(port || 8080),
      grpcHost: hostname,
      grpcPort: Number(process.env.TEST_WEAVIATE_GRPC_PORT ?? 50051),
      timeout: { init: 2 },
    });
    await client.close();
    return null;
  } catch (error) {
    // The client nests its messages ('Weaviate startup failed with message: … with message: fetch failed'): the last one says what happened.
    const message = (error as Error).message.split('\n')[0]!.split('with message: ').pop()!;
    return `UNREACHABLE (${message.slice(0, 120)})`;
  }
}

/** The Weaviate at WEAVIATE_URL as a contract suite's target. */
export async function weaviateTarget(): Promise<Target> {
  return { backend: 'Weaviate', label: `Weaviate at ${WEAVIATE_URL}`, unreachable: await weaviateUnreachableReason() };
}
