import type { FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import { SubgraphAnswer } from './answer.ts';

interface EntityCall {
  representations: unknown[];
  resolve(response: FetcherResponse): void;
  reject(error: unknown): void;
}

interface Batch {
  /** The first call's body: its query and operation name carry the merged call. */
  body: EntityBody;
  init: FetcherRequestInit;
  calls: EntityCall[];
}

interface EntityBody {
  query: string;
  operationName?: string;
  variables: { representations: unknown[] } & Record<string, unknown>;
}

interface Answer {
  data?: { _entities?: unknown[] } | null;
  errors?: { path?: (string | number)[] }[];
}

/** The subgraph operation's name, which the query planner numbers per fetch, is no part of what it asks. */
const OPERATION_NAME = /^(\s*query)\s+[_A-Za-z][_0-9A-Za-z]*/;

/**
 * `_entities` calls to one subgraph made for one client request in the same turn of the event
 * loop, asking the same of their entities (the same selection and other variables) with the same
 * credential, go as one call carrying all their representations; each caller gets its own slice of
 * the answer, with its errors' paths renumbered. Apollo's query planner plans each aliased path
 * apart: `a: talent(…) b: talent(…) c: talent(…)` each with `matchingJobs` costs three identical
 * fetches per subgraph on the way down, which become one.
 */
export class EntityBatches {
  private readonly open = new Map<string, Batch>();
  private readonly scopes = new WeakMap<object, number>();
  private nextScope = 0;

  constructor(
    private readonly send: (init: FetcherRequestInit) => Promise<FetcherResponse>,
    /** The current client request (its cancellation signal): only its own calls are merged. */
    private readonly clientRequest: () => object | undefined,
    /** Called with how many calls a merged call saved. */
    private readonly onMerged: (saved: number) => void = () => undefined,
  ) {}

  fetch(init: FetcherRequestInit): Promise<FetcherResponse> {
    const body = entityBody(init.body);
    if (!body) return this.send(init);
    const key = `${this.scopeOf(this.clientRequest())}\n${authorizationOf(init.headers)}\n${body.query.replace(OPERATION_NAME, '$1')}\n${JSON.stringify({ ...body.variables, representations: undefined })}`;
    let batch = this.open.get(key);
    if (!batch) {
      const opened: Batch = { body, init, calls: [] };
      this.open.set(key, opened);
      // After this turn's other fetches have joined (the planner starts parallel fetches one await apart).
      setImmediate(() => {
        this.open.delete(key);
        void this.flush(opened);
      });
      batch = opened;
    }
    const joined = batch;
    return new Promise((resolve, reject) => joined.calls.push({ representations: body.variables.representations, resolve, reject }));
  }

  private async flush({ body, init, calls }: Batch): Promise<void> {
    if (calls.length === 1) return this.send(init).then(calls[0]!.resolve, calls[0]!.reject);
    this.onMerged(calls.length - 1);
    const representations = calls.flatMap((call) => call.representations);
    let response: SubgraphAnswer;
    try {
      response = await SubgraphAnswer.read(await this.send({ ...init, body: JSON.stringify({ ...body, variables: { ...body.variables, representations } }) }));
    } catch (error) {
      for (const call of calls) call.reject(error);
      return;
    }
    const text = await response.text();
    const answer = parsed(text);
    const entities = answer?.data?._entities;
    const sliced = Array.isArray(entities) && entities.length === representations.length;
    let offset = 0;
    for (const call of calls) {
      const from = offset;
      offset += call.representations.length;
      // An answer that cannot be split (no entities: the whole call failed) is every caller's whole answer.
      call.resolve(sliced ? response.withBody(JSON.stringify(sliceOf(answer!, from, offset))) : response);
    }
  }

  private scopeOf(request: object | undefined): number {
    if (!request) return -1;
    let scope = this.scopes.get(request);
    if (scope === undefined) this.scopes.set(request, (scope = this.nextScope++));
    return scope;
  }
}

function entityBody(body: FetcherRequestInit['body']): EntityBody | undefined {
  if (typeof body !== 'string' || !body.includes('_entities')) return undefined;
  try {
    const parsedBody = JSON.parse(body) as Partial<EntityBody>;
    if (typeof parsedBody.query !== 'string' || !Array.isArray(parsedBody.variables?.representations)) return undefined;
    return parsedBody as EntityBody;
  } catch {
    return undefined;
  }
}

function parsed(text: string): Answer | undefined {
  try {
    return JSON.parse(text) as Answer;
  } catch {
    return undefined;
  }
}

/** The part of a merged answer for representations [from, to): its entities, and the errors about them renumbered, plus those about none. */
function sliceOf(answer: Answer, from: number, to: number): Answer {
  const errors = (answer.errors ?? []).flatMap((error) => {
    const [root, index, ...rest] = error.path ?? [];
    if (root !== '_entities' || typeof index !== 'number') return [error];
    return index >= from && index < to ? [{ ...error, path: ['_entities', index - from, ...rest] }] : [];
  });
  return { ...answer, data: { ...answer.data, _entities: answer.data!._entities!.slice(from, to) }, ...(errors.length ? { errors } : { errors: undefined }) };
}

function authorizationOf(headers: FetcherRequestInit['headers']): string {
  if (!headers) return '';
  const record = headers as Record<string, string>;
  return record.authorization ?? record.Authorization ?? '';
}
