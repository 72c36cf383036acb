import {
  isObjectType,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { allow, and, rule, shield } from 'graphql-shield';
import { forbidden, unauthenticated } from '../errors.ts';
import { isPermission, isRole, type Permission, type Role } from './permissions.ts';
import { can, mayReadPersonalData, type Viewer } from './viewer.ts';

type ShieldRule = Parameters<typeof and>[number];

interface AuthContext {
  viewer: Viewer | null;
}

/** Rules depend only on the caller, except @personalData, which also reads the parent object. */
const signedIn = rule({ cache: 'contextual' })((_parent, _args, ctx: AuthContext) => (ctx.viewer ? true : unauthenticated()));

const memo = new Map<string, ShieldRule>();
function memoised(key: string, build: () => ShieldRule): ShieldRule {
  let existing = memo.get(key);
  if (!existing) memo.set(key, (existing = build()));
  return existing;
}

const hasRole = (roles: Role[]) =>
  memoised(`role:${roles.join(',')}`, () =>
    rule({ cache: 'contextual' })((_parent, _args, ctx: AuthContext) => {
      if (!ctx.viewer) return unauthenticated();
      return roles.includes(ctx.viewer.role) || forbidden(`This needs one of the roles: ${roles.join(', ')}`);
    }),
  );

const hasPermission = (permission: Permission) =>
  memoised(`permission:${permission}`, () =>
    rule({ cache: 'contextual' })((_parent, _args, ctx: AuthContext) => {
      if (can(ctx.viewer, permission)) return true;
      return ctx.viewer ? forbidden(`This needs the permission ${permission}`) : unauthenticated();
    }),
  );

const personalData = (permission: Permission, owners: string[]) =>
  memoised(`personal:${permission}:${owners.join(',')}`, () =>
    rule({ cache: 'no_cache' })((parent: Record<string, unknown> | null, _args, ctx: AuthContext) => {
      if (mayReadPersonalData(ctx.viewer, permission, owners.map((field) => parent?.[field]))) return true;
      return forbidden('This is personal data: only its owner, the owning recruiter and authorised roles may read it');
    }),
  );

function directivesOf(node: { astNode?: { directives?: readonly ConstDirectiveNode[] } | null; extensionASTNodes?: readonly { directives?: readonly ConstDirectiveNode[] }[] }) {
  return [...(node.astNode?.directives ?? []), ...(node.extensionASTNodes ?? []).flatMap((extension) => extension.directives ?? [])];
}

function argument(directive: ConstDirectiveNode, name: string): unknown {
  const value = directive.arguments?.find((arg) => arg.name.value === name)?.value;
  return value ? valueFromASTUntyped(value) : undefined;
}

/** Turns one of our directives into its rule; a misspelt role or permission fails at start-up, not at request time. */
function ruleFor(directive: ConstDirectiveNode, where: string): ShieldRule | undefined {
  const fail = (message: string) => new Error(`${where}: @${directive.name.value} ${message}`);
  switch (directive.name.value) {
    case 'signedIn':
      return signedIn;
    case 'hasRole': {
      const roles = argument(directive, 'roles');
      if (!Array.isArray(roles) || !roles.every(isRole)) throw fail(`names an unknown role: ${JSON.stringify(roles)}`);
      return hasRole(roles);
    }
    case 'hasPermission': {
      const permission = argument(directive, 'permission');
      if (!isPermission(permission)) throw fail(`names an unknown permission: ${JSON.stringify(permission)}`);
      return hasPermission(permission);
    }
    case 'personalData': {
      const permission = argument(directive, 'permission');
      const owners = argument(directive, 'owners');
      if (!isPermission(permission)) throw fail(`names an unknown permission: ${JSON.stringify(permission)}`);
      if (!Array.isArray(owners) || !owners.every((o) => typeof o === 'string')) throw fail('needs owners: [String!]!');
      return personalData(permission, owners);
    }
    default:
      return undefined;
  }
}

function rulesOf(node: GraphQLObjectType | GraphQLField<unknown, unknown>, where: string): ShieldRule[] {
  return directivesOf(node).flatMap((directive) => ruleFor(directive, where) ?? []);
}

/**
 * Enforces the shared auth directives of a subgraph schema with graphql-shield. A directive on a
 * type guards every field of that type, so the type is protected however it is reached,
 * `_entities` included; Federation's own `_service` and `_entities` stay open to the gateway.
 */
export function enforceAuthDirectives(schema: GraphQLSchema): GraphQLSchema {
  const tree: Record<string, Record<string, ShieldRule>> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const typeRules = rulesOf(type, type.name);
    for (const field of Object.values(type.getFields())) {
      const rules = [...typeRules, ...rulesOf(field, `${type.name}.${field.name}`)];
      if (rules.length) (tree[type.name] ??= {})[field.name] = rules.length === 1 ? rules[0]! : and(...rules);
    }
  }
  return applyMiddleware(schema, shield(tree, { allowExternalErrors: true, fallbackRule: allow }));
}
