import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { describeAuthRequirements } from './auth/describe.ts';
import type { Registry } from './registry.ts';

export type CompositionResult = { ok: true; supergraphSdl: string; hints: string[] } | { ok: false; errors: string[] };

const compositionVersion = (createRequire(import.meta.url)('@apollo/composition/package.json') as { version: string }).version;

/**
 * Composes the subgraph schemas named in supergraph.yaml in-process (no rover binary), with the
 * composition version supergraph.yaml pins, so rover users and we produce the same supergraph.
 */
export function composeRegistry(registry: Registry): CompositionResult {
  if (registry.federationVersion !== compositionVersion) {
    return {
      ok: false,
      errors: [`supergraph.yaml pins federation_version =${registry.federationVersion}, but @apollo/composition ${compositionVersion} is installed`],
    };
  }
  const result = composeServices(
    registry.subgraphs.map((subgraph) => ({
      name: subgraph.name,
      url: subgraph.routingUrl,
      typeDefs: parse(readFileSync(subgraph.schemaFile, 'utf8')),
    })),
  );
  if (result.errors) return { ok: false, errors: result.errors.map((error) => error.message) };
  return { ok: true, supergraphSdl: describeAuthRequirements(result.supergraphSdl), hints: result.hints.map((hint) => `${hint.definition.code}: ${hint.message}`) };
}
