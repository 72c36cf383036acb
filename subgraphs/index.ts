import type { DemoDataset } from '../demo/types.ts';
import type { SubgraphDefinition } from '../platform/subgraph.ts';
import { companies } from './companies/index.ts';
import { loadDemo as loadCompaniesDemo } from './companies/demo.ts';

interface Domain<Stores> {
  definition: SubgraphDefinition<Stores>;
  loadDemo: (stores: Stores, dataset: DemoDataset) => Promise<void>;
}

const domain = <Stores>(definition: SubgraphDefinition<Stores>, loadDemo: Domain<Stores>['loadDemo']) =>
  ({ definition, loadDemo }) as Domain<unknown>;

/** Every domain subgraph; supergraph.yaml says where each runs and in which order. */
export const domains: Domain<unknown>[] = [domain(companies, loadCompaniesDemo)];

export const definitions = domains.map((d) => d.definition);
