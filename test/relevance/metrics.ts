/**
 * Relevance metrics over the judged query set (test/relevance/judgments.json, derived by
 * judge.ts): nDCG@k with graded gains and MRR. A result counts when its type and id match a
 * judged one; anything unjudged counts as irrelevant.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface JudgedResult {
  type: string;
  id: string;
  grade: number;
}

export interface Judgment {
  query: string;
  types?: string[];
  intent: string;
  relevant: JudgedResult[];
}

export interface ResultRef {
  type: string;
  id: string;
}

export type Search = (query: string, types?: string[]) => Promise<ResultRef[]>;

export interface QueryScore {
  query: string;
  types?: string[];
  ndcg: number;
  mrr: number;
}

export interface Evaluation {
  /** Mean nDCG@k over the queries. */
  ndcg: number;
  /** Mean reciprocal rank over the queries. */
  mrr: number;
  perQuery: QueryScore[];
}

/** Types compare case-insensitively (TALENT, Talent), ids too (uuids in either case). */
const key = (result: ResultRef) => `${result.type.toUpperCase()}:${result.id.toLowerCase()}`;

/** The gain of a grade: 2^grade − 1 (3 → 7, 2 → 3, 1 → 1, 0 → 0). */
export const gain = (grade: number) => 2 ** grade - 1;

/** Discounted cumulative gain of grades in rank order, the first k: Σ gain / log2(rank + 1). */
export function dcg(grades: readonly number[], k: number): number {
  return grades.slice(0, k).reduce((sum, grade, index) => sum + gain(grade) / Math.log2(index + 2), 0);
}

/** The grade of each result in order (0 when unjudged); a result repeated counts only the first time. */
function gradesOf(results: readonly ResultRef[], relevant: readonly JudgedResult[]): number[] {
  const grades = new Map(relevant.map((judged) => [key(judged), judged.grade]));
  const seen = new Set<string>();
  return results.map((result) => {
    const id = key(result);
    if (seen.has(id)) return 0;
    seen.add(id);
    return grades.get(id) ?? 0;
  });
}

/**
 * nDCG@k: the DCG of the first k results over the DCG of the ideal ranking, which is every
 * judged result, best grade first. 1 is a perfect top k; 0 when nothing judged is in it.
 */
export function ndcgAt(results: readonly ResultRef[], relevant: readonly JudgedResult[], k = 10): number {
  const ideal = dcg(relevant.map((judged) => judged.grade).sort((a, b) => b - a), k);
  if (ideal === 0) return 0;
  return dcg(gradesOf(results, relevant), k) / ideal;
}

/** 1 / the rank of the first result with any grade; 0 when no judged result was returned. */
export function reciprocalRank(results: readonly ResultRef[], relevant: readonly JudgedResult[]): number {
  const rank = gradesOf(results, relevant).findIndex((grade) => grade > 0);
  return rank < 0 ? 0 : 1 / (rank + 1);
}

/** Runs every judged query (one at a time) and scores what `search` returns. */
export async function evaluate(search: Search, judgments: readonly Judgment[], k = 10): Promise<Evaluation> {
  const perQuery: QueryScore[] = [];
  for (const judgment of judgments) {
    const results = await search(judgment.query, judgment.types);
    perQuery.push({
      query: judgment.query,
      ...(judgment.types ? { types: judgment.types } : {}),
      ndcg: ndcgAt(results, judgment.relevant, k),
      mrr: reciprocalRank(results, judgment.relevant),
    });
  }
  const mean = (values: number[]) => (values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : 0);
  return { ndcg: mean(perQuery.map((score) => score.ndcg)), mrr: mean(perQuery.map((score) => score.mrr)), perQuery };
}

/** A few lines for a log: the means, then the weakest queries. */
export function formatEvaluation(label: string, evaluation: Evaluation, k = 10, worst = 10): string {
  const name = (score: QueryScore) => (score.types ? `${score.query} [${score.types.join(',')}]` : score.query);
  const weakest = [...evaluation.perQuery].sort((a, b) => a.ndcg - b.ndcg || a.mrr - b.mrr).slice(0, worst);
  return [
    `${label}: nDCG@${k} ${evaluation.ndcg.toFixed(3)}, MRR ${evaluation.mrr.toFixed(3)} over ${evaluation.perQuery.length} queries`,
    ...weakest.map((score) => `  ${score.ndcg.toFixed(3)} ${score.mrr.toFixed(3)}  ${name(score)}`),
  ].join('\n');
}

export const JUDGMENTS_FILE = fileURLToPath(new URL('./judgments.json', import.meta.url));

/** The judged query set, as judge.ts wrote it. */
export function loadJudgments(path = JUDGMENTS_FILE): Judgment[] {
  return JSON.parse(readFileSync(path, 'utf8')) as Judgment[];
}
