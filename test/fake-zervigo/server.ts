import {
  ZERVIGO_SERVICES,
  type Candidate,
  type ZervigoConfig,
  type ZervigoResume,
  type ZervigoService,
} from '../../platform/zervigo-client.ts';
import { aiRoutes } from './ai-routes.ts';
import { authRoutes } from './auth-routes.ts';
import { companyRoutes, jobRoutes } from './catalog-routes.ts';
import { FakeFaults } from './faults.ts';
import type { Route } from './http.ts';
import { resumeRoutes } from './resume-routes.ts';
import { userRoutes } from './user-routes.ts';
import { ServiceServer, type FakeRequestRecord } from './service-server.ts';
import { FakeZervigoState } from './state.ts';
import { FakeTokens, type TokenSubject } from './tokens.ts';

export { FAKE_ZERVIGO_ACCOUNTS, FAKE_ZERVIGO_PASSWORD } from './accounts.ts';
export { FAKE_ZERVIGO_COMPANIES, FAKE_ZERVIGO_JOBS } from './catalog.ts';
export type { FakeRequestRecord } from './service-server.ts';

/**
 * A fake Zervigo on loopback: every service of platform/zervigo-client.ts on its
 * own port, with seeded accounts, companies and jobs, in-memory candidates and resumes, and
 * switchable faults (failNext, slow, down). Used by tests and by `npm run zervigo:fake`.
 */
export interface FakeZervigo {
  /** Each service's base URL, e.g. http://127.0.0.1:41234. */
  urls: Record<ZervigoService, string>;
  /** The HS256 secret its tokens are signed with. */
  secret: string;
  /** A ZervigoConfig pointing at it (timeoutMs default 1000, its service token if it demands one); pass { jwtSecret: fake.secret } for local verification. */
  config(overrides?: Partial<ZervigoConfig>): ZervigoConfig;
  /** A token as Zervigo's login would issue it (HS256; claims sub, username, role, permissions, iss 'zervigo', exp); a negative ttl gives an expired one. */
  issueToken(user: TokenSubject, ttlSeconds?: number): Promise<string>;
  /** Closes that service's listener and its connections: callers get connection refused. */
  down(service: ZervigoService): Promise<void>;
  /** Listens again on the same port. */
  up(service: ZervigoService): Promise<void>;
  /** Delays every answer of that service by `ms` (0 clears). */
  slow(service: ZervigoService, ms: number): void;
  /** The next `count` requests to that service (health included) answer `status` (default 500) with a JSON error body. */
  failNext(service: ZervigoService, count: number, status?: number): void;
  /** Every request received (of one service, or all), in order, recorded before any fault applied. */
  requests(service?: ZervigoService): FakeRequestRecord[];
  /** What the user service holds (one per external_ref). */
  candidates(): Candidate[];
  resumes(): ZervigoResume[];
  /** Forgets candidates, resumes, the request log and faults (failNext, slow); seeded data stays and a service that is down stays down. */
  reset(): void;
  stop(): Promise<void>;
}

export interface FakeZervigoOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port) for each; the CLI passes ZERVIGO_DEFAULT_PORTS. */
  ports?: Partial<Record<ZervigoService, number>>;
  /** Default a random one. */
  secret?: string;
  /** When set, every endpoint but /health and the auth service's demands `Authorization: Bearer <it>` (401 otherwise). */
  serviceToken?: string;
}

export async function startFakeZervigo(options: FakeZervigoOptions = {}): Promise<FakeZervigo> {
  const host = options.host ?? '127.0.0.1';
  const tokens = new FakeTokens(options.secret);
  const state = new FakeZervigoState();
  const faults = new FakeFaults();
  let log: FakeRequestRecord[] = [];

  const routes: Record<ZervigoService, Route[]> = {
    auth: authRoutes(tokens),
    user: userRoutes(state),
    resume: resumeRoutes(state),
    company: companyRoutes(),
    job: jobRoutes(),
    ai: aiRoutes(state),
  };
  const servers = Object.fromEntries(
    ZERVIGO_SERVICES.map((service) => [
      service,
      new ServiceServer({ service, host, routes: routes[service], faults, record: (request) => log.push(request), ...(options.serviceToken === undefined ? {} : { serviceToken: options.serviceToken }) }),
    ]),
  ) as Record<ZervigoService, ServiceServer>;

  const stop = () => Promise.all(ZERVIGO_SERVICES.map((service) => servers[service].close())).then(() => undefined);
  try {
    for (const service of ZERVIGO_SERVICES) await servers[service].listen(options.ports?.[service] ?? 0);
  } catch (error) {
    await stop();
    throw error;
  }
  const urls = Object.fromEntries(ZERVIGO_SERVICES.map((service) => [service, servers[service].url])) as Record<ZervigoService, string>;

  return {
    urls,
    secret: tokens.secret,
    config: (overrides = {}) => ({
      urls: { ...urls },
      timeoutMs: 1_000,
      ...(options.serviceToken === undefined ? {} : { serviceToken: options.serviceToken }),
      ...overrides,
    }),
    issueToken: async (user, ttlSeconds) => (await tokens.issue(user, ttlSeconds)).token,
    down: (service) => servers[service].close(),
    up: (service) => servers[service].listen(),
    slow: (service, ms) => faults.slow(service, ms),
    failNext: (service, count, status) => faults.failNext(service, count, status),
    requests: (service) => log.filter((request) => service === undefined || request.service === service).map((request) => structuredClone(request)),
    candidates: () => state.candidates(),
    resumes: () => state.resumes(),
    reset: () => {
      state.reset();
      faults.reset();
      log = [];
    },
    stop,
  };
}
