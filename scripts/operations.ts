/**
 * `npm run operations`: writes operations/manifest.json from the operation files in operations/,
 * each validated against schema/supergraph.graphql (schema/operations.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { SUPERGRAPH_FILE } from '../schema/checks.ts';
import { buildManifest, MANIFEST_FILE, manifestText } from '../schema/operations.ts';

const { manifest, problems } = buildManifest(readFileSync(SUPERGRAPH_FILE, 'utf8'));
if (problems.length) {
  console.error(`operations: not written\n${problems.map((problem) => `  ✗ ${problem}`).join('\n')}`);
  process.exit(1);
}
writeFileSync(MANIFEST_FILE, manifestText(manifest));
console.log(`operations: ${manifest.operations.length} operations written to operations/manifest.json`);
