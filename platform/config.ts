import { resolve } from 'node:path';
import { numberFromEnv } from './env-number.ts';
import { ROOT } from './registry.ts';

/**
 * Twelve-factor configuration: everything comes from the environment with safe defaults.
 * Each variable is documented in .env.example.
 */
const env = process.env;

export const isProduction = env.NODE_ENV === 'production';

/** A body size from the environment, as Express reads it ('1mb', '512kb'). */
function bodySize(name: string, fallback: string): string {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (!/^\d+(\.\d+)?\s*(b|kb|mb)$/i.test(value.trim())) throw new Error(`${name} must be a size such as 1mb or 512kb, not ${JSON.stringify(value)}`);
  return value.trim();
}

/** A duration in ms from the environment, above 0. */
const milliseconds = (name: string, fallback: number) => numberFromEnv(env, name, fallback, { above: 0 });
/** A count, a port or a whole number of seconds from the environment: at least 0 (0 turns a limit off, or picks a free port). */
const whole = (name: string, fallback: number) => numberFromEnv(env, name, fallback, { whole: true });
/** A lifetime or interval from the environment: a whole number above 0. */
const positive = (name: string, fallback: number) => numberFromEnv(env, name, fallback, { whole: true, above: 0 });

/** Largest page any connection returns; larger `first` values are clamped to it. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

const DEV_GATEWAY_SECRET = 'looma-development-gateway-secret-change-me-too';

export const config = {
  host: env.HOST ?? '0.0.0.0',
  dataDir: resolve(ROOT, env.DATA_DIR ?? 'data'),
  gatewayPort: whole('GATEWAY_PORT', 9000),
  /** `ephemeral` binds every service of `npm start` to a free port (tests, side-by-side runs). */
  ports: (env.PORTS ?? 'registry') as 'registry' | 'ephemeral',
  /** How long `npm start` waits for each service's /health/ready (and for a database to answer) before giving up. */
  startupTimeoutMs: milliseconds('STARTUP_TIMEOUT_MS', 60_000),
  /** `auto` loads the demo dataset into empty stores, `off` never does. */
  demoData: (env.DEMO_DATA ?? 'auto') as 'auto' | 'off',
  /** Lifetime of access tokens; refresh tokens renew them. */
  accessTokenTtlSeconds: positive('ACCESS_TOKEN_TTL_SECONDS', 900),
  refreshTokenTtlDays: positive('REFRESH_TOKEN_TTL_DAYS', 30),
  /** The users subgraph signs with a new key once the current one is this old. */
  signingKeyMaxAgeDays: positive('SIGNING_KEY_MAX_AGE_DAYS', 30),
  /** A new signing key is published this long before it signs (must exceed the gateway's 1 s JWKS refetch cooldown). */
  signingKeyActivationSeconds: numberFromEnv(env, 'SIGNING_KEY_ACTIVATION_SECONDS', 5),
  /** Shared state of the gateway (login rate limits) when set; in-process otherwise. */
  redisUrl: env.REDIS_URL,
  /** With REDIS_URL: how long the shared cache of hot entity lookups keeps an entity (platform/entity-cache.ts); events invalidate it sooner. */
  entityCache: { ttlSeconds: positive('ENTITY_CACHE_TTL_SECONDS', 300) },
  /** The Redis stream carrying domain events, and how long an unacknowledged one waits before a live consumer takes it over. */
  events: { stream: env.EVENTS_STREAM ?? 'looma:events', claimIdleMs: milliseconds('EVENTS_CLAIM_IDLE_MS', 30_000) },
  /** The search subgraph's index lives in Elasticsearch 8 when set (behind the alias ELASTICSEARCH_INDEX); in its PostgreSQL schema otherwise. */
  elasticsearch: { url: env.ELASTICSEARCH_URL, alias: env.ELASTICSEARCH_INDEX ?? 'looma-search' },
  /** The resumes subgraph's talents and resumes live in MongoDB when set (database from the URL's path, else `looma`); in its PostgreSQL schema otherwise. */
  mongodbUrl: env.MONGODB_URL,
  /** The relationships subgraph's graph lives in Neo4j when set (bolt:// or neo4j://); in its PostgreSQL schema otherwise. */
  neo4j: { url: env.NEO4J_URL, user: env.NEO4J_USER ?? 'neo4j', password: env.NEO4J_PASSWORD },
  /** The AI subgraph: an OpenAI-compatible endpoint when AI_BASE_URL is set (built-in offline models otherwise), vectors in Weaviate when WEAVIATE_URL is set. */
  ai: {
    baseUrl: env.AI_BASE_URL,
    apiKey: env.AI_API_KEY,
    embeddingModel: env.AI_EMBEDDING_MODEL ?? 'text-embedding-3-small',
    chatModel: env.AI_CHAT_MODEL ?? 'gpt-4o-mini',
    /** Who answers askAboutTalent: `extractive`, `chat` or `zervigo`; `chat` with AI_BASE_URL, else `extractive`, when unset (subgraphs/ai/answering/provider.ts). */
    answerProvider: env.AI_ANSWER_PROVIDER,
    /** `low,high`: the cosine similarities the endpoint's model gives unrelated and closely related texts. */
    similarityRange: env.AI_SIMILARITY_RANGE,
    timeoutMs: milliseconds('AI_TIMEOUT_MS', 20_000),
    weaviateUrl: env.WEAVIATE_URL,
    weaviateGrpcPort: positive('WEAVIATE_GRPC_PORT', 50051),
    weaviateApiKey: env.WEAVIATE_API_KEY,
  },
  /** Failed logins allowed per account and per client address in each window. */
  loginLimits: {
    perAccount: whole('LOGIN_MAX_FAILURES_PER_ACCOUNT', 5),
    perAddress: whole('LOGIN_MAX_FAILURES_PER_ADDRESS', 20),
    windowSeconds: positive('LOGIN_WINDOW_SECONDS', 900),
  },
  /**
   * Overload protection at the gateway (gateway/overload.ts): GraphQL requests in flight beyond
   * `maxConcurrent` are shed with 503, and each principal (user, API key, or address when anonymous)
   * may send `ratePerMinute` operations a minute before 429. 0 turns either off.
   */
  gatewayLimits: {
    maxConcurrent: whole('GATEWAY_MAX_CONCURRENT', 256),
    ratePerMinute: whole('GATEWAY_RATE_LIMIT_PER_MINUTE', 600),
  },
  /**
   * Graceful shutdown (platform/drain.ts, platform/shutdown.ts): a stopping server lets the requests in flight
   * finish for up to `graceMs`, then closes their connections; a process whose whole ordered stop (drains, event
   * bus, stores) takes longer than `timeoutMs` exits 1 at once.
   */
  shutdown: {
    graceMs: milliseconds('SHUTDOWN_GRACE_MS', 10_000),
    timeoutMs: milliseconds('SHUTDOWN_TIMEOUT_MS', milliseconds('SHUTDOWN_GRACE_MS', 10_000) + 5_000),
  },
  /** The largest body the gateway's GraphQL paths read; resume files go to /graphql/files (gateway/security/files-path.ts). */
  gatewayMaxBody: bodySize('GATEWAY_MAX_BODY', '1mb'),
  /** The gateway compresses its answers for clients that accept it (gateway/compression.ts); `false` leaves it to a proxy in front. */
  gatewayCompression: env.GATEWAY_COMPRESSION !== 'false',
  /** How often the gateway looks for a changed supergraph file (scripts/serve.ts), in ms. */
  supergraphPollMs: milliseconds('SUPERGRAPH_POLL_MS', 1000),
  /** Express `trust proxy`: set when the gateway sits behind a load balancer, so client addresses are real. */
  trustProxy: env.TRUST_PROXY ?? 'false',
  gatewaySecret: env.GATEWAY_SECRET ?? (isProduction ? '' : DEV_GATEWAY_SECRET),
  /**
   * Local work only: a subgraph also answers calls that did not come through the gateway,
   * taking the caller from `Authorization: Bearer <user token>` (or anonymous). Ignored in production.
   */
  allowDirectSubgraphCalls: env.ALLOW_DIRECT_SUBGRAPH_CALLS === 'true' && !isProduction,
};

/** `<NAME>_DATABASE_URL` wins over `DATABASE_URL`; neither means the embedded PGlite store. */
export function databaseUrlFor(service: string): string | undefined {
  return env[`${service.toUpperCase()}_DATABASE_URL`] ?? env.DATABASE_URL ?? undefined;
}

/** `<NAME>_PORT`: where `npm start` binds one subgraph instead of its routing_url's port (or a free one with PORTS=ephemeral). */
export function subgraphPortOverride(service: string): number | undefined {
  const name = `${service.toUpperCase()}_PORT`;
  return env[name] ? whole(name, 0) : undefined;
}

/**
 * Where the gateway reaches a subgraph: `<NAME>_URL`, else the routing_url in supergraph.yaml.
 * It may list several replicas, separated by commas, which the gateway balances over.
 */
export function subgraphUrlOverride(service: string): string | undefined {
  return env[`${service.toUpperCase()}_URL`];
}

/** One URL of a subgraph, for callers that need any replica (a snapshot feed, a reindex, the users keys): the first. */
export function oneSubgraphUrl(service: string): string | undefined {
  return subgraphUrlOverride(service)?.split(',')[0]?.trim() || undefined;
}

function secret(value: string, name: string): Uint8Array {
  if (!value) throw new Error(`${name} must be set when NODE_ENV=production`);
  return new TextEncoder().encode(value);
}

export const requireGatewaySecret = () => secret(config.gatewaySecret, 'GATEWAY_SECRET');
