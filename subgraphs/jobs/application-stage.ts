import { badInput } from '../../platform/errors.ts';

/**
 * The application pipeline, pure so it can be tested alone and shared by the store (which checks
 * it under a row lock) and the demo loader. Documented for clients on the ApplicationStage enum.
 */
export const PIPELINE = ['APPLIED', 'SCREENING', 'INTERVIEW', 'OFFER', 'HIRED'] as const;
export const APPLICATION_STAGES = [...PIPELINE, 'REJECTED'] as const;
export type ApplicationStage = (typeof APPLICATION_STAGES)[number];

export const INITIAL_STAGE: ApplicationStage = 'APPLIED';
export const FINAL_STAGES: readonly ApplicationStage[] = ['HIRED', 'REJECTED'];

export function isFinalStage(stage: ApplicationStage): boolean {
  return FINAL_STAGES.includes(stage);
}

/** Any later pipeline stage (skipping is allowed), or REJECTED, unless `from` is final. */
export function nextStages(from: ApplicationStage): readonly ApplicationStage[] {
  if (isFinalStage(from)) return [];
  const position = PIPELINE.indexOf(from as (typeof PIPELINE)[number]);
  return [...PIPELINE.slice(position + 1), 'REJECTED'];
}

export function canMoveStage(from: ApplicationStage, to: ApplicationStage): boolean {
  return nextStages(from).includes(to);
}

/** Throws BAD_USER_INPUT, naming the legal next stages, unless `from` → `to` is allowed. */
export function assertStageMove(from: ApplicationStage, to: ApplicationStage, field = 'stage'): void {
  if (canMoveStage(from, to)) return;
  const next = nextStages(from);
  const allowed = next.length ? `from ${from} it can only go to ${next.join(', ')}` : `${from} is final`;
  throw badInput(`An application cannot go from ${from} to ${to}: ${allowed}`, field);
}
