import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../../platform/errors.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import type { Stores } from '../index.ts';

export type Context = SubgraphContext<Stores>;

/** Every field answers this while no Zervigo URL is set: the integration is off, nothing else changes. */
export function requireConfigured(ctx: Context): void {
  if (!ctx.stores.configured) {
    throw new GraphQLError('The Zervigo integration is not configured: set ZERVIGO_BASE_URL (or ZERVIGO_<SERVICE>_URL for each service) and restart the integrations subgraph', {
      extensions: { code: ErrorCode.NOT_CONFIGURED },
    });
  }
}
