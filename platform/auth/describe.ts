import { Kind, parse, print, visit, valueFromASTUntyped, type ConstDirectiveNode, type StringValueNode } from 'graphql';

/**
 * Clients see the API schema, from which Federation strips every custom directive (see
 * apollographql/federation#2895), and introspection cannot show applied directives anyway. So
 * the composed supergraph states each auth rule in the description of the type or field it
 * guards, which is what Sandbox and other tools show.
 */
function requirement(directive: ConstDirectiveNode): string | undefined {
  const arg = (name: string) => {
    const value = directive.arguments?.find((a) => a.name.value === name)?.value;
    return value ? valueFromASTUntyped(value) : undefined;
  };
  switch (directive.name.value) {
    case 'signedIn':
      return 'Requires a signed-in caller.';
    case 'hasRole':
      return `Requires one of the roles: ${(arg('roles') as string[]).join(', ')}.`;
    case 'hasPermission':
      return `Requires the permission \`${arg('permission') as string}\`.`;
    case 'personalData':
      return `Personal data: readable by its owner (${(arg('owners') as string[]).join(', ')}) and by holders of \`${arg('permission') as string}\`; null and FORBIDDEN for anyone else.`;
    default:
      return undefined;
  }
}

function describe<T extends { description?: StringValueNode; directives?: readonly ConstDirectiveNode[] }>(node: T): T | undefined {
  const rules = [...new Set((node.directives ?? []).flatMap((directive) => requirement(directive) ?? []))];
  if (!rules.length) return undefined;
  const lead = node.description?.value ? `${node.description.value}\n\n` : '';
  return { ...node, description: { kind: Kind.STRING, value: `${lead}🔒 ${rules.join(' ')}`, block: true } };
}

export function describeAuthRequirements(supergraphSdl: string): string {
  const document = visit(parse(supergraphSdl), {
    ObjectTypeDefinition: describe,
    FieldDefinition: describe,
  });
  return `${print(document)}\n`;
}
