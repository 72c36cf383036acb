import { generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { AccessTokenVerifier, ACCESS_TOKEN_ALGORITHM, ACCESS_TOKEN_ISSUER } from './access-token.ts';
import { signGatewayCredential, verifyGatewayCredential } from './gateway-credential.ts';
import { VerifiedTokens } from './verified-tokens.ts';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('VerifiedTokens', () => {
  it('keeps a token until its expiry, never longer than its bound, and nothing already expired', async () => {
    const tokens = new VerifiedTokens<{ n: number }>(10, 150);
    tokens.remember('far', { n: 1 }, nowSeconds() + 3600);
    tokens.remember('expired', { n: 2 }, nowSeconds() - 1);
    tokens.remember('no expiry', { n: 3 }, undefined);
    expect(tokens.get('far')).toEqual({ n: 1 });
    expect(tokens.get('expired')).toBeUndefined();
    expect(tokens.get('no expiry')).toBeUndefined();
    await sleep(200);
    expect(tokens.get('far')).toBeUndefined();
  });

  it('forgets the least recently used token past its size', () => {
    const tokens = new VerifiedTokens<{ n: number }>(2);
    for (const n of [1, 2, 3]) tokens.remember(`t${n}`, { n }, nowSeconds() + 60);
    expect([tokens.get('t1'), tokens.get('t2'), tokens.get('t3')]).toEqual([undefined, { n: 2 }, { n: 3 }]);
  });
});

describe('AccessTokenVerifier with verified tokens kept', () => {
  const setUp = async () => {
    const { publicKey, privateKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM);
    const live = new Set(['s1']);
    let asked = 0;
    const verifier = new AccessTokenVerifier(async () => publicKey, {
      isLive: async (sessionId) => {
        asked++;
        return live.has(sessionId);
      },
    });
    const token = (expiresInSeconds: number) =>
      new SignJWT({ role: 'user', sid: 's1' })
        .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM })
        .setIssuer(ACCESS_TOKEN_ISSUER)
        .setSubject('u1')
        .setIssuedAt()
        .setExpirationTime(nowSeconds() + expiresInSeconds)
        .sign(privateKey);
    return { verifier, token, live, asked: () => asked };
  };

  it("still asks for the session's liveness on every request: a revocation holds at once", async () => {
    const { verifier, token, live, asked } = await setUp();
    const bearer = `Bearer ${await token(600)}`;
    expect((await verifier.verify(bearer))?.userId).toBe('u1');
    expect((await verifier.verify(bearer))?.userId).toBe('u1');
    live.delete('s1');
    await expect(verifier.verify(bearer)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(asked()).toBe(3);
  });

  it('refuses a token once it has expired, though it verified before', async () => {
    const { verifier, token } = await setUp();
    const bearer = `Bearer ${await token(1)}`;
    expect((await verifier.verify(bearer))?.userId).toBe('u1');
    await sleep(2100);
    await expect(verifier.verify(bearer)).rejects.toThrow(/expired/);
  });

  it('refuses a token whose signature is wrong, every time', async () => {
    const { verifier, token } = await setUp();
    const [header, payload, signature] = (await token(600)).split('.');
    const forged = `Bearer ${header}.${payload}.${signature!.slice(0, -4)}AAAA`;
    for (let i = 0; i < 2; i++) await expect(verifier.verify(forged)).rejects.toThrow(/invalid/);
  });
});

describe('gateway credentials with verified ones kept', () => {
  it('answers the same viewer from a credential verified before, and refuses a tampered one', async () => {
    const viewer = { userId: 'u1', role: 'user' as const, permissions: [], sessionId: 's1' };
    const credential = await signGatewayCredential(viewer);
    expect(await verifyGatewayCredential(credential)).toEqual(viewer);
    expect(await verifyGatewayCredential(credential)).toEqual(viewer);
    expect(await verifyGatewayCredential(await signGatewayCredential(null))).toBeNull();
    await expect(verifyGatewayCredential(`${credential}x`)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });
});
