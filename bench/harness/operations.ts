import { readFileSync } from 'node:fs';

/**
 * What the harness sends to every target. An operation is a cycle of GraphQL steps each load
 * connection runs in order (a query is a cycle of one); a step may need what an earlier one
 * answered, kept in the connection's context (autocannon resets it when the cycle restarts).
 * Built from a Fixture so the load process, which has no stack, builds the same requests.
 */
export type Context = Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each step reads its own answer's shape
type Data = any;

export interface Step {
  query: string;
  /** The step's variables, or undefined when the context lacks what it needs (the cycle restarts). */
  variables: (context: Context) => Record<string, unknown> | undefined;
  /** Keeps what later steps need from this step's data. */
  remember?: (data: Data, context: Context) => void;
}

/**
 * How to find and delete the records an operation's cycles left behind: a round ends between a
 * create and its delete on some connections, and a create still in flight is never answered.
 */
export interface Leftovers {
  find: Step;
  ids: (data: Data) => string[];
  remove: (id: string) => Step;
}

export interface Operation {
  name: string;
  /** Queries must answer the same data on every target; mutations must only answer without errors. */
  kind: 'query' | 'mutations';
  description: string;
  steps: Step[];
  leftovers?: Leftovers;
}

/** What the operations need from the demo data, read once through Looma's gateway. */
export interface Fixture {
  talents: { id: string; headline: string | null }[];
}

const operationText = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

export const FLAGSHIP_QUERY = operationText('../../operations/Flagship.graphql');
export const BENCH_TALENTS = operationText('./operations/BenchTalents.graphql');
const SEARCH_ENTITIES = operationText('./operations/SearchEntities.graphql');
const JOB_MATCHES = operationText('./operations/JobMatches.graphql');
const CREATE_COMPANY = operationText('./operations/CreateCompany.graphql');
const UPDATE_COMPANY = operationText('./operations/UpdateCompany.graphql');
const DELETE_COMPANY = operationText('./operations/DeleteCompany.graphql');
const UPDATE_HEADLINE = operationText('./operations/UpdateHeadline.graphql');
const HARNESS_COMPANIES = operationText('./operations/HarnessCompanies.graphql');

/** Every company the harness makes is named so: what finds its leftovers. */
const COMPANY_PREFIX = 'Harness company';

/** How many talents the fixture needs: job matches asks for three. */
export const FIXTURE_TALENTS = 3;

export const FLAGSHIP = 'flagship';

/** Names the harness's companies apart across connections and rounds. */
let companies = 0;

export function operations(fixture: Fixture): Operation[] {
  const [a, b, c] = fixture.talents;
  if (!a || !b || !c) throw new Error(`The fixture needs ${FIXTURE_TALENTS} talents, not ${fixture.talents.length}`);
  const constant = (variables: Record<string, unknown>) => () => variables;
  return [
    {
      name: FLAGSHIP,
      kind: 'query',
      description: 'the flagship query of operations/Flagship.graphql (5 talents with resumes, skills, experience and applications), as bench/flagship.ts sends it',
      steps: [{ query: FLAGSHIP_QUERY, variables: constant({ first: 5 }) }],
    },
    {
      name: 'search',
      kind: 'query',
      description: 'a search for "engineer" (10 hits) with each hit\'s entity resolved by its owner',
      steps: [{ query: SEARCH_ENTITIES, variables: constant({ query: 'engineer', first: 10 }) }],
    },
    {
      name: 'job matches',
      kind: 'query',
      description: 'the 5 best matching jobs of 3 talents',
      steps: [{ query: JOB_MATCHES, variables: constant({ a: a.id, b: b.id, c: c.id, first: 5 }) }],
    },
    {
      name: 'mutations',
      kind: 'mutations',
      description: "a cycle of four: create, update and delete a company, then set a talent's headline to the one it has",
      steps: [
        {
          query: CREATE_COMPANY,
          variables: () => ({ input: { name: `${COMPANY_PREFIX} ${process.pid}-${++companies}`, industry: 'Software', size: 'SMALL' } }),
          remember: (data, context) => {
            context.companyId = data?.createCompany?.id;
          },
        },
        {
          query: UPDATE_COMPANY,
          variables: (context) => (typeof context.companyId === 'string' ? { id: context.companyId, input: { description: 'Made by the load harness' } } : undefined),
        },
        { query: DELETE_COMPANY, variables: (context) => (typeof context.companyId === 'string' ? { id: context.companyId } : undefined) },
        { query: UPDATE_HEADLINE, variables: constant({ id: a.id, headline: a.headline }) },
      ],
      leftovers: {
        find: { query: HARNESS_COMPANIES, variables: constant({ name: COMPANY_PREFIX }) },
        ids: (data) => data.companies.edges.map(({ node }: { node: { id: string } }) => node.id),
        remove: (id) => ({ query: DELETE_COMPANY, variables: constant({ id }) }),
      },
    },
  ];
}
