import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { parse, validate, type OperationDefinitionNode } from 'graphql';
import { ROOT } from '../platform/registry.ts';

/**
 * The operations clients may send when the gateway runs only listed ones (README "Security",
 * GATEWAY_PERSISTED_QUERIES=allowlist): each file of `operations/` holds one named operation;
 * `npm run operations` writes them into `operations/manifest.json`, in Apollo's persisted query
 * manifest format, and `npm run schema:check` fails when one no longer validates against the
 * supergraph or the manifest is stale.
 */
export const OPERATIONS_DIR = join(ROOT, 'operations');
export const MANIFEST_FILE = join(OPERATIONS_DIR, 'manifest.json');

export interface ManifestOperation {
  /** The SHA-256 of `body`, in hex: what a client sends as `extensions.persistedQuery.sha256Hash`. */
  id: string;
  name: string;
  type: 'query' | 'mutation' | 'subscription';
  body: string;
}

export interface OperationManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: ManifestOperation[];
}

export const operationId = (body: string) => createHash('sha256').update(body).digest('hex');

/** The manifest of the operation files, and what is wrong with any of them against `supergraphSdl`. */
export function buildManifest(supergraphSdl: string, directory = OPERATIONS_DIR): { manifest: OperationManifest; problems: string[] } {
  const api = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
  const problems: string[] = [];
  const operations: ManifestOperation[] = [];
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.graphql')).sort()) {
    const body = readFileSync(join(directory, file), 'utf8').trim();
    try {
      const document = parse(body);
      const definitions = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition');
      const name = definitions[0]?.name?.value;
      if (definitions.length !== 1 || !name) {
        problems.push(`operations/${file}: must hold exactly one operation, with a name`);
        continue;
      }
      const errors = validate(api, document);
      if (errors.length) problems.push(...errors.map((error) => `operations/${file}: ${error.message}`));
      else operations.push({ id: operationId(body), name, type: definitions[0]!.operation, body });
    } catch (error) {
      problems.push(`operations/${file}: ${(error as Error).message}`);
    }
  }
  return { manifest: { format: 'apollo-persisted-query-manifest', version: 1, operations }, problems };
}

export const manifestText = (manifest: OperationManifest) => `${JSON.stringify(manifest, null, 2)}\n`;
