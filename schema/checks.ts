import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { findBreakingChanges, type GraphQLSchema } from 'graphql';
import { parse as parseYaml } from 'yaml';
import { ROOT } from '../platform/registry.ts';

export const SUPERGRAPH_FILE = resolve(ROOT, 'schema/supergraph.graphql');
export const ACKNOWLEDGED_FILE = resolve(ROOT, 'schema/breaking-changes.yaml');
const SUPERGRAPH_PATH_IN_GIT = 'schema/supergraph.graphql';

/** The schema clients see: the supergraph without federation's join machinery. */
export function apiSchema(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}

/** Breaking changes from one supergraph to the next, as graphql-js describes them. */
export function breakingChanges(before: string, after: string): string[] {
  return findBreakingChanges(apiSchema(before), apiSchema(after)).map((change) => `${change.type}: ${change.description}`);
}

/** Changes a reviewer accepted, listed in schema/breaking-changes.yaml. */
export function acknowledgedChanges(): Set<string> {
  if (!existsSync(ACKNOWLEDGED_FILE)) return new Set();
  const file = parseYaml(readFileSync(ACKNOWLEDGED_FILE, 'utf8')) as { acknowledged?: { change: string; reason: string }[] } | null;
  return new Set((file?.acknowledged ?? []).map((entry) => entry.change));
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
  } catch {
    return null;
  }
}

/**
 * Every committed version of the supergraph, oldest first, then the working tree's when it
 * differs: the breaking-change check walks each step so a break committed earlier in a
 * submission is caught too, not only the last one.
 */
export function supergraphHistory(workingCopy: string): { label: string; sdl: string }[] {
  const commits = git(['log', '--format=%H', '--', SUPERGRAPH_PATH_IN_GIT])?.trim().split('\n').filter(Boolean).reverse() ?? [];
  const versions = commits.flatMap((commit) => {
    const sdl = git(['show', `${commit}:${SUPERGRAPH_PATH_IN_GIT}`]);
    return sdl == null ? [] : [{ label: commit.slice(0, 10), sdl }];
  });
  if (versions.at(-1)?.sdl !== workingCopy) versions.push({ label: 'working tree', sdl: workingCopy });
  return versions;
}
