import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUPERGRAPH_FILE } from './checks.ts';
import { buildManifest, MANIFEST_FILE, manifestText, operationId } from './operations.ts';

const supergraph = readFileSync(SUPERGRAPH_FILE, 'utf8');

describe('the operation manifest', () => {
  it('holds every operation of operations/, each valid against the supergraph, under the SHA-256 of its text', () => {
    const { manifest, problems } = buildManifest(supergraph);
    expect(problems).toEqual([]);
    expect(manifest.operations.map((operation) => operation.name)).toEqual(expect.arrayContaining(['Flagship', 'Login', 'Search']));
    for (const operation of manifest.operations) expect(operation.id).toBe(operationId(operation.body));
    expect(readFileSync(MANIFEST_FILE, 'utf8')).toBe(manifestText(manifest));
  });

  it('reports an operation that no longer validates, and a file without one named operation', () => {
    const dir = mkdtempSync(join(tmpdir(), 'looma-operations-'));
    try {
      writeFileSync(join(dir, 'Gone.graphql'), 'query Gone { talentz { id } }');
      writeFileSync(join(dir, 'Anonymous.graphql'), '{ jobs { totalCount } }');
      writeFileSync(join(dir, 'Fine.graphql'), 'query Fine { jobs { totalCount } }');
      const { manifest, problems } = buildManifest(supergraph, dir);
      expect(manifest.operations.map((operation) => operation.name)).toEqual(['Fine']);
      expect(problems).toEqual([expect.stringMatching(/^operations\/Anonymous.graphql: must hold exactly one operation, with a name/), expect.stringMatching(/^operations\/Gone.graphql: .*talentz/)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
