import { describe, expect, it } from 'vitest';
import { talentEdges } from '../sources.ts';

const acme = '00000000-0000-4000-8000-0000000000a1';
const globex = '00000000-0000-4000-8000-0000000000a2';
const ts = '00000000-0000-4000-8000-0000000000b1';
const go = '00000000-0000-4000-8000-0000000000b2';

describe('a talent’s edges drawn from their resumes', () => {
  it('keeps the latest stint per company, and the highest level and most years per skill, across resumes', () => {
    const edges = talentEdges(
      [
        {
          experience: [
            { companyId: acme, title: 'Intern', from: '2015-01', to: '2015-06' },
            { companyId: acme, title: 'Lead', from: '2019-03', to: null },
            { companyId: globex, title: 'Dev', from: '2016-01-10', to: '2018-12' },
          ],
          skills: [
            { skillId: ts, level: 'ADVANCED', years: 4 },
            { skillId: go, level: 'BEGINNER', years: null },
          ],
        },
        {
          experience: [{ companyId: acme, title: 'Senior', from: '2019-03', to: '2022-01' }],
          skills: [{ skillId: ts, level: 'INTERMEDIATE', years: 7 }],
        },
      ],
      new Map([[ts, 3]]),
    );
    expect(edges.workedAt).toEqual([
      { toId: acme, properties: { title: 'Lead', from: '2019-03', to: null } },
      { toId: globex, properties: { title: 'Dev', from: '2016-01-10', to: '2018-12' } },
    ]);
    expect(edges.hasSkill).toEqual([
      { toId: ts, properties: { level: 'ADVANCED', years: 7, endorsements: 3 } },
      { toId: go, properties: { level: 'BEGINNER', years: null, endorsements: 0 } },
    ]);
  });

  it('leaves out what the graph cannot place instead of failing the event', () => {
    const edges = talentEdges(
      [
        {
          experience: [
            { companyId: null, companyName: 'Elsewhere', title: 'Dev', from: '2019-01', to: null },
            { companyId: 'not-a-uuid', title: 'Dev', from: '2019-01', to: null },
            { companyId: acme, title: 'Dev', from: 'last spring', to: null },
            { companyId: globex, title: 'Dev', from: '2020-05', to: '2019-01' },
          ],
          skills: [{ skillId: 'nope', level: 'EXPERT', years: 3 }, { skillId: go, level: 'GURU', years: 'many' }],
        },
      ],
      new Map(),
    );
    expect(edges.workedAt).toEqual([]);
    expect(edges.hasSkill).toEqual([{ toId: go, properties: { level: null, years: null, endorsements: 0 } }]);
  });
});
