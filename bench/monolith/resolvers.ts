import {
  defaultTypeResolver,
  getNamedType,
  isAbstractType,
  isObjectType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type GraphQLTypeResolver,
  type GraphQLAbstractType,
} from 'graphql';
import { representationIn } from './entities.ts';
import { settled } from './promises.ts';
import type { MonolithRequest } from './request.ts';
import type { Routing } from './routing.ts';
import type { ServedSubgraph } from './served-subgraph.ts';

type FieldResolver = GraphQLFieldResolver<unknown, MonolithRequest>;
export type MonolithResolvers = Record<string, Record<string, FieldResolver | GraphQLTypeResolver<unknown, MonolithRequest>>>;

/**
 * Resolvers for every field and abstract type of the API schema, each routed to the subgraph the
 * supergraph says resolves it and run with that subgraph's context:
 * - a field of a root type, or of a type one subgraph alone declares, runs in its one owner;
 * - a field of a type several subgraphs declare runs in the subgraph that produced the parent when
 *   that subgraph resolves it (value types such as PageInfo, keys such as `id`), and otherwise in
 *   its owner, on the parent turned into the owner's representation first (entities.ts).
 * Objects are tagged with the subgraph that returned them only where that decides something: when
 * the field's type is declared by more than one subgraph.
 */
export function monolithResolvers(api: GraphQLSchema, routing: Routing, served: ReadonlyMap<string, ServedSubgraph>): MonolithResolvers {
  const subgraph = (name: string, what: string) => {
    const found = served.get(name);
    if (!found) throw new Error(`${what} is resolved by the ${name} subgraph, which the monolith was given no stores for`);
    return found;
  };
  const shared = (type: string) => routing.declaring(type).length > 1;
  const tagsResult = (type: GraphQLOutputType) => {
    const named = getNamedType(type);
    if (isObjectType(named)) return shared(named.name);
    return isAbstractType(named) && (shared(named.name) || api.getPossibleTypes(named).some((member) => shared(member.name)));
  };
  const roots = new Set([api.getQueryType(), api.getMutationType(), api.getSubscriptionType()].filter(Boolean));

  const fieldResolver = (type: GraphQLObjectType, field: GraphQLField<unknown, unknown>): FieldResolver => {
    const where = `${type.name}.${field.name}`;
    const owners = routing.resolving(type.name, field.name).map((name) => subgraph(name, where));
    if (!owners.length) throw new Error(`The supergraph names no subgraph resolving ${where}`);
    const tags = tagsResult(field.type);
    const runIn = (owner: ServedSubgraph): FieldResolver => {
      const resolve = owner.fieldResolver(type.name, field.name);
      return tags
        ? (parent, args, request, info) => request.tag(resolve(parent, args, request.contextOf(owner.name), info), owner.name)
        : (parent, args, request, info) => resolve(parent, args, request.contextOf(owner.name), info);
    };
    const [first] = owners as [ServedSubgraph];
    if (roots.has(type) || !shared(type.name)) return runIn(first);
    const runners = new Map(owners.map((owner) => [owner.name, runIn(owner)]));
    const inFirst = runners.get(first.name)!;
    return (parent, args, request, info) => {
      const producer = request.producerOf(parent);
      const direct = producer === undefined ? inFirst : runners.get(producer);
      if (direct) return direct(parent, args, request, info);
      const representation = representationIn(request, first, subgraph(producer!, where), type.name, parent, info);
      return settled(representation, (owned) => (owned === null || owned === undefined ? null : inFirst(owned, args, request, info)));
    };
  };

  // As the subgraph that returned the value tells its members apart (one subgraph declares each union here).
  const typeResolver = (abstract: GraphQLAbstractType): GraphQLTypeResolver<unknown, MonolithRequest> => {
    const declaring = routing.declaring(abstract.name).map((name) => subgraph(name, abstract.name));
    return (value, request, info, type) => {
      const producer = request.producerOf(value);
      const decider = (producer !== undefined && declaring.find((candidate) => candidate.name === producer)) || declaring[0];
      const resolve = decider?.typeResolver(abstract.name);
      return resolve ? resolve(value, request.contextOf(decider!.name), info, type) : defaultTypeResolver(value, request, info, type);
    };
  };

  const resolvers: MonolithResolvers = {};
  for (const type of Object.values(api.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type)) resolvers[type.name] = Object.fromEntries(Object.values(type.getFields()).map((field) => [field.name, fieldResolver(type, field)]));
    else if (isAbstractType(type)) resolvers[type.name] = { __resolveType: typeResolver(type) };
  }
  return resolvers;
}
