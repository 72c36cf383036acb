import { config } from '../config.ts';
import { badCredential } from './credential-error.ts';
import { verifyGatewayCredential } from './gateway-credential.ts';
import type { Viewer } from './viewer.ts';

/**
 * Who a subgraph request is for. Only the gateway's credential counts; a call without one, or
 * with a user token or forged identity headers instead, is refused with 401, unless
 * ALLOW_DIRECT_SUBGRAPH_CALLS is on for local work (never in production): then a call without
 * any credential is served as an anonymous caller.
 */
export async function subgraphCaller(authorization: string | undefined): Promise<Viewer | null> {
  const bearer = authorization && /^Bearer\s+(.+)$/i.exec(authorization)?.[1];
  if (!bearer && config.allowDirectSubgraphCalls) return null;
  if (!bearer) throw badCredential('Subgraphs answer only the gateway: send the request to the gateway');
  return verifyGatewayCredential(bearer);
}
