import { decodeJwt } from 'jose';
import { ACCESS_TOKEN_ISSUER, type AccessTokenVerifier, type Viewer } from '../platform/auth/index.ts';
import type { ZervigoTokenVerifier } from './zervigo-tokens.ts';

/** The issuer a token claims, read without verifying anything: it only picks the verifier that will. */
function claimedIssuer(token: string): string | undefined {
  try {
    return decodeJwt(token).iss;
  } catch {
    return undefined;
  }
}

/**
 * Who verifies an `Authorization: Bearer` token: Looma's own access tokens (issuer `looma`) go to
 * the access token verifier; with Zervigo tokens accepted, any other token goes to Zervigo's
 * verifier. Whichever it reaches checks the signature, so a forged issuer gains nothing.
 */
export function bearerTokenVerifier(accessTokens: AccessTokenVerifier, zervigoTokens: ZervigoTokenVerifier | undefined) {
  return (authorization: string | undefined): Promise<Viewer | null> => {
    const token = authorization && /^Bearer\s+(.+)$/i.exec(authorization)?.[1];
    if (!token || !zervigoTokens || claimedIssuer(token) === ACCESS_TOKEN_ISSUER) return accessTokens.verify(authorization);
    return zervigoTokens.verify(token);
  };
}
