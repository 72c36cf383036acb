import type { Context, Step } from './operations.ts';

export interface Answer {
  status: number;
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** The request body and headers of a step, as the load process sends them. */
export function requestOf(step: Step, context: Context, token: string): { body: string; headers: Record<string, string> } | undefined {
  const variables = step.variables(context);
  if (!variables) return undefined;
  return {
    body: JSON.stringify({ query: step.query, variables }),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  };
}

/** Sends one step to `url` and keeps what it remembers in `context`. */
export async function send(url: string, step: Step, context: Context, token: string): Promise<Answer> {
  const request = requestOf(step, context, token);
  if (!request) throw new Error('A step lacks what an earlier step should have answered');
  const response = await fetch(url, { method: 'POST', headers: request.headers, body: request.body });
  const text = await response.text();
  let answer: Answer;
  try {
    answer = { status: response.status, ...(JSON.parse(text) as Omit<Answer, 'status'>) };
  } catch {
    throw new Error(`HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  if (answer.data) step.remember?.(answer.data, context);
  return answer;
}

/** What is wrong with an answer, or undefined: a 2xx with data and no errors. */
export function problemWith(answer: Answer): string | undefined {
  if (answer.status < 200 || answer.status >= 300) return `HTTP ${answer.status}: ${JSON.stringify(answer.errors ?? null)}`;
  if (answer.errors?.length) return `errors: ${JSON.stringify(answer.errors)}`;
  if (!answer.data) return 'no data';
  return undefined;
}
