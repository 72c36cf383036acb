import { HeaderMap, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { Counter, type Registry } from 'prom-client';
import { logger } from '../../platform/logger.ts';
import { responseKey, schemaId } from './key.ts';
import type { CachedAnswer, ResponseStore } from './store.ts';

export const RESPONSE_CACHE_HEADER = 'x-response-cache';

type Outcome = 'hit' | 'miss' | 'bypass';

/** What the plugin needs of the gateway's context: whether the request carried no credential. */
export interface CallerContext extends BaseContext {
  anonymous?: boolean;
}

/**
 * Serves anonymous queries from `store` and fills it with their answers. Anonymous callers all
 * get the same view of the data (field auth gives them one), so one answer serves them all;
 * a signed-in caller's answer depends on who they are and is never cached.
 *
 * The generation is read with the entry, before the operation executes; a fill carries that
 * generation, so an answer whose reads began before a domain event is never served after it.
 * Cached: queries answered with data and no error. The header `x-response-cache: hit|miss`
 * marks the requests the cache could serve; `gateway_response_cache_requests_total{outcome}`
 * counts hits, misses and bypasses (signed-in callers, mutations, unreachable store, …).
 * A store that fails is no cache for that request, never a failed request.
 */
export function responseCachePlugin(store: ResponseStore, registry: Registry): ApolloServerPlugin<CallerContext> {
  const requests = new Counter({
    name: 'gateway_response_cache_requests_total',
    help: 'GraphQL requests answered from the gateway response cache (hit), cacheable but computed (miss), or not cacheable (bypass: signed in, not a query, store unreachable)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  for (const outcome of ['hit', 'miss', 'bypass'] as const) requests.inc({ outcome }, 0);

  return {
    async requestDidStart({ contextValue }) {
      if (contextValue.anonymous !== true) {
        requests.inc({ outcome: 'bypass' });
        return;
      }
      let outcome: Outcome = 'bypass';
      let fill: { key: string; generation: string } | undefined;
      return {
        async responseForOperation({ operation, source, request, schema, response }) {
          if (operation?.operation !== 'query' || source === undefined) return null;
          const key = responseKey({ schemaId: schemaId(schema), query: source, operationName: request.operationName, variables: request.variables });
          let read: Awaited<ReturnType<ResponseStore['read']>>;
          try {
            read = await store.read(key);
          } catch (error) {
            logger.warn({ err: error }, 'response cache unreachable; answering without it');
            return null;
          }
          if (read.generation === null) return null;
          if (read.answer) {
            outcome = 'hit';
            return { http: { status: undefined, headers: new HeaderMap([[RESPONSE_CACHE_HEADER, 'hit']]) }, body: { kind: 'single', singleResult: read.answer } };
          }
          outcome = 'miss';
          fill = { key, generation: read.generation };
          response.http.headers.set(RESPONSE_CACHE_HEADER, 'miss');
          return null;
        },
        async willSendResponse({ response }) {
          requests.inc({ outcome });
          if (!fill || response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if (errors?.length || data == null || (response.http.status ?? 200) !== 200) return;
          // Not awaited: the client need not wait for the cache.
          store.write(fill.key, fill.generation, response.body.singleResult as CachedAnswer).catch((error: unknown) => {
            logger.warn({ err: error }, 'filling the response cache failed');
          });
        },
      };
    },
  };
}
