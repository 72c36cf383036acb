import { NotReady } from './readiness.ts';

/** What start-up was doing for a service when it failed. */
export type StartupStep = 'order' | 'database' | 'migrate' | 'stores' | 'demo' | 'listen' | 'ready' | 'compose';

/** Where a step was pointed, for causes that name it (a database's host:port, a port). */
export interface StepTarget {
  /** A database URL; only its host and port are ever shown. */
  databaseUrl?: string;
  port?: number;
}

/**
 * One step of start-up failed: which service (none for steps of the whole supergraph), which
 * step, and the error. `message` is the sentence to show; `cause` keeps the detail for the log.
 */
export class StartupFailure extends Error {
  override name = 'StartupFailure';

  constructor(
    readonly service: string | undefined,
    readonly step: StartupStep,
    cause: unknown,
    target: StepTarget = {},
  ) {
    const reason = plainCause(step, cause, target);
    super(service === undefined ? reason : `the ${service === 'gateway' ? 'gateway' : `${service} service`} failed to start: ${reason}`, { cause });
  }
}

/** Runs one step of a service's start-up, turning its failure into a StartupFailure. */
export async function step<T>(service: string | undefined, what: StartupStep, run: () => Promise<T>, target?: StepTarget): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw error instanceof StartupFailure ? error : new StartupFailure(service, what, error, target);
  }
}

interface SystemError {
  code?: string;
  address?: string;
  port?: number;
  hostname?: string;
  errors?: SystemError[];
}

/** Network failures a person can act on: the peer is not there, or not reachable. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);

function plainCause(what: StartupStep, error: unknown, target: StepTarget): string {
  const system = systemError(error);
  const message = firstLine(error);
  switch (what) {
    case 'order':
      return `cannot order the services: ${message}`;
    case 'database': {
      const where = target.databaseUrl ? `its database at ${hostAndPort(target.databaseUrl)}` : 'its embedded database';
      if (system.code && UNREACHABLE.has(system.code)) return `cannot reach ${where} (${system.code})`;
      if (error instanceof Error && error.name === 'TimeoutError') return `cannot reach ${where} (${message})`;
      return `cannot open ${where}: ${message}`;
    }
    case 'migrate':
      return `migrating its database schema failed: ${message}`;
    case 'stores':
      if (system.code && UNREACHABLE.has(system.code)) return `cannot reach ${peer(system)} (${system.code})`;
      return `cannot open its stores: ${message}`;
    case 'demo':
      return `loading the demo data failed: ${message}`;
    case 'listen': {
      const port = system.port ?? target.port;
      if (system.code === 'EADDRINUSE') return `port ${port} is already in use`;
      if (system.code === 'EACCES') return `not allowed to listen on port ${port}`;
      if (system.code === 'EADDRNOTAVAIL') return `cannot listen on ${system.address ?? 'that address'}: no such address on this machine (HOST)`;
      // Starting a service also subscribes it to the event bus and opens its caches.
      if (system.code && UNREACHABLE.has(system.code)) return `cannot reach ${peer(system)} (${system.code})`;
      return `starting its server failed: ${message}`;
    }
    case 'ready':
      return error instanceof NotReady ? error.message : `its readiness check failed: ${message}`;
    case 'compose':
      return `the supergraph does not compose: ${message}`;
  }
}

/** Node's network errors, also when wrapped (AggregateError when both IPv4 and IPv6 were tried). */
function systemError(error: unknown): SystemError {
  if (typeof error !== 'object' || error === null) return {};
  const found = error as SystemError;
  if (found.code) return { ...found.errors?.[0], ...found };
  if (found.errors?.[0]) return systemError(found.errors[0]);
  return {};
}

function peer(system: SystemError): string {
  if (system.hostname) return system.hostname;
  return system.address ? `${system.address}${system.port ? `:${system.port}` : ''}` : 'one of its backends';
}

/** A URL's host and port, never its credentials or path. */
function hostAndPort(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || defaultPort(parsed.protocol)}`;
  } catch {
    return 'its configured URL';
  }
}

function defaultPort(protocol: string): string {
  return protocol.startsWith('postgres') ? '5432' : '?';
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.trim() || (error instanceof Error ? error.name : 'unknown error');
}

/** The one line a start-up failure is shown as: plain words, no stack trace (the log keeps those). */
export function failureLine(error: unknown): string {
  return error instanceof StartupFailure ? error.message : `start-up failed: ${firstLine(error)}`;
}
