import { answerFromFacts, matchJobs } from './ai-answers.ts';
import { FAKE_ZERVIGO_JOBS } from './catalog.ts';
import { failure, ok, type Route } from './http.ts';
import { readChatRequest, readMatchingRequest } from './shapes.ts';
import type { FakeZervigoState } from './state.ts';

/** The AI service: job matching against the candidate's latest resume, and chat over given facts. */
export function aiRoutes(state: FakeZervigoState): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/api/v1/ai/job-matching',
      handle({ body }) {
        const { userId, limit } = readMatchingRequest(body);
        if (!state.candidateById(userId)) return failure(404, `no candidate ${JSON.stringify(userId)}`);
        return ok(matchJobs(state.latestResumeOf(userId)?.skills ?? [], FAKE_ZERVIGO_JOBS, limit));
      },
    },
    {
      method: 'POST',
      pattern: '/api/v1/ai/chat',
      handle({ body }) {
        return ok(answerFromFacts(readChatRequest(body)));
      },
    },
  ];
}
