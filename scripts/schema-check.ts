/**
 * `npm run schema:check` (CI): fails when a subgraph's copy of the shared auth directives is
 * stale, when composition fails, when schema/supergraph.graphql is stale, or when the public
 * API broke between any two versions without being acknowledged in schema/breaking-changes.yaml,
 * or when an operation in operations/ no longer validates or its manifest is stale.
 */
import { existsSync, readFileSync } from 'node:fs';
import { composeRegistry } from '../platform/compose.ts';
import { loadRegistry } from '../platform/registry.ts';
import { withAuthBlock } from '../schema/auth-block.ts';
import { buildManifest, MANIFEST_FILE, manifestText } from '../schema/operations.ts';
import { ACKNOWLEDGED_FILE, SUPERGRAPH_FILE, acknowledgedChanges, breakingChanges, supergraphHistory } from '../schema/checks.ts';

const failures: string[] = [];
const registry = loadRegistry();
for (const { name, schemaFile } of registry.subgraphs) {
  const sdl = readFileSync(schemaFile, 'utf8');
  if (withAuthBlock(sdl) !== sdl) failures.push(`${name}: its copy of schema/auth.graphql is missing or stale: run \`npm run compose\`.`);
}
const composed = composeRegistry(registry);
const committed = existsSync(SUPERGRAPH_FILE) ? readFileSync(SUPERGRAPH_FILE, 'utf8') : '';

if (!composed.ok) failures.push(`Composition failed:\n${composed.errors.map((e) => `    ${e}`).join('\n')}`);
else if (composed.supergraphSdl !== committed) failures.push('schema/supergraph.graphql is stale: run `npm run compose` and commit it.');

const acknowledged = acknowledgedChanges();
const history = supergraphHistory(committed);
let checkedSteps = 0;
for (let i = 1; i < history.length; i++) {
  const before = history[i - 1]!;
  const after = history[i]!;
  const unacknowledged = breakingChanges(before.sdl, after.sdl).filter((change) => !acknowledged.has(change));
  checkedSteps++;
  if (unacknowledged.length) {
    failures.push(
      `Breaking changes from ${before.label} to ${after.label}, not acknowledged in ${ACKNOWLEDGED_FILE}:\n` +
        unacknowledged.map((change) => `    - change: ${JSON.stringify(change)}`).join('\n'),
    );
  }
}

// The operations clients may send in allow-list mode must still run, and their manifest be current.
if (composed.ok) {
  const { manifest, problems } = buildManifest(composed.supergraphSdl);
  failures.push(...problems.map((problem) => `${problem} (fix it, then run \`npm run operations\`)`));
  const written = existsSync(MANIFEST_FILE) ? readFileSync(MANIFEST_FILE, 'utf8') : '';
  if (!problems.length && manifestText(manifest) !== written) failures.push('operations/manifest.json is stale: run `npm run operations` and commit it.');
}

if (failures.length) {
  console.error(`schema:check failed\n\n${failures.map((f) => `  ✗ ${f}`).join('\n\n')}`);
  process.exit(1);
}
console.log(`schema:check passed: ${registry.subgraphs.length} subgraphs compose, supergraph.graphql is current, ${checkedSteps} schema version step(s) checked for breaking changes.`);
