import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS, hashPassword, needsRehash, passwordProblem, verifyPassword } from '../password.ts';

describe('password hashing', () => {
  it('stores scrypt$N$r$p$salt$hash with a random 16-byte salt', async () => {
    const first = await hashPassword('correct horse battery staple');
    const second = await hashPassword('correct horse battery staple');
    const parts = first.split('$');
    expect(parts.slice(0, 4)).toEqual(['scrypt', '16384', '8', '1']);
    expect(Buffer.from(parts[4]!, 'base64')).toHaveLength(16);
    expect(Buffer.from(parts[5]!, 'base64')).toHaveLength(32);
    expect(first).not.toContain('correct horse');
    expect(second).not.toBe(first);
  });

  it('verifies the right password and rejects any other', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', stored)).toBe(false);
    expect(await verifyPassword('Correct horse battery staple', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('treats the composed and decomposed forms of a character as the same password', async () => {
    const stored = await hashPassword('caf\u00e9 au lait');
    expect(await verifyPassword('cafe\u0301 au lait', stored)).toBe(true);
  });

  it('verifies a hash with the parameters it was made with, and flags it for rehashing', async () => {
    const cheap = await hashPassword('an older password', { N: 1024, r: 8, p: 1 });
    expect(cheap.startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(await verifyPassword('an older password', cheap)).toBe(true);
    expect(needsRehash(cheap)).toBe(true);
    expect(needsRehash(await hashPassword('a current password'))).toBe(false);
    expect(DEFAULT_PARAMS).toEqual({ N: 16384, r: 8, p: 1 });
  });

  it('never matches a malformed or tampered hash', async () => {
    const stored = await hashPassword('some password');
    const [, , r, p, salt, key] = stored.split('$');
    expect(await verifyPassword('some password', '')).toBe(false);
    expect(await verifyPassword('some password', 'plain text')).toBe(false);
    expect(await verifyPassword('some password', stored.replace('scrypt$', 'bcrypt$'))).toBe(false);
    // Parameters that would cost gigabytes or are not a power of two are refused before hashing.
    expect(await verifyPassword('some password', ['scrypt', 2 ** 30, r, p, salt, key].join('$'))).toBe(false);
    expect(await verifyPassword('some password', ['scrypt', 1000, r, p, salt, key].join('$'))).toBe(false);
    expect(await verifyPassword('some password', ['scrypt', 16384, r, p, '', key].join('$'))).toBe(false);
    expect(needsRehash('garbage')).toBe(true);
  });

  it('accepts new passwords of 8 to 200 characters', () => {
    expect(passwordProblem('1234567')).toMatch(/at least 8/);
    expect(passwordProblem('12345678')).toBeNull();
    expect(passwordProblem('x'.repeat(200))).toBeNull();
    expect(passwordProblem('x'.repeat(201))).toMatch(/at most 200/);
    // Characters, not UTF-16 units: four emoji are four characters.
    expect(passwordProblem('\u{1F511}'.repeat(4))).toMatch(/at least 8/);
  });
});
