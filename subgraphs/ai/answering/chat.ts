import { notInRecord, type Answer, type Answerer } from './answer.ts';
import type { TalentRecord } from './record.ts';

/**
 * Answers through an OpenAI-compatible chat endpoint (`POST <baseUrl>/chat/completions`). The
 * model sees only the record as the caller may read it, one fact per line with its field, and is
 * told to answer from it alone, citing fields, or to say the record does not hold the answer.
 * Its reply counts only with at least one citation of a field it was given; anything else is
 * reported as not in the record, never passed on as an answer.
 */

const INSTRUCTIONS = `You answer questions about one job candidate for a recruiter, using ONLY the record below.
Each line of the record is "[field] value". Do not use any other knowledge, and never guess.
Reply with a JSON object: {"answer": "<a short answer in the language of the question>", "fields": ["<field>", ...]}
listing the fields you used. If the record does not contain the answer, reply {"answer": null, "fields": []}.`;

export class ChatAnswerer implements Answerer {
  constructor(private readonly options: { baseUrl: string; apiKey?: string; model: string; timeoutMs: number }) {}

  async answer(record: TalentRecord, question: string): Promise<Answer> {
    const url = `${this.options.baseUrl.replace(/\/$/, '')}/chat/completions`;
    const lines = record.facts.map((fact) => `[${fact.field}] ${fact.text}`).join('\n');
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}) },
        body: JSON.stringify({
          model: this.options.model,
          temperature: 0,
          response_format: { type: 'json_object' },
          messages: [
            { role: 'system', content: INSTRUCTIONS },
            { role: 'user', content: `Record of ${record.name}:\n${lines}\n\nQuestion: ${question}` },
          ],
        }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw new Error(`The chat endpoint at ${url} did not answer: ${(error as Error).message}`, { cause: error });
    }
    if (!response.ok) throw new Error(`The chat endpoint at ${url} answered ${response.status}`);
    const body = (await response.json()) as { choices?: { message?: { content?: unknown } }[] };
    const reply = parseReply(body.choices?.[0]?.message?.content);
    const citations = record.facts.filter((fact) => reply?.fields.includes(fact.field));
    if (!reply?.answer || !citations.length) return notInRecord(record, 'MODEL');
    return { text: reply.answer, answered: true, citations, source: 'MODEL' };
  }
}

/** The model's JSON reply (also when wrapped in a code fence), or null when it is not one. */
function parseReply(content: unknown): { answer: string | null; fields: string[] } | null {
  if (typeof content !== 'string') return null;
  const json = /\{[\s\S]*\}/.exec(content)?.[0];
  if (!json) return null;
  try {
    const parsed = JSON.parse(json) as { answer?: unknown; fields?: unknown };
    return {
      answer: typeof parsed.answer === 'string' && parsed.answer.trim() ? parsed.answer.trim() : null,
      fields: Array.isArray(parsed.fields) ? parsed.fields.filter((field): field is string => typeof field === 'string') : [],
    };
  } catch {
    return null;
  }
}
