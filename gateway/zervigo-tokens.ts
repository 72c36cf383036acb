import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { errors as joseErrors, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import { viewerWithRole, type Viewer } from '../platform/auth/index.ts';
import { badCredential } from '../platform/auth/credential-error.ts';
import { ErrorCode } from '../platform/errors.ts';
import { logger } from '../platform/logger.ts';
import { ZervigoClient, ZervigoError, isConfigured, type TokenValidation, type ZervigoConfig } from '../platform/zervigo-client.ts';
import { loomaRoleOf } from './zervigo-roles.ts';

/**
 * Zervigo tokens at the gateway: a Zervigo account calls Looma with the token Zervigo's login
 * gave it, and acts as the Looma role its Zervigo role maps to (gateway/zervigo-roles.ts).
 *
 * With ZERVIGO_JWT_SECRET the gateway verifies the token itself (HS256, issuer `zervigo`, an
 * expiry required). Otherwise it asks Zervigo's auth service (POST /api/v1/auth/validate) and
 * reuses the answer for a short while, so a burst of requests costs one call: answers, valid or
 * not, are kept ZERVIGO_TOKEN_CACHE_SECONDS (never past the token's expiry), for at most
 * MAX_CACHED_TOKENS tokens, under a SHA-256 of the token so no token sits in memory as a key.
 * A failure to get an answer is not kept: the next request asks again.
 */
export const ZERVIGO_ISSUER = 'zervigo';
export const MAX_CACHED_TOKENS = 10_000;

export interface ZervigoTokenOptions {
  /** How long an answer of the auth service is reused; 0 asks on every request. */
  cacheSeconds: number;
  /** How many answers are kept at most; the least recently used go first. */
  maxEntries: number;
}

/** ZERVIGO_TOKEN_CACHE_SECONDS (60 by default; fractions allowed, 0 turns the cache off). */
export function zervigoTokenOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ZervigoTokenOptions {
  const value = env.ZERVIGO_TOKEN_CACHE_SECONDS;
  const cacheSeconds = value === undefined || value === '' ? 60 : Number(value);
  if (!Number.isFinite(cacheSeconds) || cacheSeconds < 0) throw new Error(`ZERVIGO_TOKEN_CACHE_SECONDS must be a non-negative number of seconds, not ${JSON.stringify(value)}`);
  return { cacheSeconds, maxEntries: MAX_CACHED_TOKENS };
}

/** Whether the gateway can check Zervigo tokens: it holds Zervigo's secret, or knows where its auth service is. */
export const acceptsZervigoTokens = (config: ZervigoConfig): boolean => Boolean(config.jwtSecret) || isConfigured(config, 'auth');

/** What the auth service said about one token. */
type Answer = { viewer: Viewer } | { refused: string };

const REFUSED = 'Zervigo did not accept the token (invalid, expired or revoked); sign in to Zervigo again';

/** The Looma viewer of a Zervigo account, or undefined when the claims name no account. */
function zervigoViewer(id: unknown, role: unknown): Viewer | undefined {
  if (typeof id !== 'string' || !id) return undefined;
  // Prefixed, so a Zervigo id can never be taken for a Looma user's; no session: there is none in Looma to end.
  return viewerWithRole(`zervigo:${id}`, loomaRoleOf(role));
}

/** The request fails with 503: the token may be fine, but nobody could say so. */
export function zervigoUnavailable(error: ZervigoError): GraphQLError {
  logger.warn({ err: error }, "Zervigo's auth service could not check a token");
  const reason: Record<ZervigoError['failure'], string> = {
    'not-configured': 'it is not configured',
    unreachable: 'it cannot be reached',
    timeout: 'it did not answer in time',
    status: `it answered HTTP ${error.status}`,
    'bad-answer': 'its answer could not be read',
  };
  return new GraphQLError(`Zervigo's auth service could not check the token (${reason[error.failure]}); try again later, or sign in to Looma`, {
    extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, http: { status: 503 } },
  });
}

export class ZervigoTokenVerifier {
  private readonly secret?: Uint8Array;
  private readonly client: ZervigoClient;
  private readonly answers: LRUCache<string, Answer>;
  /** Checks under way, by token hash: concurrent requests with one token share one call. */
  private readonly pending = new Map<string, Promise<Answer>>();
  private readonly cacheMs: number;

  constructor(config: ZervigoConfig, options: ZervigoTokenOptions = zervigoTokenOptionsFromEnv()) {
    if (config.jwtSecret) this.secret = new TextEncoder().encode(config.jwtSecret);
    this.client = new ZervigoClient(config);
    this.answers = new LRUCache<string, Answer>({ max: options.maxEntries });
    this.cacheMs = Math.round(options.cacheSeconds * 1000);
  }

  /** The viewer a Zervigo token stands for; 401 for a token Zervigo does not accept, 503 when nobody could check it. */
  async verify(token: string): Promise<Viewer> {
    if (this.secret) return this.verifyLocally(token, this.secret);
    const answer = await this.ask(token);
    if ('refused' in answer) throw badCredential(answer.refused);
    return answer.viewer;
  }

  private async verifyLocally(token: string, secret: Uint8Array): Promise<Viewer> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, secret, { issuer: ZERVIGO_ISSUER, algorithms: ['HS256'], requiredClaims: ['exp'] }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw badCredential('The Zervigo token has expired; sign in to Zervigo again');
      if (error instanceof joseErrors.JOSEError) throw badCredential('The Zervigo token is invalid');
      throw error;
    }
    const viewer = zervigoViewer(payload.sub, payload.role);
    if (!viewer) throw badCredential('The Zervigo token names no account');
    return viewer;
  }

  private ask(token: string): Promise<Answer> {
    const key = createHash('sha256').update(token).digest('base64url');
    const cached = this.answers.get(key);
    if (cached) return Promise.resolve(cached);
    let pending = this.pending.get(key);
    if (!pending) {
      pending = this.validate(token, key).finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    return pending;
  }

  private async validate(token: string, key: string): Promise<Answer> {
    let validation: TokenValidation;
    try {
      validation = await this.client.validateToken(token);
    } catch (error) {
      if (error instanceof ZervigoError) throw zervigoUnavailable(error);
      throw error;
    }
    const answer = answerOf(validation);
    // Kept no longer than the token lives; a valid answer whose expiry cannot be read is not kept.
    const untilExpiry = 'viewer' in answer && validation.expires_at !== undefined ? Date.parse(validation.expires_at) - Date.now() : Infinity;
    const ttl = Math.min(this.cacheMs, Number.isNaN(untilExpiry) ? 0 : untilExpiry);
    if (ttl >= 1) this.answers.set(key, answer, { ttl: Math.floor(ttl) });
    return answer;
  }
}

/** The auth service's answer, checked: one that is neither a refusal nor names an account means nobody could check the token. */
function answerOf(validation: TokenValidation): Answer {
  if (validation?.valid === false) return { refused: REFUSED };
  const viewer = validation?.valid === true ? zervigoViewer(validation.user?.id, validation.user?.role) : undefined;
  if (!viewer) throw zervigoUnavailable(new ZervigoError('bad-answer', 'auth', "Zervigo's auth service answered a token check with neither a refusal nor an account"));
  return { viewer };
}
