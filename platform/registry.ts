import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

/** Repository root: every path in supergraph.yaml is relative to it. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface SubgraphEntry {
  name: string;
  routingUrl: string;
  port: number;
  schemaFile: string;
}

export interface Registry {
  federationVersion: string;
  subgraphs: SubgraphEntry[];
}

interface RoverConfig {
  federation_version: string;
  subgraphs: Record<string, { routing_url: string; schema: { file: string } }>;
}

/** Reads supergraph.yaml, the single list of subgraphs, their URLs and schema files. */
export function loadRegistry(file = resolve(ROOT, 'supergraph.yaml')): Registry {
  const config = parseYaml(readFileSync(file, 'utf8')) as RoverConfig;
  const subgraphs = Object.entries(config.subgraphs).map(([name, entry]) => {
    const url = new URL(entry.routing_url);
    return {
      name,
      routingUrl: entry.routing_url,
      port: Number(url.port),
      schemaFile: resolve(dirname(file), entry.schema.file),
    };
  });
  return { federationVersion: config.federation_version.replace(/^=/, ''), subgraphs };
}
