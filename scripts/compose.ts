/**
 * `npm run compose`: copies schema/auth.graphql into every subgraph schema, composes
 * supergraph.yaml in-process and writes schema/supergraph.graphql.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { composeRegistry } from '../platform/compose.ts';
import { loadRegistry } from '../platform/registry.ts';
import { withAuthBlock } from '../schema/auth-block.ts';
import { SUPERGRAPH_FILE } from '../schema/checks.ts';

const registry = loadRegistry();
for (const { schemaFile } of registry.subgraphs) {
  const sdl = readFileSync(schemaFile, 'utf8');
  const synced = withAuthBlock(sdl);
  if (synced !== sdl) {
    writeFileSync(schemaFile, synced);
    console.log(`Updated the shared auth directives in ${schemaFile}`);
  }
}

const composed = composeRegistry(registry);
if (!composed.ok) {
  console.error(`Composition failed:\n${composed.errors.map((e) => `  - ${e}`).join('\n')}`);
  process.exit(1);
}
for (const hint of composed.hints) console.warn(`hint: ${hint}`);
writeFileSync(SUPERGRAPH_FILE, composed.supergraphSdl);
console.log(`Wrote ${SUPERGRAPH_FILE}`);
