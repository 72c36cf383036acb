import type { Fixture } from './operations.ts';

/** One round of load, as main.ts asks the load process for it. */
export interface RoundSpec {
  url: string;
  /** The senders' access tokens: each request is sent with the next one. */
  tokens: string[];
  /** The operation's name in operations.ts. */
  operation: string;
  fixture: Fixture;
  connections: number;
  seconds: number;
}

/** What the load process saw in one round. */
export interface RoundResult {
  /** Seconds the round lasted, as autocannon measured it. */
  seconds: number;
  /** Responses of any status. */
  responses: number;
  /** Responses with a status outside 2xx. */
  non2xx: number;
  /** 2xx responses whose body carries GraphQL `errors`, or no `data`. */
  graphqlErrors: number;
  /** Requests that got no response: connection errors and timeouts. */
  socketErrors: number;
  /** Every response's latency in ms. */
  latencies: number[];
  /** The first few distinct failures, for the report. */
  examples: string[];
}

export const errorsIn = (round: Pick<RoundResult, 'non2xx' | 'graphqlErrors' | 'socketErrors'>) => round.non2xx + round.graphqlErrors + round.socketErrors;
