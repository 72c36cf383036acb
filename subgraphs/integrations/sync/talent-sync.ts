import { GraphQLError } from 'graphql';
import { ErrorCode, notFound } from '../../../platform/errors.ts';
import { ZervigoError, type ZervigoClient } from '../../../platform/zervigo-client.ts';
import { CircuitOpenError, type CallPolicies } from '../zervigo/policy.ts';
import { candidateOf, resumeOf } from './payload.ts';
import type { PlatformLink, PlatformSyncStore } from './store.ts';

/** Why a push did not happen, as the talent's lastError and the caller's error say it. */
export function describeFailure(error: unknown): string {
  if (error instanceof ZervigoError || error instanceof CircuitOpenError || error instanceof GraphQLError) return error.message;
  return 'Pushing to Zervigo failed unexpectedly';
}

/** A failed push as a GraphQL error: the platform's trouble is SERVICE_UNAVAILABLE, a refusal of our data BAD_USER_INPUT. */
export function failureError(error: unknown, action = 'sync to Zervigo'): GraphQLError {
  if (error instanceof ZervigoError && error.failure === 'not-configured') return new GraphQLError(error.message, { extensions: { code: ErrorCode.NOT_CONFIGURED } });
  const refused = error instanceof ZervigoError && error.failure === 'status' && !error.retryable;
  return new GraphQLError(`Could not ${action}: ${describeFailure(error)}`, {
    extensions: { code: refused ? ErrorCode.BAD_USER_INPUT : ErrorCode.SERVICE_UNAVAILABLE, ...(error instanceof CircuitOpenError ? { retryAfterMs: error.retryAfterMs } : {}) },
  });
}

/**
 * Pushes one talent (candidate, then their latest resume) to Zervigo under the call policies, and
 * records the outcome on their link: the external id on success, the reason on failure. Zervigo
 * keys both records by Looma's ids, so pushing again updates them.
 */
export class TalentSync {
  private readonly outcomeListeners: ((outcome: 'synced' | 'failed') => void)[] = [];

  constructor(
    private readonly store: PlatformSyncStore,
    private readonly client: ZervigoClient,
    private readonly policies: CallPolicies,
  ) {}

  /** Calls `listener` with each push's outcome (the subgraph's metrics count them). */
  onOutcome(listener: (outcome: 'synced' | 'failed') => void): void {
    this.outcomeListeners.push(listener);
  }

  /** Throws NOT_FOUND for a talent this subgraph does not know, the push's failure otherwise (already recorded). */
  async sync(talentId: string): Promise<PlatformLink> {
    const attemptedAt = new Date();
    const talent = await this.store.talentForPush(talentId);
    if (!talent) throw notFound('Talent', talentId);
    try {
      const candidate = await this.policies.execute('user', () => this.client.upsertCandidate(talent.id, candidateOf(talent)));
      const resume = resumeOf(talent, candidate.id);
      const pushed = resume && talent.resume ? await this.policies.execute('resume', () => this.client.upsertResume(talent.resume!.id, resume)) : null;
      await this.store.recordSuccess(talent.id, candidate.id, pushed?.id ?? null, attemptedAt);
    } catch (error) {
      await this.store.recordFailure(talent.id, describeFailure(error));
      for (const listener of this.outcomeListeners) listener('failed');
      throw error;
    }
    for (const listener of this.outcomeListeners) listener('synced');
    return (await this.store.links([talent.id]))[0]!;
  }
}
