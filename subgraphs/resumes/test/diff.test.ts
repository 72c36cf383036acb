import { describe, expect, it } from 'vitest';
import { diffDocuments } from '../diff.ts';
import { isPartialDate } from '../input.ts';

const base = {
  title: 'Engineer',
  summary: 'Builds APIs',
  experience: [
    { company: 'Acme', title: 'Engineer', from: '2014-10' },
    { company: 'Globex', title: 'Senior engineer', from: '2018-04' },
  ],
  skills: [{ skillId: 'ts', level: 'ADVANCED' }],
};

describe('diffDocuments', () => {
  it('finds nothing between equal documents, whatever their key order', () => {
    expect(diffDocuments(base, structuredClone(base))).toEqual([]);
    expect(diffDocuments({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toEqual([]);
  });

  it('reports a changed field inside a list entry by its path', () => {
    const after = structuredClone(base);
    after.experience[1]!.title = 'Staff engineer';
    expect(diffDocuments(base, after)).toEqual([
      { path: 'experience[1].title', kind: 'CHANGED', before: '"Senior engineer"', after: '"Staff engineer"' },
    ]);
  });

  it('treats null and absent alike and reports fields appearing or disappearing', () => {
    expect(diffDocuments({ summary: null, title: 'A' }, { title: 'A' })).toEqual([]);
    expect(diffDocuments({ summary: null }, { summary: 'Hi' })).toEqual([{ path: 'summary', kind: 'ADDED', before: null, after: '"Hi"' }]);
    expect(diffDocuments({ summary: 'Hi' }, {})).toEqual([{ path: 'summary', kind: 'REMOVED', before: '"Hi"', after: null }]);
    expect(diffDocuments({ skills: null }, { skills: [] })).toEqual([{ path: 'skills', kind: 'ADDED', before: null, after: '[]' }]);
  });

  it('aligns lists on unchanged entries, so an insertion at the front is one ADDED entry', () => {
    const after = { ...base, skills: [{ skillId: 'go', level: 'BEGINNER' }, ...base.skills] };
    expect(diffDocuments(base, after)).toEqual([
      { path: 'skills[0]', kind: 'ADDED', before: null, after: '{"skillId":"go","level":"BEGINNER"}' },
    ]);
  });

  it('reports removed entries at their position in the old list', () => {
    const after = { ...base, experience: [base.experience[1]] };
    expect(diffDocuments(base, after)).toEqual([
      { path: 'experience[0]', kind: 'REMOVED', before: JSON.stringify(base.experience[0]), after: null },
    ]);
    expect(diffDocuments([1, 2, 3], [1, 3])).toEqual([{ path: '[1]', kind: 'REMOVED', before: '2', after: null }]);
  });

  it('pairs replaced entries and compares them field by field, extra ones being added or removed', () => {
    expect(diffDocuments({ list: ['a', 'b', 'z'] }, { list: ['a', 'c', 'd', 'z'] })).toEqual([
      { path: 'list[1]', kind: 'CHANGED', before: '"b"', after: '"c"' },
      { path: 'list[2]', kind: 'ADDED', before: null, after: '"d"' },
    ]);
    expect(diffDocuments({ list: [{ a: 1, b: 1 }, { a: 9 }] }, { list: [{ a: 1, b: 2 }] })).toEqual([
      { path: 'list[0].b', kind: 'CHANGED', before: '1', after: '2' },
      { path: 'list[1]', kind: 'REMOVED', before: '{"a":9}', after: null },
    ]);
  });

  it('reports a change of type as CHANGED at that path', () => {
    expect(diffDocuments({ years: 3 }, { years: '3' })).toEqual([{ path: 'years', kind: 'CHANGED', before: '3', after: '"3"' }]);
    expect(diffDocuments({ x: [1] }, { x: { 0: 1 } })).toEqual([{ path: 'x', kind: 'CHANGED', before: '[1]', after: '{"0":1}' }]);
  });

  it('lists changes in document order and is the mirror image when reversed', () => {
    const after = { ...base, title: 'Lead', summary: null, skills: [] };
    const forward = diffDocuments(base, after);
    expect(forward.map((change) => `${change.kind} ${change.path}`)).toEqual(['CHANGED title', 'REMOVED summary', 'REMOVED skills[0]']);
    const backward = diffDocuments(after, base);
    expect(backward.map((change) => `${change.kind} ${change.path}`)).toEqual(['CHANGED title', 'ADDED summary', 'ADDED skills[0]']);
    expect(backward[0]).toEqual({ path: 'title', kind: 'CHANGED', before: '"Lead"', after: '"Engineer"' });
  });
});

describe('isPartialDate', () => {
  it('accepts real months and days only', () => {
    for (const date of ['2020-01', '1999-12', '2024-02-29', '2023-12-31']) expect(isPartialDate(date), date).toBe(true);
    for (const date of ['2020', '2020-13', '2020-00', '2023-02-29', '2020-04-31', '2020-1-01', 'May 2020', '2020-01-01T00:00', ''])
      expect(isPartialDate(date), date).toBe(false);
  });
});
