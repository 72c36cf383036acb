import type { SubgraphEntry } from '../registry.ts';

/** What the start-up order needs of a subgraph definition. */
export interface OrderedDefinition {
  name: string;
  /** A derived subgraph builds its store from these owners' snapshot feeds, so they start first. */
  consumer?: { owners: readonly string[] };
}

/** supergraph.yaml and the definitions disagree, or the dependencies go round in a circle. */
export class StartupOrderError extends Error {
  override name = 'StartupOrderError';
}

/** The subgraphs a subgraph needs serving before it starts: a consumer's owners. */
export function dependenciesOf(definition: OrderedDefinition): readonly string[] {
  return definition.consumer?.owners ?? [];
}

/**
 * The order `npm start` starts the subgraphs in: supergraph.yaml's, except that a subgraph waits
 * for every subgraph it depends on. Each round takes the first subgraph in yaml order whose
 * dependencies have all started, so a yaml that already lists owners first is kept as it is.
 */
export function startupOrder<Entry extends Pick<SubgraphEntry, 'name'>>(entries: readonly Entry[], definitions: readonly OrderedDefinition[]): Entry[] {
  const named = new Set(entries.map((entry) => entry.name));
  const needs = new Map<string, readonly string[]>();
  for (const entry of entries) {
    const definition = definitions.find((candidate) => candidate.name === entry.name);
    if (!definition) throw new StartupOrderError(`supergraph.yaml names ${entry.name}, but no subgraph definition has that name`);
    const dependencies = dependenciesOf(definition);
    const unknown = dependencies.find((dependency) => !named.has(dependency));
    if (unknown) throw new StartupOrderError(`${entry.name} depends on ${unknown}, which supergraph.yaml does not name`);
    needs.set(entry.name, dependencies);
  }

  const ordered: Entry[] = [];
  const started = new Set<string>();
  const waiting = [...entries];
  while (waiting.length > 0) {
    const next = waiting.findIndex((entry) => needs.get(entry.name)!.every((dependency) => started.has(dependency)));
    if (next === -1) throw new StartupOrderError(`the subgraphs depend on each other in a circle: ${describeCycle(waiting.map((entry) => entry.name), needs)}`);
    const [entry] = waiting.splice(next, 1);
    ordered.push(entry!);
    started.add(entry!.name);
  }
  return ordered;
}

/** One cycle among the subgraphs that could not start, as `a → b → a`. */
function describeCycle(stuck: readonly string[], needs: ReadonlyMap<string, readonly string[]>): string {
  // Every stuck subgraph waits on another stuck one: following the first such link from any of
  // them must come back to a subgraph already on the path.
  const path: string[] = [];
  let current = stuck[0]!;
  while (!path.includes(current)) {
    path.push(current);
    current = needs.get(current)!.find((dependency) => stuck.includes(dependency))!;
  }
  return [...path.slice(path.indexOf(current)), current].join(' → ');
}
