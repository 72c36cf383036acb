import { GraphQLID, type GraphQLResolveInfo } from 'graphql';
import { settled } from './promises.ts';
import type { MonolithRequest } from './request.ts';
import type { ServedSubgraph } from './served-subgraph.ts';

/**
 * `parent`, an entity `producer` returned, as `owner` represents it: what the gateway does with
 * `_entities`. The key (`id`, the only key in Looma) is read through the producer's own guarded
 * resolver, as the query planner fetches it from the producer; the reference `{ __typename, id }`
 * goes to the owner's `__resolveReference` with the owner's context, once per request for each
 * (owner, type, id). Calls made in one tick meet in the owner's DataLoaders and batch as `_entities` does.
 */
export function representationIn(
  request: MonolithRequest,
  owner: ServedSubgraph,
  producer: ServedSubgraph,
  type: string,
  parent: unknown,
  info: GraphQLResolveInfo,
): unknown {
  // As if `id` were the field asked for: the default resolver reads the property info names.
  const key = producer.fieldResolver(type, 'id')(parent, {}, request.contextOf(producer.name), { ...info, fieldName: 'id' });
  return settled(key, (id) => {
    const serialized = GraphQLID.serialize(id);
    return request.memoised(`${owner.name}\u0000${type}\u0000${serialized}`, () => {
      const reference = { __typename: type, id: serialized };
      const resolve = owner.referenceResolver(type);
      return request.tag(resolve ? resolve(reference, request.contextOf(owner.name), info) : reference, owner.name);
    });
  });
}
