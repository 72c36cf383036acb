import { DateTime } from '../../../platform/scalars.ts';
import { Mutation } from './mutation.ts';
import { Query } from './query.ts';
import { SyncJob } from './sync-job.ts';
import { Talent } from './talent.ts';

export const resolvers = { Query, Mutation, SyncJob, Talent, DateTime };
