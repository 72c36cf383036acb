import { createLocalJWKSet } from 'jose';
import { AccessTokenVerifier, signGatewayCredential } from '../../../platform/auth/index.ts';
import type { Stores } from '../index.ts';

/**
 * What the gateway sends this subgraph for a client holding `accessToken`: the same verification
 * (signature against the published keys, session still live), then the gateway's credential.
 */
export async function asGateway(stores: Stores, accessToken: string): Promise<string> {
  const verifier = new AccessTokenVerifier(createLocalJWKSet(await stores.keyRing.jwks()), stores.tokens);
  return signGatewayCredential(await verifier.verify(`Bearer ${accessToken}`));
}
