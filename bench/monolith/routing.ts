import { Kind, isTypeDefinitionNode, isTypeExtensionNode, parse, valueFromASTUntyped, type ConstDirectiveNode, type DefinitionNode } from 'graphql';

/** Which subgraph resolves what, read from the supergraph's join__ directives: what the gateway's query planner routes by. */
export interface Routing {
  /** The subgraphs declaring a type (its @join__type graphs), in supergraph order. */
  declaring(type: string): readonly string[];
  /**
   * The subgraphs resolving a field: its @join__field graphs that neither mark it external nor
   * were overridden, or, with no @join__field, every subgraph declaring its type.
   */
  resolving(type: string, field: string): readonly string[];
  /** Whether `subgraph` resolves `type` from a reference (it declares a resolvable @key on it). */
  resolvesReferences(subgraph: string, type: string): boolean;
}

function argument(directive: ConstDirectiveNode, name: string): unknown {
  const value = directive.arguments?.find((arg) => arg.name.value === name)?.value;
  return value ? valueFromASTUntyped(value) : undefined;
}

const directivesNamed = (node: { directives?: readonly ConstDirectiveNode[] }, name: string) =>
  (node.directives ?? []).filter((directive) => directive.name.value === name);

/** join__Graph's values (e.g. RESUMES) by the subgraph names they stand for (`resumes`). */
function graphNames(definitions: readonly DefinitionNode[]): Map<string, string> {
  const graphs = definitions.find((definition) => definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'join__Graph');
  if (graphs?.kind !== Kind.ENUM_TYPE_DEFINITION) throw new Error('The supergraph has no join__Graph enum: is it a composed supergraph?');
  return new Map(
    (graphs.values ?? []).map((value) => {
      const [join] = directivesNamed(value, 'join__graph');
      const name = join && argument(join, 'name');
      if (typeof name !== 'string') throw new Error(`join__Graph.${value.name.value} has no @join__graph(name:)`);
      return [value.name.value, name];
    }),
  );
}

export function supergraphRouting(supergraphSdl: string): Routing {
  const { definitions } = parse(supergraphSdl);
  const names = graphNames(definitions);
  const graphOf = (directive: ConstDirectiveNode) => {
    const graph = argument(directive, 'graph');
    return typeof graph === 'string' ? names.get(graph) : undefined;
  };
  const declaring = new Map<string, string[]>();
  const resolving = new Map<string, string[]>();
  const referable = new Set<string>();
  for (const definition of definitions) {
    if (!isTypeDefinitionNode(definition) && !isTypeExtensionNode(definition)) continue;
    const type = definition.name.value;
    const joins = directivesNamed(definition, 'join__type');
    const graphs = joins.flatMap((join) => graphOf(join) ?? []);
    declaring.set(type, graphs);
    for (const join of joins) {
      const graph = graphOf(join);
      if (graph && argument(join, 'key') !== undefined && argument(join, 'resolvable') !== false) referable.add(`${graph}.${type}`);
    }
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of definition.fields ?? []) {
      const fieldJoins = directivesNamed(field, 'join__field');
      // A join__field without a graph (a field of an interface, say) says nothing of where it is resolved.
      const located = fieldJoins.filter((join) => graphOf(join) !== undefined);
      const owners = located.length
        ? located.filter((join) => argument(join, 'external') !== true && argument(join, 'usedOverridden') !== true).map((join) => graphOf(join)!)
        : graphs;
      resolving.set(`${type}.${field.name.value}`, owners);
    }
  }
  return {
    declaring: (type) => declaring.get(type) ?? [],
    resolving: (type, field) => resolving.get(`${type}.${field}`) ?? [],
    resolvesReferences: (subgraph, type) => referable.has(`${subgraph}.${type}`),
  };
}
