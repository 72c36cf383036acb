import { describe, expect, it } from 'vitest';
import { WEIGHTS, experienceFit, locationFit, scoreMatch, similarityFit, skillCoverage, yearsOfExperience } from '../matching/score.ts';

describe('match score', () => {
  it('weighs four parts that add up to 1', () => {
    expect(Object.values(WEIGHTS).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  it('counts each required skill by how far below the asked level the talent holds it', () => {
    const coverage = skillCoverage(
      [
        { skillId: 'ts', level: 'ADVANCED' },
        { skillId: 'go', level: 'EXPERT' },
        { skillId: 'k8s', level: 'INTERMEDIATE' },
        { skillId: 'sql', level: 'BEGINNER' },
      ],
      [
        { skillId: 'ts', level: 'EXPERT', years: 6 },
        { skillId: 'go', level: 'INTERMEDIATE', years: 2 },
        { skillId: 'sql', level: 'BEGINNER', years: 1 },
      ],
    );
    expect(coverage.matched.map((skill) => [skill.skillId, skill.fit])).toEqual([
      ['ts', 1],
      ['go', 0.3],
      ['sql', 1],
    ]);
    expect(coverage.missing).toEqual([{ skillId: 'k8s', level: 'INTERMEDIATE' }]);
    expect(coverage.score).toBeCloseTo((1 + 0.3 + 0 + 1) / 4, 10);
    expect(skillCoverage([], []).score).toBe(1);
  });

  it('asks for the years a title’s seniority implies', () => {
    expect(experienceFit(6, 'Senior')).toBe(1);
    expect(experienceFit(2, 'Senior')).toBeCloseTo(0.4, 10);
    expect(experienceFit(0, null)).toBe(0);
    expect(experienceFit(1, 'Junior')).toBe(1);
    expect(experienceFit(12, 'Junior')).toBe(0.8);
  });

  it('prefers the same city, then region, then country; remote jobs suit anyone', () => {
    const shanghai = { city: 'Shanghai', region: 'Shanghai', country: 'CN' };
    expect(locationFit(shanghai, { city: 'shanghai', country: 'CN' })).toBe(1);
    expect(locationFit({ city: 'Pudong', region: 'Shanghai', country: 'CN' }, shanghai)).toBe(0.8);
    expect(locationFit({ city: 'Beijing', region: 'Beijing', country: 'CN' }, shanghai)).toBe(0.6);
    expect(locationFit({ city: 'Berlin', country: 'DE', remote: true }, shanghai)).toBe(0.3);
    expect(locationFit({ city: 'Berlin', country: 'DE' }, shanghai)).toBe(0);
    expect(locationFit({ city: 'Berlin', country: 'DE' }, { remote: true })).toBe(1);
    expect(locationFit(null, shanghai)).toBe(0.5);
  });

  it('takes a location with neither city nor country for unknown', () => {
    const shanghai = { city: 'Shanghai', region: 'Shanghai', country: 'CN' };
    expect(locationFit({ remote: false }, shanghai)).toBe(0.5);
    expect(locationFit({ city: null, region: null, country: null, remote: null }, shanghai)).toBe(0.5);
    expect(locationFit({ region: 'Shanghai', remote: true }, shanghai)).toBe(0.5);
    expect(locationFit({ city: '  ', country: '' }, shanghai)).toBe(0.5);
    expect(locationFit(shanghai, { remote: false })).toBe(0.5);
    expect(locationFit(shanghai, { city: null, country: null })).toBe(0.5);
    expect(locationFit({ remote: false }, { remote: true })).toBe(1);
    expect(locationFit({ country: 'cn' }, shanghai)).toBe(0.6);
  });

  it('counts a similarity that is not a number as 0, so every part and the score stay finite', () => {
    expect(similarityFit(Number.NaN, [0.2, 0.6])).toBe(0);
    expect(similarityFit(Number.POSITIVE_INFINITY, [0.2, 0.6])).toBe(0);
    const talent = { skills: [{ skillId: 'ts', level: 'EXPERT' as const, years: 6 }], yearsOfExperience: 6, location: { city: 'Berlin', country: 'DE' } };
    const job = { requiredSkills: [{ skillId: 'ts', level: 'ADVANCED' as const }], seniority: 'Senior', location: { city: 'Berlin', country: 'DE' } };
    for (const match of [scoreMatch(talent, job, Number.NaN, [0.2, 0.6]), scoreMatch({ ...talent, yearsOfExperience: Number.NaN }, job, 0.4, [0.2, 0.6])]) {
      for (const value of [match.score, ...Object.values(match.parts)]) {
        expect(Number.isFinite(value)).toBe(true);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
      }
    }
    const match = scoreMatch(talent, job, Number.NaN, [0.2, 0.6]);
    expect(match.parts.similarity).toBe(0);
    expect(match.score).toBeCloseTo(0.45 + 0.1 + 0.1, 10);
  });

  it('adds the weighted parts, and reports them with the matched and missing skills', () => {
    const match = scoreMatch(
      { skills: [{ skillId: 'ts', level: 'EXPERT', years: 6 }], yearsOfExperience: 6, location: { city: 'Berlin', country: 'DE' } },
      { requiredSkills: [{ skillId: 'ts', level: 'ADVANCED' }, { skillId: 'go', level: 'BEGINNER' }], seniority: 'Senior', location: { city: 'Berlin', country: 'DE' } },
      0.4,
      [0.2, 0.6],
    );
    expect(match.parts).toEqual({ skills: 0.5, similarity: expect.closeTo(0.5, 10), experience: 1, location: 1 });
    expect(match.score).toBeCloseTo(0.45 * 0.5 + 0.35 * 0.5 + 0.1 + 0.1, 10);
    expect(match.missingSkills).toEqual([{ skillId: 'go', level: 'BEGINNER' }]);
    const none = { skills: [], yearsOfExperience: 0, location: null };
    const anyJob = { requiredSkills: [], seniority: null, location: null };
    expect(scoreMatch(none, anyJob, 0.1, [0.2, 0.6]).parts.similarity).toBe(0);
    expect(scoreMatch(none, anyJob, 0.9, [0.2, 0.6]).parts.similarity).toBe(1);
  });

  it('counts years of experience once where stints overlap, open ones until now', () => {
    const now = new Date('2026-11-15T00:00:00Z');
    expect(yearsOfExperience([{ from: '2020-01', to: '2021-12' }], now)).toBe(2);
    expect(yearsOfExperience([{ from: '2020-01', to: '2022-12' }, { from: '2021-01', to: '2021-06' }, { from: '2023-01', to: null }], now)).toBe(6);
    expect(yearsOfExperience([{ from: 'garbage' }, { from: '2024-05', to: '2024-01' }], now)).toBe(0);
  });
});
