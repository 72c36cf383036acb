import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { replaceSection, SECTION, writeSection } from './benchmarks-file.ts';

const HEADING = 'Supergraph against Hive Gateway and a monolith';

describe('replaceSection', () => {
  it('replaces the section up to the next level-2 heading, leaving the others as they were', () => {
    const document = ['# Benchmarks', '', '## Before', 'kept', '', `## ${HEADING}`, '', 'old table', '### detail', 'old detail', '', '## After', 'kept too', ''].join('\n');
    expect(replaceSection(document, HEADING, 'new table\n')).toBe(
      ['# Benchmarks', '', '## Before', 'kept', '', `## ${HEADING}`, '', 'new table', '', '## After', 'kept too', ''].join('\n'),
    );
  });

  it('replaces a last section to the end of the file, ending with one newline', () => {
    const document = `# Benchmarks\n\n## ${HEADING}\n\nold\n\n\n`;
    expect(replaceSection(document, HEADING, 'new')).toBe(`# Benchmarks\n\n## ${HEADING}\n\nnew\n`);
  });

  it('appends the section when there is none, and starts a file that is empty', () => {
    expect(replaceSection('# Benchmarks\n\n## Other\n\ntext\n', HEADING, 'table')).toBe(`# Benchmarks\n\n## Other\n\ntext\n\n## ${HEADING}\n\ntable\n`);
    expect(replaceSection('', HEADING, 'table')).toBe(`## ${HEADING}\n\ntable\n`);
  });

  it('does not take a "## " line inside a code block for a heading', () => {
    const document = `## ${HEADING}\n\n\`\`\`bash\n## not a heading\n\`\`\`\n\n## Next\n`;
    expect(replaceSection(document, HEADING, 'new')).toBe(`## ${HEADING}\n\nnew\n\n## Next\n`);
  });

  it('is idempotent: writing the same report twice gives the same file', () => {
    const once = replaceSection('# Benchmarks\n\n## Other\n\ntext\n', HEADING, 'table\n\n```bash\nnpm run bench\n```');
    expect(replaceSection(once, HEADING, 'table\n\n```bash\nnpm run bench\n```')).toBe(once);
  });
});

describe('writeSection', () => {
  const directories: string[] = [];
  afterEach(() => directories.splice(0).forEach((directory) => rmSync(directory, { recursive: true, force: true })));
  const scratch = () => {
    const directory = mkdtempSync(join(tmpdir(), 'bench-harness-'));
    directories.push(directory);
    return join(directory, 'BENCHMARKS.md');
  };

  it('creates the file with the section when there is no file', () => {
    const path = scratch();
    writeSection(path, 'table');
    expect(readFileSync(path, 'utf8')).toBe(`# Benchmarks\n\n## ${SECTION}\n\ntable\n`);
  });

  it("replaces the harness's section of an existing file and nothing else", () => {
    const path = scratch();
    writeFileSync(path, `# Benchmarks\n\n## ${SECTION}\n\nold\n\n## Other\n\nkept\n`);
    writeSection(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe(`# Benchmarks\n\n## ${SECTION}\n\nnew\n\n## Other\n\nkept\n`);
  });
});
