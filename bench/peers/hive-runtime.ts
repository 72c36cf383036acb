import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The part of Hive Gateway's runtime API the peer uses, typed here rather than imported: Hive's
 * type declarations bring graphql-yoga's global augmentation of `GraphQLErrorExtensions`
 * (`http.headers` as a plain object), which would break Looma's own errors (Apollo's `http.headers`
 * is a Map) in every file `tsc` checks. So the package is loaded by a specifier TypeScript does not
 * resolve, and these declarations describe what is used of it (@graphql-hive/gateway 2.x).
 */

/** One request to a subgraph, as Hive's `onSubgraphExecute` hook sees it. */
export interface SubgraphExecutionRequest {
  context?: Record<string, unknown>;
  /** `extensions.headers` become the subgraph request's HTTP headers. */
  extensions?: Record<string, unknown>;
}

export interface HivePlugin {
  /** Envelop's hook, once per client request, before any subgraph is called. */
  onContextBuilding?(payload: { context: { request: Request }; extendContext(extra: Record<string, unknown>): void }): Promise<void> | void;
  onSubgraphExecute?(payload: {
    subgraphName: string;
    executionRequest: SubgraphExecutionRequest;
    setExecutionRequest(request: SubgraphExecutionRequest): void;
  }): void;
}

export interface HiveRuntimeConfig {
  /** The supergraph SDL. */
  supergraph: string;
  /** Per subgraph name (or '*.http' for every HTTP subgraph): its URL and transport options. */
  transportEntries: Record<string, { location?: string; options?: { deduplicateInflightRequests?: boolean } }>;
  logging: boolean | 'debug' | 'info' | 'warn' | 'error';
  plugins: () => HivePlugin[];
}

/** A Node request listener (a Yoga server) that also answers for its schema and its disposal. */
export type HiveRuntime = ((request: IncomingMessage, response: ServerResponse) => void) & {
  getSchema(): Promise<unknown>;
  dispose(): Promise<void>;
};

const HIVE_PACKAGE: string = '@graphql-hive/gateway';

export async function createHiveRuntime(config: HiveRuntimeConfig): Promise<HiveRuntime> {
  const hive = (await import(HIVE_PACKAGE)) as { createGatewayRuntime(config: HiveRuntimeConfig): HiveRuntime };
  return hive.createGatewayRuntime(config);
}

/** The installed Hive Gateway version, for reports. */
export async function hiveVersion(): Promise<string> {
  const manifest = (await import(`${HIVE_PACKAGE}/package.json`, { with: { type: 'json' } })) as { default: { version: string } };
  return manifest.default.version;
}
