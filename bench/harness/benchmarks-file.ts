import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export const SECTION = 'Supergraph against Hive Gateway and a monolith';

/**
 * `document` with the level-2 section headed `heading` replaced by `body` (up to the next level-2
 * heading or the end), or with the section appended when there is none. Headings inside fenced
 * code blocks are not headings.
 */
export function replaceSection(document: string, heading: string, body: string): string {
  const lines = document.split('\n');
  const section = [`## ${heading}`, '', ...body.trimEnd().split('\n'), ''];
  let fenced = false;
  const headings: { index: number; title: string }[] = [];
  for (const [index, line] of lines.entries()) {
    if (line.startsWith('```')) fenced = !fenced;
    else if (!fenced && line.startsWith('## ')) headings.push({ index, title: line.slice(3).trim() });
  }
  const at = headings.findIndex((found) => found.title === heading);
  if (at < 0) {
    const kept = document.trimEnd();
    return `${kept ? `${kept}\n\n` : ''}${section.join('\n')}`;
  }
  const start = headings[at]!.index;
  const end = headings[at + 1]?.index ?? lines.length;
  const after = lines.slice(end);
  return [...lines.slice(0, start), ...section, ...after].join('\n').replace(/\n*$/, '\n');
}

/** Replaces (or adds) the harness's section of the file at `path`, creating the file when absent. */
export function writeSection(path: string, body: string): void {
  const document = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  writeFileSync(path, replaceSection(document, SECTION, body));
}
