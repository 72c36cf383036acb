import { LRUCache } from 'lru-cache';

/**
 * Tokens whose signature and claims have been verified, with what they said, kept until they
 * expire (and never longer than `maxMs`): a client sends its one access token with every request,
 * and a subgraph gets the gateway's credential for one caller several times per request and
 * across requests. A signature check (WebCrypto, asynchronous) costs more than the rest of a
 * small request's authentication. Only a token that verified is kept; a failure is not remembered,
 * and what a token may do now (its session's liveness) is still asked on every request.
 */
export class VerifiedTokens<Claims extends object> {
  private readonly verified: LRUCache<string, Claims>;

  constructor(
    maxEntries = 10_000,
    private readonly maxMs = 60_000,
  ) {
    this.verified = new LRUCache({ max: maxEntries });
  }

  /** What `token` said when it verified, while it has not expired. */
  get(token: string): Claims | undefined {
    return this.verified.get(token);
  }

  /** Keeps a verified token's claims until `expiresAt` (seconds since the epoch, the JWT `exp`), at most `maxMs`. */
  remember(token: string, claims: Claims, expiresAt: number | undefined): void {
    const ttl = Math.min(this.maxMs, expiresAt === undefined ? 0 : expiresAt * 1000 - Date.now());
    if (ttl >= 1) this.verified.set(token, claims, { ttl });
  }
}
