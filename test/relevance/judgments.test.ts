import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateDemoDataset } from '../../demo/dataset.ts';
import { MAX_RELEVANT, deriveJudgments, formatJudgments } from './judge.ts';
import { JUDGMENTS_FILE, loadJudgments } from './metrics.ts';

describe('the judged query set', () => {
  const dataset = generateDemoDataset();
  const judgments = loadJudgments();

  it('is what judge.ts derives from the demo dataset (regenerate: npx tsx test/relevance/judge.ts)', () => {
    expect(readFileSync(JUDGMENTS_FILE, 'utf8')).toBe(formatJudgments(deriveJudgments(dataset)));
  });

  it('has at least 45 queries, Chinese ones among them, each asked once', () => {
    expect(judgments.length).toBeGreaterThanOrEqual(45);
    expect(judgments.filter((judgment) => /\p{Script=Han}/u.test(judgment.query)).length).toBeGreaterThanOrEqual(5);
    const asked = judgments.map((judgment) => `${judgment.query}|${judgment.types?.join(',') ?? ''}`);
    expect(new Set(asked).size).toBe(asked.length);
  });

  it('judges existing entities of the asked types, with grades 1 to 3, best first', () => {
    const ids: Record<string, Set<string>> = {
      TALENT: new Set(dataset.talents.map((talent) => talent.id)),
      JOB: new Set(dataset.jobs.map((job) => job.id)),
      COMPANY: new Set(dataset.companies.map((company) => company.id)),
      PROJECT: new Set(dataset.projects.map((project) => project.id)),
      SKILL: new Set(dataset.skills.map((skill) => skill.id)),
    };
    for (const { query, types, intent, relevant } of judgments) {
      expect(intent, query).not.toBe('');
      expect(relevant.length, query).toBeGreaterThan(0);
      expect(relevant.length, query).toBeLessThanOrEqual(MAX_RELEVANT);
      expect(relevant.some((judged) => judged.grade === 3), `${query} has something exactly as asked`).toBe(true);
      for (const judged of relevant) {
        expect(ids[judged.type]?.has(judged.id), `${query}: ${judged.type} ${judged.id}`).toBe(true);
        expect([1, 2, 3]).toContain(judged.grade);
        if (types) expect(types).toContain(judged.type);
      }
      const grades = relevant.map((judged) => judged.grade);
      expect(grades, query).toEqual([...grades].sort((a, b) => b - a));
      expect(new Set(relevant.map((judged) => `${judged.type}:${judged.id}`)).size, query).toBe(relevant.length);
    }
  });
});
