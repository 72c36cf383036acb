import { failure, ok, type Route } from './http.ts';
import { readResumeInput } from './shapes.ts';
import type { FakeZervigoState } from './state.ts';

/** The resume service: resumes upserted by Looma's resume id, each attached to an existing candidate. */
export function resumeRoutes(state: FakeZervigoState): Route[] {
  return [
    {
      method: 'PUT',
      pattern: '/api/v1/resumes/external/:ref',
      handle({ params, body }) {
        const input = readResumeInput(body);
        const written = state.upsertResume(params.ref!, input);
        if (!written) return failure(422, `user_id ${JSON.stringify(input.user_id)} names no candidate`);
        return ok(written.resume, written.created ? 201 : 200);
      },
    },
  ];
}
