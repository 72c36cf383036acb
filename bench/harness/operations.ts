import { readFileSync } from 'node:fs';
import { graphPathOperation, type PathEnds } from './operations/graph-path.ts';

/**
 * What the harness sends to every target. An operation is a cycle of GraphQL steps each load
 * connection runs in order (a query is a cycle of one); a step may need what an earlier one
 * answered, kept in the connection's context (autocannon resets it when the cycle restarts).
 * A query may take turns with several variable sets: the context's `variant` says which.
 * Built from a Fixture so the load process, which has no stack, builds the same requests.
 */
export type Context = Record<string, unknown> & { variant?: number };
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

/**
 * Who sends an operation: the demo admin alone, or the demo recruiters, each request from the next
 * of them. One sender with one set of variables lets a gateway share most in-flight subgraph calls.
 */
export type Senders = 'admin' | 'recruiters';

export interface Operation {
  name: string;
  /** Queries must answer the same data on every target; mutations must only answer without errors. */
  kind: 'query' | 'mutations';
  description: string;
  senders: Senders;
  /** How many variable sets a query takes turns with (its steps read `context.variant`); 1 when fixed. */
  variants: number;
  steps: Step[];
  leftovers?: Leftovers;
}

/** What the operations need from the demo data, read once through Looma's gateway. */
export interface Fixture {
  talents: { id: string; headline: string | null }[];
  /** Two talents a graph path joins, when the run has one (bench/growth.ts). */
  path?: PathEnds;
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

/** Search terms the many-users search takes turns with: each finds talents, jobs and companies in the demo data. */
export const SEARCH_TERMS = ['engineer', 'data', 'python', 'react', 'cloud', 'platform', 'senior', 'kubernetes'];

/** Page sizes the many-users flagship takes turns with: five on average, as the admin's. */
export const FLAGSHIP_PAGES = [3, 4, 5, 6, 7];

/** Talent triples the many-users job matches takes turns with. */
const MATCH_TRIPLES = 8;

/** How many talents the fixture needs: job matches asks for three at a time. */
export const FIXTURE_TALENTS = 3 * MATCH_TRIPLES;

export const FLAGSHIP = 'flagship';
/** The flagship query sent by many users: with FLAGSHIP, what issue 11's first two targets are judged on. */
export const FLAGSHIP_MANY = 'flagship (many users)';

/** Names the harness's companies apart across connections and rounds. */
let companies = 0;

export function operations(fixture: Fixture): Operation[] {
  const { talents } = fixture;
  if (talents.length < FIXTURE_TALENTS) throw new Error(`The fixture needs ${FIXTURE_TALENTS} talents, not ${talents.length}`);
  const [a] = talents as [Fixture['talents'][number]];
  const constant = (variables: Record<string, unknown>) => () => variables;
  const turnOf = (context: Context, count: number) => (context.variant ?? 0) % count;
  const matchesOf = (triple: number) => {
    const [x, y, z] = talents.slice(3 * triple, 3 * triple + 3).map((talent) => talent.id);
    return { a: x, b: y, c: z, first: 5 };
  };
  return [
    {
      name: FLAGSHIP,
      kind: 'query',
      description: 'the flagship query of operations/Flagship.graphql (5 talents with resumes, skills, experience and applications), as bench/flagship.ts sends it, by the admin',
      senders: 'admin',
      variants: 1,
      steps: [{ query: FLAGSHIP_QUERY, variables: constant({ first: 5 }) }],
    },
    {
      name: FLAGSHIP_MANY,
      kind: 'query',
      description: `the same flagship query for ${FLAGSHIP_PAGES.join(', ')} talents (5 on average), each request from the next demo recruiter with the next page size`,
      senders: 'recruiters',
      variants: FLAGSHIP_PAGES.length,
      steps: [{ query: FLAGSHIP_QUERY, variables: (context) => ({ first: FLAGSHIP_PAGES[turnOf(context, FLAGSHIP_PAGES.length)] }) }],
    },
    {
      name: 'search',
      kind: 'query',
      description: 'a search for "engineer" (10 hits) with each hit\'s entity resolved by its owner, by the admin',
      senders: 'admin',
      variants: 1,
      steps: [{ query: SEARCH_ENTITIES, variables: constant({ query: 'engineer', first: 10 }) }],
    },
    {
      name: 'search (many users)',
      kind: 'query',
      description: `the same search for each of ${SEARCH_TERMS.length} terms (${SEARCH_TERMS.join(', ')}), each request from the next recruiter with the next term`,
      senders: 'recruiters',
      variants: SEARCH_TERMS.length,
      steps: [{ query: SEARCH_ENTITIES, variables: (context) => ({ query: SEARCH_TERMS[turnOf(context, SEARCH_TERMS.length)], first: 10 }) }],
    },
    {
      name: 'job matches',
      kind: 'query',
      description: 'the 5 best matching jobs of 3 talents, by the admin',
      senders: 'admin',
      variants: 1,
      steps: [{ query: JOB_MATCHES, variables: () => matchesOf(0) }],
    },
    {
      name: 'job matches (many users)',
      kind: 'query',
      description: `the same for ${MATCH_TRIPLES} triples of talents, each request from the next recruiter with the next triple`,
      senders: 'recruiters',
      variants: MATCH_TRIPLES,
      steps: [{ query: JOB_MATCHES, variables: (context) => matchesOf(turnOf(context, MATCH_TRIPLES)) }],
    },
    {
      name: 'mutations',
      kind: 'mutations',
      description: "a cycle of four: create, update and delete a company, then set a talent's headline to the one it has, by the admin",
      senders: 'admin',
      variants: 1,
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
    ...(fixture.path ? [graphPathOperation(fixture.path)] : []),
  ];
}
