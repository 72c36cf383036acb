import type { Resolvers } from '../../../platform/subgraph.ts';
import type { Stores } from '../index.ts';
import { Query } from './query.ts';

export const resolvers: Resolvers<Stores> = {
  Query,
  SearchEntity: { __resolveType: (entity: { __typename: string }) => entity.__typename },
};
