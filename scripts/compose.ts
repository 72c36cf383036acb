/** `npm run compose`: composes supergraph.yaml in-process and writes schema/supergraph.graphql. */
import { writeFileSync } from 'node:fs';
import { composeRegistry } from '../platform/compose.ts';
import { loadRegistry } from '../platform/registry.ts';
import { SUPERGRAPH_FILE } from '../schema/checks.ts';

const composed = composeRegistry(loadRegistry());
if (!composed.ok) {
  console.error(`Composition failed:\n${composed.errors.map((e) => `  - ${e}`).join('\n')}`);
  process.exit(1);
}
for (const hint of composed.hints) console.warn(`hint: ${hint}`);
writeFileSync(SUPERGRAPH_FILE, composed.supergraphSdl);
console.log(`Wrote ${SUPERGRAPH_FILE}`);
