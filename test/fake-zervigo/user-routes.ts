import { ok, type Route } from './http.ts';
import { readCandidateInput } from './shapes.ts';
import type { FakeZervigoState } from './state.ts';

/** The user service: candidates upserted by Looma's talent id (201 when new, 200 when updated). */
export function userRoutes(state: FakeZervigoState): Route[] {
  return [
    {
      method: 'PUT',
      pattern: '/api/v1/users/external/:ref',
      handle({ params, body }) {
        const { candidate, created } = state.upsertCandidate(params.ref!, readCandidateInput(body));
        return ok(candidate, created ? 201 : 200);
      },
    },
  ];
}
