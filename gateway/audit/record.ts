import { randomUUID } from 'node:crypto';
import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getDirectiveValues,
  getNamedType,
  getVariableValues,
  isInterfaceType,
  isObjectType,
  valueFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { AuditRecord } from '../../platform/audit-record.ts';
import type { Role } from '../../platform/auth/index.ts';

export type { AuditRecord } from '../../platform/audit-record.ts';


/** What the request was: the caller and where it came from, known before the operation runs. */
export interface AuditedRequest {
  at: Date;
  requestId: string;
  clientAddress: string;
  actorId: string | null;
  actorRole: Role | null;
}

/** What the client got back, as sent. */
export interface AuditedResponse {
  data?: Record<string, unknown> | null;
  errors?: readonly { path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
}

const MAX_ID_LENGTH = 128;
const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

type Fragments = Map<string, FragmentDefinitionNode>;

/** The fields of a selection set that run, through fragments, leaving out those `@skip`ped or not `@include`d. */
function selectedFields(selectionSet: SelectionSetNode, fragments: Fragments, variables: Record<string, unknown>): FieldNode[] {
  const fields: FieldNode[] = [];
  const runs = (node: Parameters<typeof getDirectiveValues>[1]) =>
    getDirectiveValues(GraphQLSkipDirective, node, variables)?.if !== true && getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
  const collect = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (!runs(selection)) continue;
      if (selection.kind === Kind.FIELD) fields.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
      else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet);
      }
    }
  };
  collect(selectionSet);
  return fields;
}

const responseKey = (field: FieldNode) => field.alias?.value ?? field.name.value;

/** An object or interface type with an `id` field: what an entity looks like. */
function hasId(type: GraphQLNamedType): boolean {
  return (isObjectType(type) || isInterfaceType(type)) && 'id' in type.getFields();
}

/**
 * The entity a mutation field acts on, and where its id sits in the answer:
 *  - a type with an `id` (createCompany: Company) is the entity;
 *  - a payload without one names it in its first field of such a type (login: AuthPayload.user → User);
 *  - a scalar answer (deleteCompany: ID) names it in the field's name, longest type name first.
 */
function entityOf(schema: GraphQLSchema, field: GraphQLField<unknown, unknown>): { type: string | null; idPath: string[] } {
  const named = getNamedType(field.type);
  if (hasId(named)) return { type: named.name, idPath: ['id'] };
  if (isObjectType(named) || isInterfaceType(named)) {
    const holder = Object.values(named.getFields()).find((candidate) => hasId(getNamedType(candidate.type)));
    return holder ? { type: getNamedType(holder.type).name, idPath: [holder.name, 'id'] } : { type: named.name, idPath: [] };
  }
  const mentioned = Object.values(schema.getTypeMap())
    .filter((type) => !type.name.startsWith('__') && hasId(type) && field.name.includes(type.name))
    .sort((a, b) => b.name.length - a.name.length)[0];
  return { type: mentioned?.name ?? null, idPath: [] };
}

/** The ID-typed arguments named `id` or `…Id` the client gave, in the field's order, with their values. */
function idArguments(field: GraphQLField<unknown, unknown>, node: FieldNode, variables: Record<string, unknown>): { name: string; value: string }[] {
  return field.args.flatMap((argument) => {
    if (getNamedType(argument.type).name !== 'ID' || !(argument.name === 'id' || argument.name.endsWith('Id'))) return [];
    const given = node.arguments?.find((candidate) => candidate.name.value === argument.name);
    const value: unknown = given ? valueFromAST(given.value, argument.type, variables) : undefined;
    return typeof value === 'string' && value.length <= MAX_ID_LENGTH ? [{ name: argument.name, value }] : [];
  });
}

/** The `id` the answer carries for the field along `idPath`, when the client selected it (under any alias). */
function idInAnswer(node: FieldNode, idPath: string[], answer: unknown, fragments: Fragments, variables: Record<string, unknown>): string | null {
  let selection: FieldNode | undefined = node;
  let value = answer;
  for (const name of idPath) {
    if (!selection?.selectionSet || typeof value !== 'object' || value === null) return null;
    selection = selectedFields(selection.selectionSet, fragments, variables).find((field) => field.name.value === name);
    value = selection ? (value as Record<string, unknown>)[responseKey(selection)] : undefined;
  }
  return (typeof value === 'string' || typeof value === 'number') && String(value).length <= MAX_ID_LENGTH ? String(value) : null;
}

/** `ok`, or the codes of the errors on the field itself and of those on the whole request (no path). */
function outcomeOf(key: string, errors: AuditedResponse['errors']): string {
  const codes = (errors ?? [])
    .filter((error) => !error.path?.length || (error.path.length === 1 && error.path[0] === key))
    .map((error) => (typeof error.extensions?.code === 'string' && CODE.test(error.extensions.code) ? error.extensions.code : 'INTERNAL_SERVER_ERROR'));
  return codes.length ? [...new Set(codes)].join(',') : 'ok';
}

/**
 * The entity's type and id, kept consistent: the `id` argument; else the argument naming the
 * entity (`projectId` for a Project); else the id in the answer, when the client selected it;
 * else the first `…Id` argument, with the type it names when there is one (createResume's
 * `talentId`, refused before a Resume existed: Talent).
 */
function entityAndId(
  schema: GraphQLSchema,
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
  answer: unknown,
  fragments: Fragments,
  variables: Record<string, unknown>,
): { entityType: string | null; entityId: string | null } {
  const entity = entityOf(schema, field);
  const given = idArguments(field, node, variables);
  const namingIt = entity.type ? `${entity.type[0]!.toLowerCase()}${entity.type.slice(1)}Id` : undefined;
  const own = given.find((argument) => argument.name === 'id') ?? given.find((argument) => argument.name === namingIt);
  if (own) return { entityType: entity.type, entityId: own.value };
  const answered = entity.idPath.length ? idInAnswer(node, entity.idPath, answer, fragments, variables) : null;
  if (answered) return { entityType: entity.type, entityId: answered };
  const [first] = given;
  if (!first) return { entityType: entity.type, entityId: null };
  const named = schema.getType(`${first.name[0]!.toUpperCase()}${first.name.slice(1, -2)}`);
  return { entityType: named && hasId(named) ? named.name : entity.type, entityId: first.value };
}

/**
 * One record per root field of a mutation that ran or was refused. Errors deeper in a field's
 * answer (a nested field the caller may not read) do not change its outcome: the mutation itself
 * went through.
 */
export function auditRecords(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Record<string, unknown>,
  request: AuditedRequest,
  response: AuditedResponse,
): AuditRecord[] {
  const mutationType = schema.getMutationType();
  if (operation.operation !== 'mutation' || !mutationType) return [];
  // With variables that do not coerce nothing ran, but the attempt is still worth a record.
  const variables = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables).coerced ?? {};
  const fragments: Fragments = new Map(
    document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])),
  );
  return selectedFields(operation.selectionSet, fragments, variables).flatMap((node) => {
    const field = mutationType.getFields()[node.name.value];
    if (!field) return [];
    const key = responseKey(node);
    const { entityType, entityId } = entityAndId(schema, field, node, response.data?.[key], fragments, variables);
    return [
      {
        id: randomUUID(),
        at: request.at.toISOString(),
        actorId: request.actorId,
        actorRole: request.actorRole,
        clientAddress: request.clientAddress,
        requestId: request.requestId,
        action: field.name,
        operationName: operation.name?.value ?? null,
        entityType,
        entityId,
        outcome: outcomeOf(key, response.errors),
      },
    ];
  });
}
