import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { APPLICATION_STAGES, assertStageMove, canMoveStage, isFinalStage, nextStages, type ApplicationStage } from '../application-stage.ts';

function thrown(work: () => void): GraphQLError {
  try {
    work();
  } catch (error) {
    return error as GraphQLError;
  }
  throw new Error('expected an error');
}

describe('application stage machine', () => {
  it('moves forward one or more steps, or to REJECTED from any stage that is not final', () => {
    const order: ApplicationStage[] = ['APPLIED', 'SCREENING', 'INTERVIEW', 'OFFER', 'HIRED'];
    for (const from of APPLICATION_STAGES) {
      for (const to of APPLICATION_STAGES) {
        const final = from === 'HIRED' || from === 'REJECTED';
        const forward = order.includes(from) && order.includes(to) && order.indexOf(to) > order.indexOf(from);
        const legal = !final && (forward || to === 'REJECTED');
        expect(canMoveStage(from, to), `${from} -> ${to}`).toBe(legal);
      }
    }
  });

  it('knows the final stages and the next ones', () => {
    expect(isFinalStage('HIRED')).toBe(true);
    expect(isFinalStage('REJECTED')).toBe(true);
    expect(isFinalStage('OFFER')).toBe(false);
    expect(nextStages('APPLIED')).toEqual(['SCREENING', 'INTERVIEW', 'OFFER', 'HIRED', 'REJECTED']);
    expect(nextStages('OFFER')).toEqual(['HIRED', 'REJECTED']);
    expect(nextStages('HIRED')).toEqual([]);
    expect(nextStages('REJECTED')).toEqual([]);
  });

  it('rejects backwards, same-stage and out-of-final moves with BAD_USER_INPUT', () => {
    const backwards = thrown(() => assertStageMove('INTERVIEW', 'SCREENING'));
    expect(backwards.extensions.code).toBe('BAD_USER_INPUT');
    expect(backwards.message).toBe('An application cannot go from INTERVIEW to SCREENING: from INTERVIEW it can only go to OFFER, HIRED, REJECTED');
    expect(thrown(() => assertStageMove('APPLIED', 'APPLIED')).extensions.code).toBe('BAD_USER_INPUT');
    expect(thrown(() => assertStageMove('REJECTED', 'HIRED')).message).toContain('REJECTED is final');
    expect(thrown(() => assertStageMove('HIRED', 'REJECTED')).message).toContain('HIRED is final');
    expect(() => assertStageMove('APPLIED', 'OFFER')).not.toThrow();
  });
});
