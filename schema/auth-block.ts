import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT } from '../platform/registry.ts';

/** schema/auth.graphql, copied verbatim into every subgraph's schema between these markers. */
export const AUTH_FILE = resolve(ROOT, 'schema/auth.graphql');
const BEGIN = '# BEGIN shared auth directives: copied from schema/auth.graphql by `npm run compose`; edit that file, not this block';
const END = '# END shared auth directives';

export function authBlock(): string {
  return `${BEGIN}\n${readFileSync(AUTH_FILE, 'utf8').trimEnd()}\n${END}`;
}

/** The subgraph schema with its block replaced by the current one (put after the first line if it has none). */
export function withAuthBlock(sdl: string): string {
  const start = sdl.indexOf(BEGIN);
  const end = sdl.indexOf(END);
  if (start === -1 || end === -1) {
    const firstLineEnd = sdl.indexOf('\n');
    return `${sdl.slice(0, firstLineEnd)}\n\n${authBlock()}\n${sdl.slice(firstLineEnd)}`;
  }
  return `${sdl.slice(0, start)}${authBlock()}${sdl.slice(end + END.length)}`;
}
