import type { Resolvers } from '../../../platform/subgraph.ts';
import type { Stores } from '../index.ts';
import { Company, GraphEntity, Skill } from './entities.ts';
import { Mutation } from './mutation.ts';
import { Query } from './query.ts';
import { Talent } from './talent.ts';

export const resolvers: Resolvers<Stores> = { Query, Mutation, Talent, Company, Skill, GraphEntity };
