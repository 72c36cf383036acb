import { badInput, notFound } from '../../../platform/errors.ts';
import { logger } from '../../../platform/logger.ts';
import type { Resolvers, SubgraphContext } from '../../../platform/subgraph.ts';
import { isId } from '../../../platform/validate.ts';
import type { Stores } from '../index.ts';
import { matchingJobs, matchingTalents } from '../matching/matcher.ts';
import { WEIGHTS, type Match, type ScorePart } from '../matching/score.ts';
import { jobProfiles, talentProfiles, type TalentProfile } from '../profiles.ts';
import type { Answer } from '../answering/answer.ts';
import { talentRecord } from '../answering/record.ts';
import { importResume } from './import-resume.ts';

type Context = SubgraphContext<Stores>;

export const MAX_MATCHES = 50;
export const MAX_QUESTION_LENGTH = 500;

function checkFirst(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_MATCHES) throw badInput(`first must be an integer from 1 to ${MAX_MATCHES}`, 'first');
  return first;
}

const reference = (ref: { id?: unknown }) => (isId(ref.id) ? { id: ref.id.toLowerCase() } : null);

/** A match as the schema shows it: the parts by name with their weights, skills as references. */
function explain(match: Match, yearsOfExperience: number) {
  return {
    score: match.score,
    explanation: {
      parts: (Object.keys(WEIGHTS) as ScorePart[]).map((part) => ({ name: part.toUpperCase(), value: match.parts[part], weight: WEIGHTS[part] })),
      matchedSkills: match.matchedSkills.map((skill) => ({ skill: { id: skill.skillId }, level: skill.level, requiredLevel: skill.requiredLevel, years: skill.years, fit: skill.fit })),
      missingSkills: match.missingSkills.map((skill) => ({ skill: { id: skill.skillId }, requiredLevel: skill.level })),
      yearsOfExperience,
    },
  };
}

async function askAboutTalent(_: unknown, args: { talentId: string; question: string }, ctx: Context) {
  if (!isId(args.talentId)) throw badInput('talentId must be a talent id', 'talentId');
  const question = args.question.trim();
  if (!question || question.length > MAX_QUESTION_LENGTH) throw badInput(`question must be 1 to ${MAX_QUESTION_LENGTH} characters`, 'question');
  const talentId = args.talentId.toLowerCase();
  const record = await talentRecord(ctx.stores.db, talentId, ctx.viewer, await ctx.stores.taxonomy.load(ctx.stores.db));
  if (!record) throw notFound('Talent', talentId);
  let answer: Answer;
  try {
    answer = await ctx.stores.answerer.answer(record, question);
  } catch (error) {
    // The configured answerer (a chat model, Zervigo's AI) failed: the offline answerer still answers, and says it did (source).
    logger.warn({ err: error }, 'the configured answerer failed; answered offline');
    answer = await ctx.stores.offline.answer(record, question);
  }
  return {
    talent: { id: talentId },
    question,
    answer: answer.text,
    answered: answer.answered,
    citations: answer.citations.map((fact) => ({ field: fact.field, value: fact.text })),
    source: answer.source,
  };
}

export const resolvers: Resolvers<Stores> = {
  Query: { askAboutTalent },
  Mutation: { importResume },
  Job: {
    __resolveReference: reference,
    async matchingTalents(job: { id: string }, args: { first: number }, ctx: Context) {
      const first = checkFirst(args.first);
      const [profile] = await jobProfiles(ctx.stores.db, [job.id], await ctx.stores.taxonomy.load(ctx.stores.db));
      if (!profile) throw notFound('Job', job.id);
      const ranked = await matchingTalents(ctx.stores, profile, first);
      return ranked.map((match) => ({ talent: { id: match.candidate.id }, ...explain(match, match.candidate.yearsOfExperience) }));
    },
  },
  Talent: {
    __resolveReference: reference,
    async matchingJobs(talent: { id: string }, args: { first: number }, ctx: Context) {
      const first = checkFirst(args.first);
      const [profile]: (TalentProfile | undefined)[] = await talentProfiles(ctx.stores.db, [talent.id], await ctx.stores.taxonomy.load(ctx.stores.db));
      if (!profile) throw notFound('Talent', talent.id);
      const ranked = await matchingJobs(ctx.stores, profile, first);
      return ranked.map((match) => ({ job: { id: match.candidate.id }, ...explain(match, profile.yearsOfExperience) }));
    },
  },
};
