import { Supergraph } from '@apollo/federation-internals';
import { addResolversToSchema, type GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { GraphQLSchema } from 'graphql';
import type { SubgraphDefinition } from '../../platform/subgraph.ts';
import { leafTypeResolvers } from './leaf-types.ts';
import { monolithResolvers } from './resolvers.ts';
import { supergraphRouting } from './routing.ts';
import { ServedSubgraph } from './served-subgraph.ts';

/**
 * The monolith's one executable schema: the supergraph's API schema (the types and fields clients
 * see through the gateway, without the join__ machinery) with every subgraph's own resolvers,
 * each field routed to the subgraph that resolves it (resolvers.ts).
 */
export function monolithSchema(
  supergraphSdl: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each subgraph has its own store type
  definitions: readonly SubgraphDefinition<any>[],
): GraphQLSchema {
  const api = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
  const routing = supergraphRouting(supergraphSdl);
  const served = new Map(definitions.map((definition) => [definition.name, new ServedSubgraph(definition)]));
  // Apollo's own helper, as buildSubgraphSchema uses it: resolvers, resolveType, enum values and scalars set in place.
  addResolversToSchema(api, { ...leafTypeResolvers(api, routing, served), ...monolithResolvers(api, routing, served) } as GraphQLResolverMap<unknown>);
  return api;
}
