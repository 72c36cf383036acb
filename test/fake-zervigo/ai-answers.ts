import type { ChatAnswer, ChatRequest, JobMatchingAnswer } from '../../platform/zervigo-client.ts';
import type { CatalogJob } from './catalog.ts';

/**
 * The AI service's answers, made deterministic so tests can state them exactly.
 *
 * Job matching: a job's score is the share of its skills the resume lists (case-insensitive),
 * rounded to 3 decimals; jobs sharing none are left out; best first, ties in catalog order.
 */
export function matchJobs(resumeSkills: readonly string[], jobs: readonly CatalogJob[], limit: number): JobMatchingAnswer {
  const held = new Set(resumeSkills.map((skill) => skill.trim().toLowerCase()));
  const scored = jobs.flatMap((job, order) => {
    const shared = job.skills.filter((skill) => held.has(skill.toLowerCase()));
    if (shared.length === 0 || job.skills.length === 0) return [];
    const score = Math.round((shared.length / job.skills.length) * 1000) / 1000;
    return [{ order, match: { job_id: job.id, score, reasons: shared.map((skill) => `shared skill: ${skill}`) } }];
  });
  scored.sort((a, b) => b.match.score - a.match.score || a.order - b.order);
  return { matches: scored.slice(0, limit).map(({ match }) => match) };
}

/** Words that carry meaning: runs of letters, at least 4 long, lower-cased. */
function words(text: string): Set<string> {
  return new Set((text.toLowerCase().match(/\p{L}+/gu) ?? []).filter((word) => word.length >= 4));
}

/**
 * Chat: the fact whose text or field shares the most words with the question (the first of
 * equals), answered with its text; no answer when no fact shares a word.
 */
export function answerFromFacts(request: ChatRequest): ChatAnswer {
  const asked = words(request.question);
  let best: { fact: ChatRequest['facts'][number]; shared: number } | undefined;
  for (const fact of request.facts) {
    const factWords = words(`${fact.field} ${fact.text}`);
    const shared = [...asked].filter((word) => factWords.has(word)).length;
    if (shared > 0 && (!best || shared > best.shared)) best = { fact, shared };
  }
  return best ? { answer: best.fact.text, fields: [best.fact.field] } : { answer: null, fields: [] };
}
