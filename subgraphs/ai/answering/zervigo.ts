import { ZervigoError, type ChatAnswer, type ChatRequest } from '../../../platform/zervigo-client.ts';
import { notInRecord, type Answer, type Answerer } from './answer.ts';
import type { TalentRecord } from './record.ts';

/**
 * Answers through the AI service of Zervigo, the external recruiting platform
 * (`POST /api/v1/ai/chat`). It is sent the question and the record as the caller may read it, one
 * fact per field: personal data the caller may not read is not in that record, so it never leaves
 * Looma. As with the chat model, an answer counts only with at least one citation of a field it
 * was given; anything else is reported as not in the record. A failed call, or an answer not
 * shaped as agreed, is thrown: the resolver then answers offline.
 */
export class ZervigoAnswerer implements Answerer {
  constructor(private readonly client: { chat(request: ChatRequest): Promise<ChatAnswer> }) {}

  async answer(record: TalentRecord, question: string): Promise<Answer> {
    const reply = checkedReply(
      await this.client.chat({ question, subject: record.name, facts: record.facts.map((fact) => ({ field: fact.field, text: fact.text })) }),
    );
    const citations = record.facts.filter((fact) => reply.fields.includes(fact.field));
    if (!reply.answer || !citations.length) return notInRecord(record, 'PLATFORM');
    return { text: reply.answer, answered: true, citations, source: 'PLATFORM' };
  }
}

/** Zervigo's answer as ChatAnswer promises it: a text (or null) and the fields it used. */
function checkedReply(reply: unknown): ChatAnswer {
  const { answer, fields } = (typeof reply === 'object' && reply !== null ? reply : {}) as { answer?: unknown; fields?: unknown };
  const valid = (answer === null || typeof answer === 'string') && Array.isArray(fields) && fields.every((field) => typeof field === 'string');
  if (!valid) throw new ZervigoError('bad-answer', 'ai', "Zervigo's ai service answered a chat request with something that is not {answer, fields}");
  return { answer: answer?.trim() || null, fields };
}
