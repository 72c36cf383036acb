import { describe, expect, it } from 'vitest';
import { numberFromEnv } from './env-number.ts';

describe('numberFromEnv', () => {
  it('gives the fallback for an unset or empty variable, and the number otherwise', () => {
    expect(numberFromEnv({}, 'X', 7)).toBe(7);
    expect(numberFromEnv({ X: '' }, 'X', 7)).toBe(7);
    expect(numberFromEnv({ X: '2.5' }, 'X', 7)).toBe(2.5);
    expect(numberFromEnv({ X: '0' }, 'X', 7)).toBe(0);
  });

  it('refuses what is not a number of the kind asked for, naming the variable', () => {
    expect(() => numberFromEnv({ X: 'ten' }, 'X', 7)).toThrow('X must be a number ≥ 0, not "ten"');
    expect(() => numberFromEnv({ X: '-1' }, 'X', 7)).toThrow('X must be a number ≥ 0, not "-1"');
    expect(() => numberFromEnv({ X: '0' }, 'X', 7, { above: 0 })).toThrow('X must be a number > 0, not "0"');
    expect(() => numberFromEnv({ X: '1.5' }, 'X', 7, { whole: true, min: 1 })).toThrow('X must be a whole number ≥ 1, not "1.5"');
    expect(numberFromEnv({ X: '3' }, 'X', 7, { whole: true, min: 1 })).toBe(3);
  });
});
