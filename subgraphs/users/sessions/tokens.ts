import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';
import { markSessionsRevoked } from '../../../platform/auth/index.ts';
import { unauthenticated } from '../../../platform/errors.ts';
import { isId } from '../../../platform/validate.ts';
import type { KeyRing } from './key-ring.ts';
import type { SessionStore } from './store.ts';

export interface IssuedTokens {
  token: string;
  expiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
}

const DAY = 86_400_000;
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Sessions and the tokens that carry them. A refresh token is `<session id>.<secret>`; only a
 * hash of the secret is stored. Each refresh replaces the secret (rotation); presenting the
 * previous one again means it was copied, so the whole session ends. Ending a session is
 * recorded in the database and, with REDIS_URL, in Redis, where the gateway looks first.
 */
export class Tokens {
  constructor(
    private readonly sessions: SessionStore,
    private readonly keys: KeyRing,
    private readonly options: { refreshTokenTtlDays: number; accessTokenTtlSeconds: number; redis?: Redis },
  ) {}

  private async tokensFor(user: { id: string; role: string }, sessionId: string, secret: string, refreshTokenExpiresAt: Date): Promise<IssuedTokens> {
    const { token, expiresAt } = await this.keys.sign({ sub: user.id, role: user.role, sid: sessionId });
    return { token, expiresAt, refreshToken: `${sessionId}.${secret}`, refreshTokenExpiresAt };
  }

  /** A new session, as at login. */
  async start(user: { id: string; role: string }): Promise<IssuedTokens> {
    const sessionId = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.options.refreshTokenTtlDays * DAY);
    await this.sessions.create({ id: sessionId, userId: user.id, refreshHash: sha256(secret), expiresAt });
    return this.tokensFor(user, sessionId, secret, expiresAt);
  }

  /** New tokens for a live session; `currentUser` gives the user's role and status as they are now. */
  async refresh<User extends { id: string; role: string; status: string }>(
    refreshToken: string,
    currentUser: (id: string) => Promise<User | null>,
  ): Promise<{ tokens: IssuedTokens; user: User }> {
    const refused = () => unauthenticated('The refresh token is not valid; sign in again');
    const [sessionId = '', secret = ''] = refreshToken.split('.');
    if (!isId(sessionId) || !secret) throw refused();
    const session = await this.sessions.get(sessionId);
    if (!session || session.revokedAt || session.expiresAt <= new Date()) throw refused();
    const presented = sha256(secret);
    if (session.previousHash && sameHash(presented, session.previousHash)) {
      await this.end([sessionId], 'refresh token reused');
      throw refused();
    }
    if (!sameHash(presented, session.refreshHash)) throw refused();
    const user = await currentUser(session.userId);
    if (!user || user.status !== 'active') {
      await this.end([sessionId], 'account not active');
      throw refused();
    }
    const next = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.options.refreshTokenTtlDays * DAY);
    // Two refreshes racing with the same token: one wins, and the loser has used it a second
    // time, which ends the session just as a later reuse would (else a thief who wins keeps it).
    if (!(await this.sessions.rotate(sessionId, presented, sha256(next), expiresAt))) {
      await this.end([sessionId], 'refresh token reused');
      throw refused();
    }
    return { tokens: await this.tokensFor(user, sessionId, next, expiresAt), user };
  }

  async end(sessionIds: readonly string[], reason: string): Promise<void> {
    await this.publish(await this.sessions.revoke(sessionIds, reason));
  }

  /** Ends every session of the user, but `keep` (the caller's own) when given. */
  async endAllOf(userId: string, reason: string, keep?: string): Promise<void> {
    await this.publish(await this.sessions.revokeAllOf(userId, reason, keep));
  }

  isLive(sessionId: string): Promise<boolean> {
    return isId(sessionId) ? this.sessions.isLive(sessionId) : Promise.resolve(false);
  }

  private async publish(ended: string[]): Promise<void> {
    // Marks outlive every access token of the session; a minute's margin for clock skew.
    if (this.options.redis) await markSessionsRevoked(this.options.redis, ended, this.options.accessTokenTtlSeconds + 60);
  }
}
