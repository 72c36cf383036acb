import { describe, expect, it } from 'vitest';
import { aliasMap, analyzeQuery, bigrams, seniorityOf, words } from './text-analysis.ts';

describe('text analysis', () => {
  it('splits latin words and turns CJK runs into overlapping pairs', () => {
    expect(words('Senior Node.js / C++ & C# dev.')).toEqual(['senior', 'node.js', 'c++', 'c#', 'dev']);
    expect(words('招聘高级Java工程师')).toEqual(['招聘', '聘高', '高级', 'java', '工程', '程师']);
    expect(bigrams('工')).toEqual(['工']);
  });

  it('expands skill aliases into the canonical name, phrases included', () => {
    const aliases = aliasMap([
      { name: 'JavaScript', aliases: ['js'] },
      { name: 'Machine Learning', aliases: ['ml'] },
      { name: 'Node.js', aliases: ['node js', 'nodejs'] },
    ]);
    expect(analyzeQuery('JS ml engineer', aliases)).toEqual([['js', 'javascript'], ['ml', 'machine learning'], ['engineer']]);
    expect(analyzeQuery('node js backend', aliases)).toEqual([['node js', 'node.js'], ['backend']]);
    expect(analyzeQuery('高级 工程师', aliases)).toEqual([['高级'], ['工程'], ['程师']]);
  });

  it('reads the seniority a title states, the most senior one when it states several', () => {
    expect(seniorityOf('Senior TypeScript Engineer')).toBe('Senior');
    expect(seniorityOf('Lead Site Reliability Engineer')).toBe('Lead');
    expect(seniorityOf('高级 Java 工程师')).toBe('Senior');
    expect(seniorityOf('Junior to Senior Developer')).toBe('Senior');
    expect(seniorityOf('Engineering Manager')).toBeNull();
  });
});
