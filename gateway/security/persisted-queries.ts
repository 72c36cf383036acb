import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Request } from 'express';
import { GraphQLError } from 'graphql';
import { ROOT } from '../../platform/registry.ts';
import { MANIFEST_FILE, operationId, type OperationManifest } from '../../schema/operations.ts';

/**
 * Persisted queries (README "Security"). Automatic persisted queries (Apollo Server's own) are
 * always on: a client may send a query's SHA-256 instead of its text once the gateway has seen
 * it. In `allowlist` mode the gateway runs only the operations of its manifest
 * (operations/manifest.json, built by `npm run operations`), sent by id or in full; anything else
 * is refused with 400 PERSISTED_QUERY_NOT_IN_LIST before it is parsed.
 */
export type PersistedQueryMode = 'automatic' | 'allowlist';

export interface PersistedQueryOptions {
  mode: PersistedQueryMode;
  /** The operations allowed in `allowlist` mode. */
  manifest?: OperationManifest;
}

/** GATEWAY_PERSISTED_QUERIES (`automatic` or `allowlist`) and GATEWAY_OPERATION_MANIFEST (a path, from the project root). */
export function persistedQueryOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): PersistedQueryOptions {
  const mode = env.GATEWAY_PERSISTED_QUERIES || 'automatic';
  if (mode !== 'automatic' && mode !== 'allowlist') throw new Error(`GATEWAY_PERSISTED_QUERIES must be automatic or allowlist, not ${mode}`);
  if (mode === 'automatic') return { mode };
  const path = env.GATEWAY_OPERATION_MANIFEST ? resolve(ROOT, env.GATEWAY_OPERATION_MANIFEST) : MANIFEST_FILE;
  return { mode, manifest: JSON.parse(readFileSync(path, 'utf8')) as OperationManifest };
}

interface OperationRequest {
  query?: unknown;
  extensions?: unknown;
}

/** The query text and persisted-query hash of a POST body or GET parameters. */
function operationOf(request: Request): { query?: string; hash?: string } {
  const source = (request.method === 'GET' ? request.query : request.body) as OperationRequest | undefined;
  let extensions = source?.extensions;
  if (typeof extensions === 'string') {
    try {
      extensions = JSON.parse(extensions);
    } catch {
      extensions = undefined;
    }
  }
  const hash = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
  return { query: typeof source?.query === 'string' ? source.query : undefined, hash: typeof hash === 'string' ? hash : undefined };
}

export class OperationAllowList {
  private readonly bodies: Map<string, string>;

  constructor(manifest: OperationManifest) {
    // Ids are recomputed from the bodies, so a hand-edited manifest cannot list a body under another's id.
    this.bodies = new Map(manifest.operations.map((operation) => [operationId(operation.body), operation.body]));
  }

  /** Refuses (from the context function, so with its 400) a request whose operation is not in the manifest. */
  admit(request: Request): void {
    const { query, hash } = operationOf(request);
    const listed = query !== undefined ? this.bodies.has(operationId(query)) : hash !== undefined && this.bodies.has(hash);
    if (!listed) {
      throw new GraphQLError('This gateway runs only the operations in its manifest', {
        extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST', http: { status: 400 } },
      });
    }
  }

  /** Gives a request that names a listed operation by id its text, before Apollo's persisted-query lookup. */
  plugin(): ApolloServerPlugin {
    const bodies = this.bodies;
    return {
      async requestDidStart({ request }) {
        const hash = request.extensions?.persistedQuery?.sha256Hash;
        if (request.query === undefined && typeof hash === 'string') request.query = bodies.get(hash);
      },
    };
  }
}
