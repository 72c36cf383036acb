import type { Fact, TalentRecord } from './record.ts';

/** An answer to a question about a talent, from their record only. */
export interface Answer {
  text: string;
  /** False when the record (as the caller may read it) does not hold the answer. */
  answered: boolean;
  /** The facts the answer used. */
  citations: Fact[];
  /** Who gave it: the built-in answerer, the chat model at AI_BASE_URL, or Zervigo's AI service. */
  source: 'EXTRACTIVE' | 'MODEL' | 'PLATFORM';
}

/** Answers questions about a talent from the record it is given, and from nothing else. */
export interface Answerer {
  answer(record: TalentRecord, question: string): Promise<Answer>;
}

export const notInRecord = (record: TalentRecord, source: Answer['source'], why = 'The record does not say.'): Answer => ({
  text: `${why.replace('The record', `${record.name}'s record`)}`,
  answered: false,
  citations: [],
  source,
});
