import type { PlatformLink } from '../sync/store.ts';

/** A talent's link to Zervigo as the schema's PlatformSync. */
export const platformSync = (link: PlatformLink) => ({
  talent: { __typename: 'Talent', id: link.talentId },
  status: link.status,
  externalId: link.externalId,
  lastSyncedAt: link.lastSyncedAt,
  lastError: link.lastError,
});
