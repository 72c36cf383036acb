import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import {
  defaultFieldResolver,
  isAbstractType,
  isObjectType,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type GraphQLTypeResolver,
} from 'graphql';
import { enforceAuthDirectives } from '../../platform/auth/index.ts';
import { loadTypeDefs, type SubgraphContext, type SubgraphDefinition } from '../../platform/subgraph.ts';

type Context = SubgraphContext<unknown>;
export type ReferenceResolver = (reference: { __typename: string; id: unknown }, ctx: Context, info: unknown) => unknown;

/**
 * One subgraph's resolvers as its own server runs them: over the schema startSubgraph builds
 * (platform/subgraph.ts), so every field goes through the subgraph's auth rules
 * (enforceAuthDirectives) before its resolver, and an unresolved field through the default one.
 */
export class ServedSubgraph {
  readonly name: string;
  private readonly schema: GraphQLSchema;

  constructor(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each subgraph has its own store type
    private readonly definition: SubgraphDefinition<any>,
  ) {
    this.name = definition.name;
    this.schema = enforceAuthDirectives(
      buildSubgraphSchema({ typeDefs: loadTypeDefs(definition.directory), resolvers: definition.resolvers as GraphQLResolverMap<unknown> }),
    );
  }

  /** The guarded resolver of `type.field`; the subgraph must declare the field. */
  fieldResolver(type: string, field: string): GraphQLFieldResolver<unknown, Context> {
    const object = this.schema.getType(type);
    const declared = isObjectType(object) ? object.getFields()[field] : undefined;
    if (!declared) throw new Error(`The ${this.name} subgraph does not declare ${type}.${field}`);
    return (declared.resolve as GraphQLFieldResolver<unknown, Context> | undefined) ?? defaultFieldResolver;
  }

  /** How the subgraph tells the members of a union or interface apart; undefined: by `__typename`, graphql-js's default. */
  typeResolver(type: string): GraphQLTypeResolver<unknown, Context> | undefined {
    const abstract = this.schema.getType(type);
    return isAbstractType(abstract) ? (abstract.resolveType ?? undefined) : undefined;
  }

  /** `Type.__resolveReference`; undefined when the subgraph takes the reference as it is (Apollo's default). */
  referenceResolver(type: string): ReferenceResolver | undefined {
    const resolvers = (this.definition.resolvers as Record<string, { __resolveReference?: ReferenceResolver } | undefined>)[type];
    return resolvers?.__resolveReference;
  }

  /** The named type as this subgraph declares it, for its enum values and scalars. */
  type(name: string) {
    return this.schema.getType(name);
  }
}
