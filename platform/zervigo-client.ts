import { numberFromEnv } from './env-number.ts';
/**
 * The one typed client of Zervigo, the external recruiting platform: every request and answer
 * shape Looma exchanges with it lives here. Zervigo is a set of HTTP services, each at its own
 * URL and each serving `GET /health`:
 *
 *   auth     8207  POST /api/v1/auth/validate, POST /api/v1/auth/login
 *   user     8081  PUT  /api/v1/users/external/{ref}        (a candidate, upserted by Looma's talent id)
 *   resume   8082  PUT  /api/v1/resumes/external/{ref}      (a resume, upserted by Looma's resume id)
 *   company  8083  GET  /api/v1/companies/{id}
 *   job      8089  GET  /api/v1/jobs/{id}
 *   ai       8206  POST /api/v1/ai/job-matching, POST /api/v1/ai/chat
 *
 * Upserts by Looma's own ids make every push idempotent by construction: a retry, or a sync
 * that crashed between Zervigo's answer and recording it, updates the same record.
 *
 * The client makes one attempt per call, bounded by the timeout; retries, backoff and the
 * circuit breaker belong to the caller (subgraphs/integrations/zervigo/policy.ts).
 */

export const ZERVIGO_SERVICES = ['auth', 'user', 'resume', 'company', 'job', 'ai'] as const;
export type ZervigoService = (typeof ZERVIGO_SERVICES)[number];

/** Where each service listens on a Zervigo host when only ZERVIGO_BASE_URL is given. */
export const ZERVIGO_DEFAULT_PORTS: Record<ZervigoService, number> = { auth: 8207, user: 8081, resume: 8082, company: 8083, job: 8089, ai: 8206 };

export interface ZervigoConfig {
  /** Each configured service's base URL; a service without one is not configured. */
  urls: Partial<Record<ZervigoService, string>>;
  /** The secret Zervigo signs its tokens with (HS256): when set, tokens are verified locally. */
  jwtSecret?: string;
  /** The bearer token Looma sends on its own calls to Zervigo's services (a service account's). */
  serviceToken?: string;
  /** How long one call may take. */
  timeoutMs: number;
}

/**
 * ZERVIGO_BASE_URL puts every service on one host at its default port (`http://localhost` →
 * auth at http://localhost:8207, …); ZERVIGO_<SERVICE>_URL sets or overrides one. With none set,
 * the integration is off.
 */
export function zervigoConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ZervigoConfig {
  const base = env.ZERVIGO_BASE_URL?.trim();
  const urls: Partial<Record<ZervigoService, string>> = {};
  for (const service of ZERVIGO_SERVICES) {
    const own = env[`ZERVIGO_${service.toUpperCase()}_URL`]?.trim();
    const url = own || (base ? withPort(base, ZERVIGO_DEFAULT_PORTS[service]) : undefined);
    if (url) urls[service] = checkedUrl(url, own ? `ZERVIGO_${service.toUpperCase()}_URL` : 'ZERVIGO_BASE_URL');
  }
  const timeout = numberFromEnv(env, 'ZERVIGO_TIMEOUT_MS', 5_000, { above: 0 });
  return {
    urls,
    ...(env.ZERVIGO_JWT_SECRET ? { jwtSecret: env.ZERVIGO_JWT_SECRET } : {}),
    ...(env.ZERVIGO_SERVICE_TOKEN ? { serviceToken: env.ZERVIGO_SERVICE_TOKEN } : {}),
    timeoutMs: timeout,
  };
}

function withPort(base: string, port: number): string {
  const url = new URL(checkedUrl(base, 'ZERVIGO_BASE_URL'));
  url.port = String(port);
  return url.origin;
}

function checkedUrl(value: string, name: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
    return value.replace(/\/+$/, '');
  } catch {
    throw new Error(`${name} must be an http(s) URL, not ${JSON.stringify(value)}`);
  }
}

export const isConfigured = (config: ZervigoConfig, service: ZervigoService): boolean => config.urls[service] !== undefined;
export const anyConfigured = (config: ZervigoConfig): boolean => ZERVIGO_SERVICES.some((service) => isConfigured(config, service));

// ---- Wire shapes (snake_case, as Zervigo sends them) ----

export interface ZervigoUser {
  id: string;
  username: string;
  role: string;
  permissions: string[];
}

/** POST /api/v1/auth/validate → */
export interface TokenValidation {
  valid: boolean;
  user?: ZervigoUser;
  /** When the token expires (ISO 8601), if Zervigo says. */
  expires_at?: string;
  error?: string;
}

/** POST /api/v1/auth/login → */
export interface LoginAnswer {
  token: string;
  expires_at: string;
  user: ZervigoUser;
}

/** GET /health → (any 2xx is healthy; the body is informative only). */
export interface HealthAnswer {
  status: string;
  service?: string;
}

/** A Looma talent as a Zervigo candidate (user service). */
export interface CandidateInput {
  name: string;
  headline: string | null;
  location: string | null;
  email: string | null;
  phone: string | null;
  tags: string[];
}

export interface Candidate extends CandidateInput {
  /** Zervigo's id: the external id Looma records. */
  id: string;
  external_ref: string;
  created_at: string;
  updated_at: string;
}

/** A Looma resume as Zervigo stores it (resume service), attached to the candidate. */
export interface ResumeInput {
  user_id: string;
  title: string | null;
  summary: string | null;
  skills: string[];
  experience: { title: string; company: string | null; start: string | null; end: string | null; description: string | null }[];
  education: { institution: string; degree: string | null; field: string | null }[];
}

export interface ZervigoResume extends ResumeInput {
  id: string;
  external_ref: string;
  updated_at: string;
}

export interface ZervigoJob {
  id: string;
  title: string;
  company_id: string | null;
  location: string | null;
  url: string | null;
}

export interface ZervigoCompany {
  id: string;
  name: string;
}

/** POST /api/v1/ai/job-matching → */
export interface JobMatchingAnswer {
  matches: { job_id: string; score: number; reasons?: string[] }[];
}

/** POST /api/v1/ai/chat: a question about a record given as facts; the answer names the fields it used. */
export interface ChatRequest {
  question: string;
  subject: string;
  facts: { field: string; text: string }[];
}
export interface ChatAnswer {
  answer: string | null;
  fields: string[];
}

// ---- Errors ----

export type ZervigoFailure = 'not-configured' | 'unreachable' | 'timeout' | 'status' | 'bad-answer';

/** Why a call did not give an answer; `retryable` when trying again may help. */
export class ZervigoError extends Error {
  constructor(
    readonly failure: ZervigoFailure,
    readonly service: ZervigoService,
    message: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ZervigoError';
  }

  get retryable(): boolean {
    if (this.failure === 'unreachable' || this.failure === 'timeout') return true;
    return this.failure === 'status' && (this.status === 429 || (this.status ?? 0) >= 500);
  }
}

// ---- The client ----

export class ZervigoClient {
  constructor(readonly config: ZervigoConfig) {}

  isConfigured(service: ZervigoService): boolean {
    return isConfigured(this.config, service);
  }

  /** GET /health: the latency of a 2xx answer; throws ZervigoError otherwise. */
  async health(service: ZervigoService): Promise<{ latencyMs: number }> {
    const started = performance.now();
    await this.call<unknown>(service, 'GET', '/health', undefined, { json: false });
    return { latencyMs: Math.round(performance.now() - started) };
  }

  validateToken(token: string): Promise<TokenValidation> {
    // 401 is an answer here ("not valid"), not a failure.
    return this.call<TokenValidation>('auth', 'POST', '/api/v1/auth/validate', { token }, { answerStatuses: [401] });
  }

  login(username: string, password: string): Promise<LoginAnswer> {
    return this.call<LoginAnswer>('auth', 'POST', '/api/v1/auth/login', { username, password });
  }

  upsertCandidate(externalRef: string, input: CandidateInput): Promise<Candidate> {
    return this.call<Candidate>('user', 'PUT', `/api/v1/users/external/${encodeURIComponent(externalRef)}`, input);
  }

  upsertResume(externalRef: string, input: ResumeInput): Promise<ZervigoResume> {
    return this.call<ZervigoResume>('resume', 'PUT', `/api/v1/resumes/external/${encodeURIComponent(externalRef)}`, input);
  }

  jobMatches(userId: string, limit: number): Promise<JobMatchingAnswer> {
    return this.call<JobMatchingAnswer>('ai', 'POST', '/api/v1/ai/job-matching', { user_id: userId, limit });
  }

  job(id: string): Promise<ZervigoJob> {
    return this.call<ZervigoJob>('job', 'GET', `/api/v1/jobs/${encodeURIComponent(id)}`);
  }

  company(id: string): Promise<ZervigoCompany> {
    return this.call<ZervigoCompany>('company', 'GET', `/api/v1/companies/${encodeURIComponent(id)}`);
  }

  chat(request: ChatRequest): Promise<ChatAnswer> {
    return this.call<ChatAnswer>('ai', 'POST', '/api/v1/ai/chat', request);
  }

  private async call<Answer>(
    service: ZervigoService,
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body?: unknown,
    options: { json?: boolean; answerStatuses?: number[] } = {},
  ): Promise<Answer> {
    const base = this.config.urls[service];
    if (!base) throw new ZervigoError('not-configured', service, `Zervigo's ${service} service is not configured (set ZERVIGO_BASE_URL or ZERVIGO_${service.toUpperCase()}_URL)`);
    const url = `${base}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.config.serviceToken ? { authorization: `Bearer ${this.config.serviceToken}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new ZervigoError('timeout', service, `Zervigo's ${service} service did not answer within ${this.config.timeoutMs} ms`, undefined, { cause: error });
      }
      throw new ZervigoError('unreachable', service, `Zervigo's ${service} service cannot be reached`, undefined, { cause: error });
    }
    if (!response.ok && !options.answerStatuses?.includes(response.status)) {
      await response.body?.cancel();
      throw new ZervigoError('status', service, `Zervigo's ${service} service answered ${response.status} to ${method} ${path.split('/').slice(0, 4).join('/')}`, response.status);
    }
    if (options.json === false) {
      await response.body?.cancel();
      return undefined as Answer;
    }
    try {
      return (await response.json()) as Answer;
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') throw new ZervigoError('timeout', service, `Zervigo's ${service} service did not finish answering within ${this.config.timeoutMs} ms`, undefined, { cause: error });
      throw new ZervigoError('bad-answer', service, `Zervigo's ${service} service answered with something that is not JSON`, response.status, { cause: error });
    }
  }
}
