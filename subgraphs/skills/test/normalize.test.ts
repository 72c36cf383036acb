import { describe, expect, it } from 'vitest';
import { distinctAliases, normalizeSkillKey } from '../normalize.ts';

describe('normalizeSkillKey', () => {
  it.each([
    ['Java Script', 'javascript'],
    ['javascript', 'javascript'],
    ['JAVA-SCRIPT', 'javascript'],
    ['  JavaScript\t', 'javascript'],
    ['java_script', 'javascript'],
    ['Ｊａｖａ Ｓｃｒｉｐｔ', 'javascript'], // full-width forms fold under NFKC
    ['Java‐Script', 'javascript'], // U+2010 HYPHEN
    ['C++', 'c++'],
    ['C#', 'c#'],
    ['Ｃ＃', 'c#'],
    ['c', 'c'],
    ['Node.js', 'nodejs'],
    ['node js', 'nodejs'],
    ['.NET', 'net'],
    ['ﬁnance', 'finance'], // the "fi" ligature is a compatibility character
    ['Objective-C', 'objectivec'],
    ['', ''],
    [' . - _ ', ''],
  ])('%j → %j', (input, key) => {
    expect(normalizeSkillKey(input)).toBe(key);
  });

  it('keeps C, C++ and C# apart', () => {
    expect(new Set(['C', 'C++', 'C#'].map(normalizeSkillKey)).size).toBe(3);
  });
});

describe('distinctAliases', () => {
  it('drops aliases that repeat the name or an earlier alias by key, keeping the first spelling', () => {
    expect(distinctAliases('JavaScript', ['JS', 'java script', 'js', 'ECMAScript', 'ecma-script', '--'])).toEqual(['JS', 'ECMAScript']);
  });
});
