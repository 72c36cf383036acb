import type { DemoDataset } from '../demo/types.ts';
import type { SubgraphDefinition } from '../platform/subgraph.ts';
import { ai } from './ai/index.ts';
import { companies } from './companies/index.ts';
import { integrations } from './integrations/index.ts';
import { loadDemo as loadCompaniesDemo } from './companies/demo.ts';
import { jobs } from './jobs/index.ts';
import { loadDemo as loadJobsDemo } from './jobs/demo.ts';
import { projects } from './projects/index.ts';
import { loadDemo as loadProjectsDemo } from './projects/demo.ts';
import { resumes } from './resumes/index.ts';
import { loadDemo as loadResumesDemo } from './resumes/demo.ts';
import { relationships } from './relationships/index.ts';
import { search } from './search/index.ts';
import { loadDemo as loadRelationshipsDemo } from './relationships/demo.ts';
import { skills } from './skills/index.ts';
import { loadDemo as loadSkillsDemo } from './skills/demo.ts';
import { users } from './users/index.ts';
import { loadDemo as loadUsersDemo } from './users/demo.ts';

interface Domain<Stores> {
  definition: SubgraphDefinition<Stores>;
  /** Derived subgraphs that own nothing of the demo draw it from the owners instead. */
  loadDemo?: (stores: Stores, dataset: DemoDataset) => Promise<void>;
}

const domain = <Stores>(definition: SubgraphDefinition<Stores>, loadDemo?: Domain<Stores>['loadDemo']) =>
  ({ definition, loadDemo }) as Domain<unknown>;

/** Every domain subgraph; supergraph.yaml says where each runs and in which order. */
export const domains: Domain<unknown>[] = [
  domain(users, loadUsersDemo),
  domain(skills, loadSkillsDemo),
  domain(companies, loadCompaniesDemo),
  domain(resumes, loadResumesDemo),
  domain(jobs, loadJobsDemo),
  domain(projects, loadProjectsDemo),
  domain(relationships, loadRelationshipsDemo),
  domain(ai),
  domain(search),
  domain(integrations),
];

export const definitions = domains.map((d) => d.definition);
