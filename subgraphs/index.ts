import { companies } from './companies/index.ts';

/** Every domain subgraph; supergraph.yaml says where each runs and in which order. */
export const definitions = [companies];
