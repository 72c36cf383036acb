/**
 * Matching quality over the labelled jobs (judgments.json, derived by judge.ts): nDCG@10 with
 * graded gains (the search set's definition, test/relevance/metrics.ts) and recall@20 — the
 * share of the job's grade 2 and 3 talents in the first 20, out of as many as 20 could hold.
 */
import { readFileSync } from 'node:fs';
import { ndcgAt, type Judgment } from '../relevance/metrics.ts';
import { MATCHING_JUDGMENTS_FILE } from './judge.ts';

/** Ranks talents for a job, best first. */
export type Ranker = (jobId: string) => Promise<string[]>;

export interface MatchingEvaluation {
  ndcg: number;
  recall: number;
  jobs: number;
}

export function recallAt(ranked: readonly string[], judgment: Judgment, k = 20): number {
  const wanted = new Set(judgment.relevant.filter((item) => item.grade >= 2).map((item) => item.id.toLowerCase()));
  if (!wanted.size) return 1;
  const found = ranked.slice(0, k).filter((id) => wanted.has(id.toLowerCase())).length;
  return found / Math.min(k, wanted.size);
}

export async function evaluateMatching(rank: Ranker, judgments: readonly Judgment[] = loadMatchingJudgments()): Promise<MatchingEvaluation> {
  let ndcg = 0;
  let recall = 0;
  for (const judgment of judgments) {
    const ranked = await rank(judgment.query);
    ndcg += ndcgAt(ranked.map((id) => ({ type: 'TALENT', id })), judgment.relevant, 10);
    recall += recallAt(ranked, judgment, 20);
  }
  return { ndcg: ndcg / judgments.length, recall: recall / judgments.length, jobs: judgments.length };
}

export function loadMatchingJudgments(): Judgment[] {
  return JSON.parse(readFileSync(MATCHING_JUDGMENTS_FILE, 'utf8')) as Judgment[];
}

export const formatMatching = (label: string, evaluation: MatchingEvaluation) =>
  `${label}: nDCG@10 ${evaluation.ndcg.toFixed(3)}, recall@20 ${evaluation.recall.toFixed(3)} over ${evaluation.jobs} jobs`;
