import { GraphQLScalarType, isEnumType, isScalarType, isSpecifiedScalarType, type GraphQLSchema } from 'graphql';
import type { Routing } from './routing.ts';
import type { ServedSubgraph } from './served-subgraph.ts';

/** graphql-js's serialize for a scalar declared without an implementation (the value as it is). */
const PASS_THROUGH = new GraphQLScalarType({ name: 'PassThrough' }).serialize;

type ScalarFunctions = Pick<GraphQLScalarType, 'serialize' | 'parseValue' | 'parseLiteral'>;

/**
 * Enum values and custom scalars as the subgraphs implement them (platform/scalars.ts's DateTime,
 * users' Role mapping ADMIN to 'admin'), so what a subgraph's resolver returns or receives means
 * the same as in that subgraph. Subgraphs implementing one type in different ways fail here, at
 * start-up: the monolith has one schema and so one implementation of each type.
 */
export function leafTypeResolvers(api: GraphQLSchema, routing: Routing, served: ReadonlyMap<string, ServedSubgraph>): Record<string, object> {
  const resolvers: Record<string, object> = {};
  for (const type of Object.values(api.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    const declared = routing.declaring(type.name).flatMap((name) => served.get(name)?.type(type.name) ?? []);
    if (isEnumType(type)) {
      const mappings = declared.flatMap((own) => {
        if (!isEnumType(own)) return [];
        const values = own.getValues().filter((value) => value.value !== value.name);
        return values.length ? [JSON.stringify(Object.fromEntries(values.map((value) => [value.name, value.value])))] : [];
      });
      if (new Set(mappings).size > 1 || (mappings.length && mappings.length < declared.length)) throw new Error(`The subgraphs map the values of enum ${type.name} differently`);
      if (mappings[0]) resolvers[type.name] = JSON.parse(mappings[0]) as object;
    } else if (isScalarType(type) && !isSpecifiedScalarType(type)) {
      const implemented = [...new Set(declared.filter((own) => isScalarType(own) && own.serialize !== PASS_THROUGH))] as GraphQLScalarType[];
      if (new Set(implemented.map((own) => own.serialize)).size > 1) throw new Error(`The subgraphs implement scalar ${type.name} differently`);
      const [own] = implemented;
      if (own) resolvers[type.name] = { serialize: own.serialize, parseValue: own.parseValue, parseLiteral: own.parseLiteral } satisfies ScalarFunctions;
    }
  }
  return resolvers;
}
