import { randomUUID } from 'node:crypto';
import { setTimeout } from 'node:timers/promises';
import type { Express, Response } from 'express';
import { signGatewayCredential, verifyGatewayCredential, type Permission } from '../auth/index.ts';
import { ErrorCode } from '../errors.ts';
import { isId } from '../validate.ts';
import type { DomainEvent } from './event.ts';
import type { Outbox } from './outbox.ts';

/**
 * An owner's current state as a feed of events, for rebuilding derived stores from scratch
 * (`npm run reindex`): demo data is bulk-loaded without events, and a derived store may be lost.
 * Each entity comes as `<prefix>.snapshot` carrying the payload its own events carry.
 */

/** One entity of a snapshot page: its id (the keyset) and its event payload. */
export interface SnapshotEntry {
  id: string;
  payload: Record<string, unknown>;
}

/** One aggregate type an owner can list in full, in id order, as its event payloads. */
export interface SnapshotSource {
  /** The aggregate type its events name, e.g. 'Talent'. */
  aggregate: string;
  /** The prefix of its event types, e.g. 'talent'. */
  eventPrefix: string;
  /** Up to `limit` entities with an id after `afterId` (all of them from null on), in id order. */
  page(afterId: string | null, limit: number): Promise<SnapshotEntry[]>;
}

export const SNAPSHOT_PATH = '/events/snapshot';
export const DEFAULT_SNAPSHOT_PAGE = 500;
const MAX_SNAPSHOT_PAGE = 1000;
/** A page the owner has not answered in this long fails the rebuild instead of holding its lock. */
const SNAPSHOT_PAGE_TIMEOUT_MS = 60_000;
/** Tries of a page whose connection broke, and the pause before the next (longer each time). */
const PAGE_ATTEMPTS = 3;
const PAGE_RETRY_MS = 200;
const REPLAY_PERMISSION: Permission = 'events:replay';

export interface SnapshotPage {
  events: DomainEvent[];
  /** Where the next page starts; null once every source has been read. */
  cursor: string | null;
}

/** Where a page starts: in the source of this aggregate, after this id (null: at its first). */
interface Position {
  aggregate: string;
  after: string | null;
}

/**
 * Serves `GET /events/snapshot?cursor=&limit=`: every source in order, each in id order. The
 * feed holds personal data, so it answers only a gateway credential holding events:replay,
 * whatever ALLOW_DIRECT_SUBGRAPH_CALLS says.
 */
export function snapshotRoute(app: Express, source: string, sources: SnapshotSource[], outbox: Pick<Outbox, 'newestPositions'>): void {
  const aggregates = sources.map((entry) => entry.aggregate);
  if (new Set(aggregates).size !== aggregates.length) throw new Error(`${source} lists an aggregate twice in its snapshot sources: ${aggregates.join(', ')}`);

  app.get(SNAPSHOT_PATH, async (request, response) => {
    if (await refuseUnlessReplay(request.headers.authorization, response)) return;

    const limit = parseLimit(request.query.limit);
    if (limit === null) return fail(response, 400, ErrorCode.BAD_USER_INPUT, `limit must be a whole number from 1 to ${MAX_SNAPSHOT_PAGE}`);
    const start = request.query.cursor === undefined ? { index: 0, after: null } : parseCursor(request.query.cursor, aggregates);
    if (start === null) return fail(response, 400, ErrorCode.BAD_USER_INPUT, 'cursor is not one this feed issued');

    response.json(await readPage(source, sources, outbox, start, limit));
  });
}

/**
 * Fills the page from the sources in order, moving to the next one when a source runs out. Each
 * source is asked for one entity more than fits, so the page that serves the last one also says so
 * (a null cursor) instead of leaving an empty page to read.
 */
async function readPage(
  source: string,
  sources: SnapshotSource[],
  outbox: Pick<Outbox, 'newestPositions'>,
  start: { index: number; after: string | null },
  limit: number,
): Promise<SnapshotPage> {
  const occurredAt = new Date().toISOString();
  const events: DomainEvent[] = [];
  let { index, after } = start;
  while (index < sources.length && events.length < limit) {
    const { aggregate, eventPrefix, page } = sources[index]!;
    const wanted = limit - events.length;
    const entries = await page(after, wanted + 1);
    const served = entries.slice(0, wanted);
    // Read after the entities: an event committed in between makes the position newer than the state
    // read, and since consumers apply an event whose position equals the one they hold, it still lands.
    const positions = await outbox.newestPositions(aggregate, served.map((entry) => entry.id));
    for (const { id, payload } of served) {
      const position = positions.get(id) ?? 0;
      events.push({ id: randomUUID(), type: `${eventPrefix}.snapshot`, source, aggregate: { type: aggregate, id }, payload, occurredAt, position });
    }
    if (entries.length > wanted) {
      after = entries[wanted - 1]!.id;
    } else {
      index += 1;
      after = null;
    }
  }
  const cursor = index < sources.length ? encodeCursor({ aggregate: sources[index]!.aggregate, after }) : null;
  return { events, cursor };
}

/**
 * Answers 401/403 and returns true unless the caller holds events:replay: the snapshot feed and
 * a consumer's rebuild endpoint (projection.ts) share this gate.
 */
export async function refuseUnlessReplay(authorization: string | undefined, response: Response): Promise<boolean> {
  const refused = await refusal(authorization);
  if (refused) fail(response, refused.status, refused.code, refused.message);
  return refused !== null;
}

/** Why the caller may not read the feed (as the HTTP answer), or null when it may. */
async function refusal(authorization: string | undefined): Promise<{ status: number; code: ErrorCode; message: string } | null> {
  const bearer = authorization && /^Bearer\s+(.+)$/i.exec(authorization)?.[1];
  if (!bearer) return { status: 401, code: ErrorCode.UNAUTHENTICATED, message: `Send a gateway credential holding ${REPLAY_PERMISSION}` };
  const viewer = await verifyGatewayCredential(bearer).catch(() => undefined);
  if (viewer === undefined) return { status: 401, code: ErrorCode.UNAUTHENTICATED, message: 'The gateway credential is invalid or expired' };
  if (viewer === null) return { status: 401, code: ErrorCode.UNAUTHENTICATED, message: `Sign in as a caller holding ${REPLAY_PERMISSION}` };
  if (!viewer.permissions.includes(REPLAY_PERMISSION)) return { status: 403, code: ErrorCode.FORBIDDEN, message: `This needs the permission ${REPLAY_PERMISSION}` };
  return null;
}

/** The same error shape as every other answer of the service (platform/http.ts). */
function fail(response: Response, status: number, code: ErrorCode, message: string): void {
  response.status(status).json({ errors: [{ message, extensions: { code } }] });
}

function parseLimit(value: unknown): number | null {
  if (value === undefined) return DEFAULT_SNAPSHOT_PAGE;
  if (typeof value !== 'string' || !/^\d{1,4}$/.test(value)) return null;
  const limit = Number(value);
  return limit >= 1 && limit <= MAX_SNAPSHOT_PAGE ? limit : null;
}

function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** The position a cursor names, or null for anything this feed did not issue. */
function parseCursor(value: unknown, aggregates: readonly string[]): { index: number; after: string | null } | null {
  if (typeof value !== 'string') return null;
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(value, 'base64url').toString());
  } catch {
    return null;
  }
  if (typeof position !== 'object' || position === null) return null;
  const { aggregate, after } = position as Partial<Position>;
  const index = typeof aggregate === 'string' ? aggregates.indexOf(aggregate) : -1;
  // Every owner keys its aggregates by UUID: anything else would fail in SQL instead of here.
  if (index < 0 || (after !== null && !isId(after))) return null;
  return { index, after };
}

/**
 * Reads an owner's whole snapshot, page by page. `ownerBaseUrl` is the owner's GraphQL URL (as
 * in RunningService.url or supergraph.yaml); the feed sits beside it. `credential` is asked for
 * each page, since a gateway credential lives only a minute.
 */
export async function* readSnapshot(
  ownerBaseUrl: string,
  credential: () => Promise<string>,
  pageSize = DEFAULT_SNAPSHOT_PAGE,
): AsyncGenerator<DomainEvent[]> {
  const feed = besideGraphql(ownerBaseUrl, SNAPSHOT_PATH);
  let cursor: string | null = null;
  do {
    const url = new URL(feed);
    url.searchParams.set('limit', String(pageSize));
    if (cursor) url.searchParams.set('cursor', cursor);
    const response = await fetchPage(url, feed, credential);
    if (!response.ok) throw new Error(`The snapshot of the owner at ${feed} answered ${response.status}: ${await reason(response)}`);
    const page = (await response.json()) as Partial<SnapshotPage>;
    if (!Array.isArray(page.events) || (page.cursor !== null && typeof page.cursor !== 'string')) {
      throw new Error(`The snapshot of the owner at ${feed} answered something that is not a snapshot page`);
    }
    if (page.events.length) yield page.events;
    cursor = page.cursor;
  } while (cursor);
}

/**
 * One page of the feed. Reading a page changes nothing, so a connection that broke under it (the
 * owner closed a kept-alive socket as it was reused, typically while a first build keeps its event
 * loop busy) is tried again, twice, rather than failing a first build that has read thousands of
 * pages. A page the owner does not answer in time is not tried again.
 */
async function fetchPage(url: URL, feed: string, credential: () => Promise<string>): Promise<globalThis.Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, { headers: { authorization: `Bearer ${await credential()}` }, signal: AbortSignal.timeout(SNAPSHOT_PAGE_TIMEOUT_MS) });
    } catch (error) {
      if (attempt >= PAGE_ATTEMPTS || (error as Error).name === 'TimeoutError') {
        throw new Error(`Could not reach the snapshot of the owner at ${feed}: ${(error as Error).message}`, { cause: error });
      }
      await setTimeout(PAGE_RETRY_MS * attempt);
    }
  }
}

/**
 * A service's endpoint beside its GraphQL endpoint, a path prefix kept (a proxy may add one):
 * `http://host/looma/companies/graphql` + `/events/snapshot` → `http://host/looma/companies/events/snapshot`.
 */
export function besideGraphql(graphqlUrl: string, path: string): string {
  const url = new URL(graphqlUrl);
  url.pathname = url.pathname.replace(/\/graphql\/?$/, '').replace(/\/$/, '') + path;
  url.search = '';
  url.hash = '';
  return url.toString();
}

async function reason(response: globalThis.Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const message = (JSON.parse(text) as { errors?: { message?: string }[] }).errors?.[0]?.message;
    if (message) return message;
  } catch {
    // Not JSON (e.g. a proxy's page): show its start.
  }
  return text.slice(0, 200) || response.statusText;
}

/**
 * What a derived subgraph sends the owners' feeds: a gateway credential for the service itself,
 * holding only events:replay. Signed per call, as the credential lives a minute.
 */
export function serviceCredential(name: string): Promise<string> {
  return signGatewayCredential({ userId: `service:${name}`, role: 'admin', permissions: [REPLAY_PERMISSION] });
}
