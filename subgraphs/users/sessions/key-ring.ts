import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { ACCESS_TOKEN_ALGORITHM, ACCESS_TOKEN_ISSUER } from '../../../platform/auth/index.ts';
import type { SigningKey, SigningKeyStore } from './store.ts';

const DAY = 86_400_000;
const CACHE_MS = 1_000;

/**
 * The keys that sign access tokens, and their life cycle:
 * - a new key is published in the JWKS at once but signs only after `activationSeconds`, so every
 *   verifier has had the chance to fetch it before the first token it signs arrives;
 * - the newest active key signs; once it is older than `maxAgeDays` a successor is made;
 * - an older key stays published while a token it signed can still be valid, then is deleted.
 * So a rotation, whether scheduled or by `rotateSigningKey`, never logs anyone out.
 */
export class KeyRing {
  private cache: { at: number; keys: SigningKey[] } | undefined;

  constructor(
    private readonly store: SigningKeyStore,
    private readonly options: { maxAgeDays: number; accessTokenTtlSeconds: number; activationSeconds: number },
  ) {}

  private async keys(): Promise<SigningKey[]> {
    if (!this.cache || Date.now() - this.cache.at > CACHE_MS) this.cache = { at: Date.now(), keys: await this.store.list() };
    return this.cache.keys;
  }

  /** Publishes a new key that starts signing after the activation delay; returns its id. */
  async rotate(): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { extractable: true });
    const kid = randomUUID();
    await this.store.add({ kid, privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) });
    this.cache = undefined;
    return kid;
  }

  /** The key that signs now: the newest one past its activation delay (the first key ever signs at once). */
  private async signer(): Promise<SigningKey> {
    let keys = await this.keys(); // newest first
    if (!keys.length) {
      await this.rotate();
      keys = await this.keys();
    }
    const activeSince = Date.now() - this.options.activationSeconds * 1000;
    const signer = keys.find((key) => key.createdAt.getTime() <= activeSince) ?? keys.at(-1)!;
    if (keys[0] === signer && Date.now() - signer.createdAt.getTime() > this.options.maxAgeDays * DAY) await this.rotate();
    await this.pruneBehind(signer, keys);
    return signer;
  }

  /** Keys older than the signer whose tokens have all expired. */
  private async pruneBehind(signer: SigningKey, keys: SigningKey[]): Promise<void> {
    const signerActiveAt = signer.createdAt.getTime() + this.options.activationSeconds * 1000;
    if (Date.now() - signerActiveAt < (this.options.accessTokenTtlSeconds + 3600) * 1000) return;
    const stale = keys.slice(keys.indexOf(signer) + 1).map((key) => key.kid);
    if (stale.length) {
      await this.store.delete(stale);
      this.cache = undefined;
    }
  }

  async sign(claims: { sub: string; role: string; sid: string }): Promise<{ token: string; expiresAt: Date }> {
    const key = await this.signer();
    const expiresAt = new Date(Date.now() + this.options.accessTokenTtlSeconds * 1000);
    const token = await new SignJWT({ role: claims.role, sid: claims.sid })
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid: key.kid, typ: 'at+jwt' })
      .setIssuer(ACCESS_TOKEN_ISSUER)
      .setSubject(claims.sub)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(await importJWK(key.privateJwk as JWK, ACCESS_TOKEN_ALGORITHM));
    return { token, expiresAt };
  }

  /** The public half of every key that signs, will sign, or signed a token that may still be valid. */
  async jwks(): Promise<{ keys: JWK[] }> {
    await this.signer();
    return { keys: (await this.keys()).map((key) => ({ ...key.publicJwk, kid: key.kid, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' })) };
  }
}
