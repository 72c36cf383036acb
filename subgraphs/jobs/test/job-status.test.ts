import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { JOB_STATUSES, assertJobStatusChange, canChangeJobStatus, nextJobStatuses, type JobStatus } from '../job-status.ts';

const LEGAL: [JobStatus, JobStatus][] = [
  ['DRAFT', 'OPEN'],
  ['OPEN', 'CLOSED'],
  ['OPEN', 'FILLED'],
  ['CLOSED', 'OPEN'],
];

function thrown(work: () => void): GraphQLError {
  try {
    work();
  } catch (error) {
    return error as GraphQLError;
  }
  throw new Error('expected an error');
}

describe('job status machine', () => {
  it('allows exactly the documented transitions', () => {
    for (const from of JOB_STATUSES) {
      for (const to of JOB_STATUSES) {
        const legal = LEGAL.some(([a, b]) => a === from && b === to);
        expect(canChangeJobStatus(from, to), `${from} -> ${to}`).toBe(legal);
      }
    }
  });

  it('lists the next statuses', () => {
    expect(nextJobStatuses('DRAFT')).toEqual(['OPEN']);
    expect(nextJobStatuses('OPEN')).toEqual(['CLOSED', 'FILLED']);
    expect(nextJobStatuses('CLOSED')).toEqual(['OPEN']);
    expect(nextJobStatuses('FILLED')).toEqual([]);
  });

  it('rejects illegal transitions with BAD_USER_INPUT naming the legal ones', () => {
    const draftToFilled = thrown(() => assertJobStatusChange('DRAFT', 'FILLED'));
    expect(draftToFilled.extensions.code).toBe('BAD_USER_INPUT');
    expect(draftToFilled.extensions.field).toBe('status');
    expect(draftToFilled.message).toBe('A job cannot go from DRAFT to FILLED: from DRAFT it can only go to OPEN');
    expect(thrown(() => assertJobStatusChange('OPEN', 'OPEN')).message).toContain('CLOSED or FILLED');
    expect(thrown(() => assertJobStatusChange('FILLED', 'OPEN')).message).toContain('FILLED is final');
    expect(thrown(() => assertJobStatusChange('CLOSED', 'FILLED')).message).toContain('only go to OPEN');
  });

  it('passes legal transitions silently', () => {
    for (const [from, to] of LEGAL) expect(() => assertJobStatusChange(from, to)).not.toThrow();
  });
});
