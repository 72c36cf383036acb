/**
 * Contact details in a resume's text: email, phone, LinkedIn profile and website. Found by
 * anchoring on a literal ('@', 'linkedin.com/', 'http') and widening over a bounded number of
 * characters, rather than by unanchored patterns such as `[\w.]+@…`, which backtrack
 * quadratically over a long run of word characters (a 30 000-letter line took seconds).
 */

export interface Contact {
  email: string | null;
  phone: string | null;
  linkedin: string | null;
  website: string | null;
}

/** RFC 5321 limits: 64 characters before the '@', 255 after. */
const MAX_LOCAL = 64;
const MAX_DOMAIN = 255;
const MAX_URL = 300;
const LOCAL_CHAR = /[\w.+-]/;
const DOMAIN_CHAR = /[\w.-]/;
const DOMAIN = /^[\w-]+(?:\.[\w-]+)+$/;
const URL_CHAR = /[^\s,;|]/;
const PROFILE = 'linkedin.com/';
/** Digits, spaces, brackets, dots and dashes between two digits; the class holds no letter, so a failed attempt stops at the first one. */
const PHONE = /\+?\d[\d\s().-]{6,}\d/;
/** "2019 - 2021" has eight digits but is a date range. */
const YEAR_RANGE = /^(?:19|20)\d\d\s*[-–—.]\s*(?:19|20)\d\d$/;

export function contactIn(lines: readonly string[]): Contact {
  const text = lines.join('\n');
  const urls = urlsIn(text);
  return {
    email: emailsIn(text)[0] ?? null,
    phone: lines.map(phoneIn).find((phone) => phone !== null) ?? null,
    linkedin: linkedinIn(text),
    website: urls.find((url) => !url.toLowerCase().includes(PROFILE)) ?? null,
  };
}

/** Whether a line is contact details rather than a name or a title. */
export function isContactLine(line: string): boolean {
  if (emailsIn(line).length || linkedinIn(line) || urlsIn(line).length) return true;
  return phoneIn(line) !== null && line.length < 40;
}

export function emailsIn(text: string): string[] {
  const found: string[] = [];
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > 0 && at - start < MAX_LOCAL && LOCAL_CHAR.test(text[start - 1]!)) start--;
    let end = at + 1;
    while (end < text.length && end - at <= MAX_DOMAIN && DOMAIN_CHAR.test(text[end]!)) end++;
    const local = text.slice(start, at);
    const domain = text.slice(at + 1, end).replace(/[.-]+$/, '');
    if (local && DOMAIN.test(domain)) found.push(`${local}@${domain}`);
  }
  return found;
}

/** A phone number: 8 to 15 digits (E.164 allows 15), outside any email address on the line, and not a year range. */
function phoneIn(line: string): string | null {
  let rest = line;
  for (const email of emailsIn(line)) rest = rest.replace(email, ' ');
  for (const candidate of rest.match(new RegExp(PHONE.source, 'g')) ?? []) {
    const digits = candidate.replace(/\D/g, '').length;
    if (digits >= 8 && digits <= 15 && !YEAR_RANGE.test(candidate)) return candidate.trim();
  }
  return null;
}

function linkedinIn(text: string): string | null {
  const at = text.toLowerCase().indexOf(PROFILE);
  if (at === -1) return null;
  let end = at + PROFILE.length;
  while (end < text.length && end - at < MAX_URL && /[\w/%-]/.test(text[end]!)) end++;
  if (end === at + PROFILE.length) return null;
  // What may precede: a scheme and one subdomain ("https://www."), a few dozen characters at most.
  const before = /(?:https?:\/\/)?(?:[\w-]+\.)?$/i.exec(text.slice(Math.max(0, at - 40), at))?.[0] ?? '';
  return before + text.slice(at, end);
}

function urlsIn(text: string): string[] {
  const found: string[] = [];
  const lower = text.toLowerCase();
  for (let at = lower.indexOf('http'); at !== -1; at = lower.indexOf('http', at + 1)) {
    const scheme = lower.startsWith('https://', at) ? 8 : lower.startsWith('http://', at) ? 7 : 0;
    if (!scheme) continue;
    let end = at + scheme;
    while (end < text.length && end - at < MAX_URL && URL_CHAR.test(text[end]!)) end++;
    if (end > at + scheme) found.push(text.slice(at, end));
    at = end - 1;
  }
  return found;
}
