import type { Candidate, CandidateInput, ResumeInput, ZervigoResume } from '../../platform/zervigo-client.ts';

/**
 * What the user and resume services hold: candidates and resumes, each upserted by Looma's own
 * id (external_ref). Timestamps strictly increase, so an update always moves updated_at even
 * within the same millisecond.
 */
export class FakeZervigoState {
  private candidatesByRef = new Map<string, Candidate>();
  private resumesByRef = new Map<string, ZervigoResume & { order: number }>();
  private lastStamp = 0;
  private nextCandidate = 1;
  private nextResume = 1;
  private writes = 0;

  upsertCandidate(ref: string, input: CandidateInput): { candidate: Candidate; created: boolean } {
    const existing = this.candidatesByRef.get(ref);
    const now = this.stamp();
    const candidate: Candidate = {
      ...input,
      tags: [...input.tags],
      id: existing?.id ?? `zc-${this.nextCandidate++}`,
      external_ref: ref,
      created_at: existing?.created_at ?? now,
      updated_at: now,
    };
    this.candidatesByRef.set(ref, candidate);
    return { candidate: structuredClone(candidate), created: !existing };
  }

  candidateById(id: string): Candidate | undefined {
    for (const candidate of this.candidatesByRef.values()) if (candidate.id === id) return structuredClone(candidate);
    return undefined;
  }

  /** Undefined when `input.user_id` names no candidate. */
  upsertResume(ref: string, input: ResumeInput): { resume: ZervigoResume; created: boolean } | undefined {
    if (!this.candidateById(input.user_id)) return undefined;
    const existing = this.resumesByRef.get(ref);
    const resume = { ...structuredClone(input), id: existing?.id ?? `zr-${this.nextResume++}`, external_ref: ref, updated_at: this.stamp(), order: ++this.writes };
    this.resumesByRef.set(ref, resume);
    return { resume: withoutOrder(resume), created: !existing };
  }

  /** The candidate's most recently written resume. */
  latestResumeOf(userId: string): ZervigoResume | undefined {
    let latest: (ZervigoResume & { order: number }) | undefined;
    for (const resume of this.resumesByRef.values()) {
      if (resume.user_id === userId && (!latest || resume.order > latest.order)) latest = resume;
    }
    return latest && withoutOrder(latest);
  }

  candidates(): Candidate[] {
    return [...this.candidatesByRef.values()].map((candidate) => structuredClone(candidate));
  }

  resumes(): ZervigoResume[] {
    return [...this.resumesByRef.values()].map(withoutOrder);
  }

  reset(): void {
    this.candidatesByRef.clear();
    this.resumesByRef.clear();
    this.nextCandidate = 1;
    this.nextResume = 1;
  }

  private stamp(): string {
    this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
    return new Date(this.lastStamp).toISOString();
  }
}

function withoutOrder({ order: _order, ...resume }: ZervigoResume & { order: number }): ZervigoResume {
  return structuredClone(resume);
}
