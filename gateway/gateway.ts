import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault, ApolloServerPluginLandingPageProductionDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { Counter, Histogram, type Registry } from 'prom-client';
import { AccessTokenVerifier, RedisSessionLiveness, remoteKeySet, signGatewayCredential, type Role, type Viewer } from '../platform/auth/index.ts';
import type { Request } from 'express';
import { REQUEST_ID_HEADER, currentRequest } from '../platform/request-context.ts';
import { ApiKeyVerifier, UsersSessionLiveness } from './users-auth.ts';
import { edgeCompression } from './compression.ts';
import { badCredential } from '../platform/auth/credential-error.ts';
import { Redis } from 'ioredis';
import { config, isProduction } from '../platform/config.ts';
import { loginAttemptsPlugin } from './login-attempts.ts';
import { LoginLimiter } from './login-limiter.ts';
import { formatError } from '../platform/format-error.ts';
import { MAX_BODY, serve, type RunningService } from '../platform/http.ts';
import { admitFileOperations, FILES_PATH } from './security/files-path.ts';
import { corsOrigins, corsPolicy } from '../platform/http-headers.ts';
import { createRegistry, graphqlMetricsPlugin } from '../platform/metrics.ts';
import { concurrencyLimit, operationCount, OperationRateLimiter, principalOf, shedCounter, type OverloadLimits } from './overload.ts';
import { subgraphHealth, type BreakerState } from './subgraph-health.ts';
import { SupergraphSource } from './supergraph-source.ts';
import { resilienceOptionsFromEnv, type ResilienceOptions } from './resilience/config.ts';
import { SubgraphResilience, cancelOnClientDisconnect } from './resilience/subgraph-calls.ts';
import { replicaUrls } from './resilience/replicas.ts';
import { queryLimitProtections, queryLimitsFromEnv, type QueryLimits } from './security/query-limits.ts';
import { productionError } from './security/production-errors.ts';
import { OperationAllowList, persistedQueryOptionsFromEnv, type PersistedQueryOptions } from './security/persisted-queries.ts';
import { auditOptionsFromEnv } from './audit/config.ts';
import { auditPlugin } from './audit/plugin.ts';
import { AuditSink, type AuditSinkOptions } from './audit/sink.ts';
import { usersAuditEndpoint } from './audit/users-endpoint.ts';
import { zervigoConfigFromEnv, type ZervigoConfig } from '../platform/zervigo-client.ts';
import { ZervigoTokenVerifier, acceptsZervigoTokens } from './zervigo-tokens.ts';
import { bearerTokenVerifier } from './bearer-tokens.ts';
import type { EventBus } from '../platform/events/index.ts';
import { responseCacheOptionsFromEnv, type ResponseCacheOptions } from './response-cache/config.ts';
import { openResponseCache, type ResponseCache } from './response-cache/open.ts';

/** `make`'s promise, made on the first call and shared by the later ones. */
const once = <T>(make: () => Promise<T>): (() => Promise<T>) => {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
};

export interface GatewayContext {
  /** What the gateway vouches for to every subgraph this request reaches: signed on the first subgraph call, so an answer from the response cache signs nothing. */
  subgraphCredential: () => Promise<string>;
  /** The client's IP address (behind a proxy, per TRUST_PROXY). */
  clientAddress: string;
  /** The signed-in user (by token or API key), whose password `changePassword` checks. */
  callerId: string | null;
  /** The caller's role (an API key's own, when it has one), for the audit log; absent or null for an anonymous caller. */
  callerRole?: Role | null;
  /** No credential came with the request: its answer is anyone's, and may come from the response cache. */
  anonymous?: boolean;
}

/** Counts every fetch the gateway makes to a subgraph, by subgraph. */
function subgraphFetchCounter(registry: Registry): Counter<'subgraph'> {
  return new Counter({
    name: 'gateway_subgraph_requests_total',
    help: 'Calls the gateway made to each subgraph, those its circuit breaker refused included',
    labelNames: ['subgraph'],
    registers: [registry],
  });
}

/** Times every fetch the gateway makes to a subgraph, by subgraph and outcome. */
function subgraphFetchDuration(registry: Registry): Histogram<'subgraph' | 'outcome'> {
  return new Histogram({
    name: 'gateway_subgraph_request_duration_seconds',
    help: 'Latency of the requests the gateway sent to each subgraph; outcome "error" when no GraphQL answer came back (network failure, non-2xx status)',
    labelNames: ['subgraph', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
}

/**
 * A subgraph's data source whose every fetch is timed from willSendRequest to didReceiveResponse
 * or didEncounterError: each call of process() holds its own timer, so concurrent fetches don't mix.
 */
class TimedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    private readonly duration: Histogram<'subgraph' | 'outcome'>,
    config: ConstructorParameters<typeof RemoteGraphQLDataSource<GatewayContext>>[0],
  ) {
    super(config);
  }

  override async process(options: Parameters<RemoteGraphQLDataSource<GatewayContext>['process']>[0]) {
    const stop = this.duration.startTimer({ subgraph: this.subgraph });
    try {
      const response = await super.process(options);
      stop({ outcome: 'ok' });
      return response;
    } catch (error) {
      stop({ outcome: 'error' });
      throw error;
    }
  }
}

/**
 * The Apollo gateway over a composed supergraph. `urls` overrides the routing URLs baked into
 * the supergraph (ephemeral ports in tests, service hostnames in docker-compose).
 */
export function createGateway(options: {
  supergraphSdl: string;
  urls: Record<string, string | undefined>;
  registry: Registry;
  loginLimiter: LoginLimiter;
  /** Production turns introspection and the Sandbox landing page off. */
  production?: boolean;
  /** Where the supergraph comes from when it may change (a watched file); `supergraphSdl` otherwise. */
  supergraph?: SupergraphSource;
  /** Timeouts, retries and circuit breakers of subgraph calls (gateway/resilience); the environment's by default. */
  resilience?: Partial<ResilienceOptions>;
  /** The subgraph calls' breakers, when the caller shows their state too (startGateway); made here otherwise. */
  calls?: SubgraphResilience;
  /** What one operation may ask (gateway/security/query-limits.ts); the environment's by default. */
  queryLimits?: QueryLimits;
  /** In allow-list mode, the operations the gateway runs (gateway/security/persisted-queries.ts). */
  allowList?: OperationAllowList;
  /** Where every mutation's audit records go (gateway/audit); none are made without one. */
  audit?: AuditSink;
  /** Serves anonymous queries from cache (gateway/response-cache); every request is executed without one. */
  responseCache?: ResponseCache;
}): ApolloServer<GatewayContext> {
  const production = options.production ?? isProduction;
  const fetches = subgraphFetchCounter(options.registry);
  const fetchDuration = subgraphFetchDuration(options.registry);
  const resilience = options.calls ?? new SubgraphResilience({ ...resilienceOptionsFromEnv(), ...options.resilience }, options.registry);
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraph ?? options.supergraphSdl,
    buildService: ({ name, url }) => {
      // `<NAME>_URL` may list several replicas: the fetcher balances over them.
      const replicas = replicaUrls(options.urls[name] ?? url ?? '');
      return new TimedDataSource(name, fetchDuration, {
        url: replicas[0],
        fetcher: resilience.fetcherFor(name, replicas),
        async willSendRequest({ request, context }) {
          fetches.inc({ subgraph: name });
          // The only credential a subgraph sees; nothing the client sent is forwarded.
          request.http?.headers.set('authorization', `Bearer ${await context.subgraphCredential()}`);
          // The client's request id (or the one the gateway gave it) follows the request into every subgraph's logs.
          const reqId = currentRequest()?.reqId;
          if (reqId) request.http?.headers.set(REQUEST_ID_HEADER, reqId);
        },
      });
    },
  });
  options.supergraph?.attach(gateway);
  const limits = queryLimitProtections(options.queryLimits ?? queryLimitsFromEnv(), production);
  return new ApolloServer<GatewayContext>({
    gateway,
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    // An array of operations in one request is refused (400): each operation is one request, counted and limited as such.
    allowBatchedHttpRequests: false,
    // Spelled out, though it is Apollo's default: GETs and simple POSTs must carry a header no page can send cross-site.
    csrfPrevention: true,
    // The process owns shutdown (scripts/start.ts, scripts/serve.ts): one ordered stop, not one per server.
    stopOnTerminationSignals: false,
    formatError: production ? (formatted, error) => productionError(formatError(formatted, error)) : formatError,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    plugins: [
      ...limits.plugins,
      ...(options.allowList ? [options.allowList.plugin()] : []),
      graphqlMetricsPlugin(options.registry),
      loginAttemptsPlugin(options.loginLimiter),
      ...(options.audit ? [auditPlugin(options.audit)] : []),
      // After the limits and the allow-list: a cached answer is served only to a request they let through.
      ...(options.responseCache ? [options.responseCache.plugin] : []),
      production
        ? ApolloServerPluginLandingPageProductionDefault({ footer: false })
        : ApolloServerPluginLandingPageLocalDefault({ footer: false, embed: true }),
    ],
  });
}

/** The gateway as an HTTP service: GraphQL and Sandbox on / and /graphql, plus health and metrics. */
export async function startGateway(options: {
  /** The supergraph, or the file holding it (watched and reloaded on change: gateway/supergraph-source.ts). */
  supergraphSdl?: string;
  supergraphPath?: string;
  urls: Record<string, string | undefined>;
  host: string;
  port: number;
  /** The users subgraph's GraphQL URL: its JWKS and session status live beside it. */
  usersUrl: string;
  production?: boolean;
  resilience?: Partial<ResilienceOptions>;
  /** Overload limits (GATEWAY_MAX_CONCURRENT, GATEWAY_RATE_LIMIT_PER_MINUTE by default). */
  limits?: OverloadLimits;
  /** How often a `supergraphPath` is checked for changes (SUPERGRAPH_POLL_MS by default). */
  pollMs?: number;
  /** Each subgraph's breaker state, shown by /health/subgraphs; the gateway's own breakers by default. */
  breakerState?: BreakerState;
  /** What one operation may ask (GATEWAY_MAX_DEPTH, … by default). */
  queryLimits?: QueryLimits;
  /** Automatic persisted queries, or only the manifest's operations (GATEWAY_PERSISTED_QUERIES by default). */
  persistedQueries?: PersistedQueryOptions;
  /** Browser origins allowed to call (CORS_ORIGINS by default: platform/http-headers.ts). */
  corsOrigins?: (string | RegExp)[] | '*';
  /** The largest body the GraphQL paths read (GATEWAY_MAX_BODY by default); files go to /graphql/files. */
  maxBody?: string;
  /** Compress answers for clients that accept it (GATEWAY_COMPRESSION by default). */
  compression?: boolean;
  /** How audit records are held and sent to the users subgraph (AUDIT_* by default: gateway/audit/config.ts). */
  audit?: Partial<AuditSinkOptions>;
  /** Where Zervigo is: with its secret or its auth service, Zervigo tokens are accepted too (ZERVIGO_* by default). */
  zervigo?: ZervigoConfig;
  /** The domain events' bus: with one, anonymous answers are cached and every event invalidates them; without, nothing is cached. */
  bus?: EventBus;
  /** TTL and size of the response cache (RESPONSE_CACHE_* by default), its Redis (REDIS_URL by default); `prefix`/`consumer` keep tests apart in a shared Redis. */
  responseCache?: Partial<ResponseCacheOptions> & { redisUrl?: string; prefix?: string; consumer?: string };
}): Promise<RunningService> {
  const registry = createRegistry('gateway');
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2 }) : undefined;
  const limits = options.limits ?? config.gatewayLimits;
  const shed = shedCounter(registry);
  const rateLimiter = new OperationRateLimiter(limits.ratePerMinute, shed, redis);
  const supergraph = new SupergraphSource(
    options.supergraphPath !== undefined
      ? { path: options.supergraphPath, pollMs: options.pollMs ?? config.supergraphPollMs }
      : { sdl: options.supergraphSdl ?? '' },
    registry,
  );
  const loginLimiter = new LoginLimiter(config.loginLimits, redis);
  const calls = new SubgraphResilience({ ...resilienceOptionsFromEnv(), ...options.resilience }, registry);
  const persisted = options.persistedQueries ?? persistedQueryOptionsFromEnv();
  const allowList = persisted.mode === 'allowlist' ? new OperationAllowList(persisted.manifest ?? { format: 'apollo-persisted-query-manifest', version: 1, operations: [] }) : undefined;
  const breakerState = options.breakerState ?? ((name: string) => calls.stateOf(name));
  const jwksUrl = new URL('/.well-known/jwks.json', options.usersUrl);
  const accessTokens = new AccessTokenVerifier(
    remoteKeySet(jwksUrl),
    redis ? new RedisSessionLiveness(redis) : new UsersSessionLiveness(options.usersUrl),
  );
  const apiKeys = new ApiKeyVerifier(options.usersUrl);
  const zervigo = options.zervigo ?? zervigoConfigFromEnv();
  const bearerTokens = bearerTokenVerifier(accessTokens, acceptsZervigoTokens(zervigo) ? new ZervigoTokenVerifier(zervigo) : undefined);
  const audit = new AuditSink(usersAuditEndpoint(options.usersUrl), registry, { ...auditOptionsFromEnv(), ...options.audit });
  const responseCache = await openResponseCache({
    ...responseCacheOptionsFromEnv(),
    redisUrl: config.redisUrl,
    ...options.responseCache,
    bus: options.bus,
    registry,
  });
  /** The one credential a request carries: an access token (Looma's or Zervigo's) or an API key, never both. */
  const callerOf = async (request: Request): Promise<Viewer | null> => {
    const apiKey = request.headers['x-api-key'];
    if (apiKey === undefined) return bearerTokens(request.headers.authorization);
    if (request.headers.authorization || typeof apiKey !== 'string') throw badCredential('Send one credential: an access token or one x-api-key header');
    return apiKeys.verify(apiKey);
  };
  const service = await serve({
    name: 'gateway',
    host: options.host,
    port: options.port,
    apollo: createGateway({ ...options, supergraphSdl: options.supergraphSdl ?? '', supergraph, registry, loginLimiter, calls, allowList, audit, responseCache }),
    paths: ['/', '/graphql'],
    registry,
    ready: async () => supergraph.loaded && (!redis || (await redis.ping()) === 'PONG'),
    guards: [concurrencyLimit(limits.maxConcurrent, shed, registry)],
    bodyLimit: options.maxBody ?? config.gatewayMaxBody,
    largeBodies: { path: FILES_PATH, limit: MAX_BODY, admit: admitFileOperations },
    cors: corsPolicy(options.corsOrigins ?? corsOrigins(process.env, options.production ?? isProduction)),
    routes: (app) => {
      if (options.compression ?? config.gatewayCompression) app.use(edgeCompression());
      app.get('/health/subgraphs', subgraphHealth({ subgraphs: () => supergraph.subgraphs(), urls: options.urls, breakerState, replicas: (name) => calls.replicasOf(name) }));
      // A client that hangs up cancels the subgraph calls made for it.
      app.use(cancelOnClientDisconnect);
      // Clients verify access tokens with the users subgraph's keys, published here at the one door.
      app.get('/.well-known/jwks.json', async (_request, response, next) => {
        try {
          const upstream = await fetch(jwksUrl);
          if (!upstream.ok) throw new Error(`users answered ${upstream.status} for its JWKS`);
          response.type('application/json').set('cache-control', 'public, max-age=60').send(await upstream.text());
        } catch (error) {
          next(error);
        }
      });
    },
    // The client's credential is verified once, here; a bad one fails the request with 401.
    context: async (request) => {
      allowList?.admit(request);
      const caller = await callerOf(request);
      const apiKey = request.headers['x-api-key'];
      const address = request.ip ?? request.socket.remoteAddress ?? 'unknown';
      await rateLimiter.spend(principalOf(caller, typeof apiKey === 'string' ? apiKey : undefined, address), operationCount(request.body));
      return {
        subgraphCredential: once(() => signGatewayCredential(caller)),
        clientAddress: request.ip ?? request.socket.remoteAddress ?? 'unknown',
        callerId: caller?.userId ?? null,
        callerRole: caller?.role ?? null,
        anonymous: caller === null,
      };
    },
  });
  let stopped: Promise<void> | undefined;
  return {
    ...service,
    stop(graceMs) {
      stopped ??= (async () => {
        await service.stop(graceMs);
        // After the drain (every request's records are in) and before Redis quits: bounded by AUDIT_FLUSH_MS.
        await audit.close();
        await responseCache?.close();
        await calls.close();
        await redis?.quit();
      })();
      return stopped;
    },
  };
}
