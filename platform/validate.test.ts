import { describe, expect, it } from 'vitest';
import { email, id, isId, location, optionalText, optionalUrl, requiredText, tags } from './validate.ts';

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { extensions?: { code?: string; field?: string } }).extensions;
  }
  return 'no error';
};

describe('input validation', () => {
  it('trims required text and names the field when it is missing, too long or unstorable', () => {
    expect(requiredText('  Ada ', 'name')).toBe('Ada');
    expect(codeOf(() => requiredText('   ', 'name'))).toEqual({ code: 'BAD_USER_INPUT', field: 'name' });
    expect(codeOf(() => requiredText('x'.repeat(201), 'name'))).toEqual({ code: 'BAD_USER_INPUT', field: 'name' });
    expect(codeOf(() => requiredText('a\u0000b', 'name'))).toEqual({ code: 'BAD_USER_INPUT', field: 'name' });
    expect(codeOf(() => optionalText('a\ud800b', 'summary'))).toEqual({ code: 'BAD_USER_INPUT', field: 'summary' });
    expect(optionalText('emoji 👩‍💻 fine', 'summary')).toBe('emoji 👩‍💻 fine');
    expect(optionalText('   ', 'summary')).toBeNull();
  });

  it('normalises emails and rejects bad ones', () => {
    expect(email(' Ada@Example.COM ')).toBe('ada@example.com');
    for (const bad of ['not-an-email', 'a@b', 'a b@c.de', '@x.io']) expect(codeOf(() => email(bad))).toEqual({ code: 'BAD_USER_INPUT', field: 'email' });
  });

  it('accepts only http(s) URLs', () => {
    expect(optionalUrl('https://looma.dev', 'website')).toBe('https://looma.dev/');
    expect(codeOf(() => optionalUrl('javascript:alert(1)', 'website'))).toEqual({ code: 'BAD_USER_INPUT', field: 'website' });
  });

  it('checks ids are UUIDs, whatever JSON they arrive as', () => {
    expect(id('0708EB09-BA9E-4551-8B0F-FAF7EE5AB66B')).toBe('0708eb09-ba9e-4551-8b0f-faf7ee5ab66b');
    expect(codeOf(() => id('42'))).toEqual({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(isId(['0708eb09-ba9e-4551-8b0f-faf7ee5ab66b'])).toBe(false);
    expect(isId(42)).toBe(false);
  });

  it('deduplicates tags and validates locations field by field', () => {
    expect(tags([' Remote', 'remote', 'urgent '])).toEqual(['remote', 'urgent']);
    expect(location({ city: ' Berlin ', country: 'DE' })).toEqual({ city: 'Berlin', region: null, country: 'DE', remote: null });
    expect(codeOf(() => location({ city: 'x'.repeat(101) }))).toEqual({ code: 'BAD_USER_INPUT', field: 'location.city' });
  });
});
