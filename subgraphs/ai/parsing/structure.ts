import { words, type SkillAliases } from '../../../platform/text-analysis.ts';
import { skillsNamed } from '../embedding/hashing.ts';
import type { SkillLevel } from '../matching/score.ts';
import { contactIn, isContactLine, type Contact } from './contact.ts';

/**
 * A resume's text as a draft Resume: contact details, the sections (experience, education,
 * skills, summary) found by their headings in English or Chinese, stints and studies found by
 * their date ranges, and skills normalized through the skills taxonomy. A heuristic reading:
 * the draft is for a person to check and save (createResume), never saved by itself.
 */

export interface DraftExperience {
  companyName: string;
  title: string;
  from: string;
  to: string | null;
  description: string | null;
}

export interface DraftEducation {
  institution: string;
  degree: string | null;
  field: string | null;
  from: string | null;
  to: string | null;
}

export interface DraftSkill {
  /** The canonical name, as the taxonomy spells it. */
  name: string;
  level: SkillLevel;
  writtenAs: string;
}

export interface ResumeDraft {
  name: string | null;
  title: string;
  summary: string | null;
  contact: Contact;
  experience: DraftExperience[];
  education: DraftEducation[];
  skills: DraftSkill[];
  unrecognizedSkills: string[];
}

type Section = 'summary' | 'experience' | 'education' | 'skills' | 'projects' | 'certifications' | 'other';

const HEADINGS: readonly [Section, RegExp][] = [
  ['summary', /^(summary|profile|about( me)?|objective|professional summary|个人简介|自我评价|个人总结|简介)$/i],
  ['experience', /^((work |professional )?experience|employment( history)?|work history|career|工作经历|工作经验|职业经历)$/i],
  ['education', /^(education|academic background|studies|教育背景|教育经历|学历)$/i],
  ['skills', /^((technical |core |key )?skills|technologies|tech stack|competencies|专业技能|技能|技能特长|技术栈)$/i],
  ['projects', /^(projects|selected projects|项目经历|项目经验)$/i],
  ['certifications', /^(certifications?|licen[cs]es|certificates|证书|资格证书)$/i],
  ['other', /^(languages|interests|hobbies|references|awards|publications|语言能力|兴趣爱好|获奖情况)$/i],
];

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DATE = String.raw`(?:(\d{4})\s*(?:[-./年]\s*(\d{1,2})\s*月?)?|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.?\s+(\d{4}))`;
const OPEN_END = String.raw`(present|now|current|today|至今|现在|今)`;
const RANGE = new RegExp(`${DATE}\\s*(?:-|–|—|~|to|至|到)\\s*(?:${DATE}|${OPEN_END})`, 'i');

const INSTITUTION = /(universit|college|institute|school|academy|大学|学院|学校)/i;
const DEGREE = /\b(ph\.?d|doctor\w*|master\w*|m\.?sc|m\.?s\.?|mba|bachelor\w*|b\.?sc|b\.?s\.?|b\.?a\.?|associate)\b|博士|硕士|学士|本科|研究生|大专/i;
const LEVEL_WORDS: readonly [SkillLevel, RegExp][] = [
  ['EXPERT', /\b(expert|mastery|guru)\b|精通/i],
  ['ADVANCED', /\b(advanced|proficient|strong|extensive)\b|熟练/i],
  ['BEGINNER', /\b(basic|beginner|familiar with some|exposure)\b|了解/i],
  ['INTERMEDIATE', /\b(intermediate|familiar|working knowledge)\b|熟悉/i],
];

/**
 * Characters of a line that are read for structure. A resume's lines are short; a longer one is
 * not a heading, a date line or a role, and bounding it bounds every pattern below.
 */
export const MAX_LINE_LENGTH = 1_000;

export function draftResume(text: string, skills: SkillAliases): ResumeDraft {
  // Runs of white space become one space, so no pattern below meets a long one.
  const lines = text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim().slice(0, MAX_LINE_LENGTH))
    .filter(Boolean);
  const sections = splitSections(lines);
  const contact = contactIn(lines);
  const header = sections.get('header') ?? [];
  const headerLines = header.filter((line) => !isContactLine(line));
  const name = headerLines[0] ?? null;
  const title = headerLines.find((line, index) => index > 0 && line.length <= 80) ?? sections.get('experience')?.[0] ?? 'Resume';
  const { found, unrecognized } = skillsIn(sections.get('skills') ?? [], skills, lines.join('\n'));
  return {
    name,
    title,
    summary: (sections.get('summary') ?? []).join(' ') || null,
    contact,
    experience: stints(sections.get('experience') ?? []),
    education: studies(sections.get('education') ?? []),
    skills: found,
    unrecognizedSkills: unrecognized,
  };
}

/** Lines under each heading; those before the first heading are the header (name, title, contact). */
function splitSections(lines: readonly string[]): Map<Section | 'header', string[]> {
  const sections = new Map<Section | 'header', string[]>([['header', []]]);
  let current: Section | 'header' = 'header';
  for (const line of lines) {
    const heading = HEADINGS.find(([, pattern]) => pattern.test(line.replace(/[:：]$/, '').trim()))?.[0];
    if (heading) {
      current = heading;
      if (!sections.has(current)) sections.set(current, []);
      continue;
    }
    sections.get(current)!.push(line);
  }
  return sections;
}

/** A date as 'YYYY-MM' from the RANGE groups at `offset` (year, month, month name, year). */
function month(groups: (string | undefined)[], offset: number): string | null {
  const [year, number, name, namedYear] = groups.slice(offset, offset + 4);
  if (year) return `${year}-${String(Math.min(12, Math.max(1, Number(number ?? 1)))).padStart(2, '0')}`;
  if (name && namedYear) return `${namedYear}-${String(MONTH_NAMES.indexOf(name.toLowerCase().slice(0, 3)) + 1).padStart(2, '0')}`;
  return null;
}

function dateRange(line: string): { from: string; to: string | null; rest: string } | null {
  const match = RANGE.exec(line);
  if (!match) return null;
  const from = month([...match], 1);
  if (!from) return null;
  const to = match[9] ? null : month([...match], 5);
  return { from, to, rest: trimSeparators(line.slice(0, match.index) + line.slice(match.index + match[0].length)) };
}

const SEPARATORS = new Set([...' ,|·•()-']);

/** The text without separators at either end (a loop: the pattern `[…]+$` backtracks quadratically). */
function trimSeparators(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && SEPARATORS.has(text[start]!)) start++;
  while (end > start && SEPARATORS.has(text[end - 1]!)) end--;
  return text.slice(start, end);
}

/** "Title at Company", "Title, Company", "Company | Title", "Company — Title", or "公司 职位". */
function roleAndCompany(text: string): { title: string; companyName: string } {
  const at = /^(.+?)\s+(?:at|@)\s+(.+)$/i.exec(text);
  if (at) return { title: at[1]!.trim(), companyName: at[2]!.trim() };
  const parts = text.split(/\s*(?:[|,，·•]|\s[-–—]\s)\s*/).filter(Boolean);
  if (parts.length >= 2) {
    const companyFirst = /(inc|ltd|llc|gmbh|corp|company|co\.|公司|集团|科技)/i.test(parts[0]!);
    return companyFirst ? { companyName: parts[0]!, title: parts.slice(1).join(', ') } : { title: parts[0]!, companyName: parts.slice(1).join(', ') };
  }
  const chinese = /^(\S+(?:公司|集团|科技|银行|大学))\s*(.+)$/.exec(text);
  if (chinese) return { companyName: chinese[1]!, title: chinese[2]!.trim() };
  return { title: text, companyName: '' };
}

/** Each stint starts at a line holding a date range; when that line holds nothing else, the line before it names the role. */
function stints(lines: readonly string[]): DraftExperience[] {
  const found: (DraftExperience & { notes: string[] })[] = [];
  const before: string[] = [];
  for (const line of lines) {
    const range = dateRange(line);
    const notes = found.at(-1)?.notes ?? before;
    if (!range) {
      notes.push(line.replace(/^[-•·*]\s*/, ''));
      continue;
    }
    const heading = range.rest || notes.pop() || '';
    found.push({ ...roleAndCompany(heading), from: range.from, to: range.to, description: null, notes: [] });
  }
  return found.map(({ notes, ...stint }) => ({
    ...stint,
    title: stint.title || 'Role',
    companyName: stint.companyName || 'Unknown company',
    description: notes.join(' ') || null,
  }));
}

function studies(lines: readonly string[]): DraftEducation[] {
  const found: DraftEducation[] = [];
  for (const line of lines) {
    const range = dateRange(line);
    const text = range ? range.rest : line;
    if (INSTITUTION.test(text)) {
      const separated = text.split(/\s*(?:[|,，·•]|\s[-–—]\s)\s*/).filter(Boolean);
      // Chinese resumes separate school, major and degree by spaces alone.
      const parts = separated.length > 1 ? separated : text.split(/\s+/);
      const institution = parts.find((part) => INSTITUTION.test(part)) ?? text;
      const others = parts.filter((part) => part !== institution).join(', ');
      const degree = DEGREE.exec(others)?.[0] ?? DEGREE.exec(text)?.[0] ?? null;
      const field = /\bin\s+(.+)$/i.exec(others)?.[1] ?? /(\S{1,40})专业/.exec(text)?.[1] ?? null;
      found.push({ institution, degree, field, from: range?.from ?? null, to: range ? range.to : null });
    } else if (found.length && range && !found.at(-1)!.from) {
      Object.assign(found.at(-1)!, { from: range.from, to: range.to });
    } else if (found.length && !found.at(-1)!.degree && DEGREE.test(line)) {
      found.at(-1)!.degree = DEGREE.exec(line)![0];
      found.at(-1)!.field ??= /\bin\s+(.+)$/i.exec(line)?.[1] ?? null;
    }
  }
  return found;
}

/** The skills section's entries, each normalized through the taxonomy; without a section, the skills the whole text names. */
function skillsIn(lines: readonly string[], aliases: SkillAliases, text: string): { found: DraftSkill[]; unrecognized: string[] } {
  const display = new Map([...aliases.values()].map((name) => [name.toLowerCase(), name]));
  const found = new Map<string, DraftSkill>();
  const unrecognized: string[] = [];
  const entries = lines.length ? lines.flatMap((line) => line.replace(/^[^:：]{1,30}[:：]/, '').split(/\s*[,;、，；|•·/]\s*/)) : [text];
  for (const entry of entries.map((value) => value.trim()).filter(Boolean)) {
    const names = skillsNamed(words(entry), aliases);
    if (!names.length) {
      if (lines.length && entry.length <= 40) unrecognized.push(entry);
      continue;
    }
    const level = LEVEL_WORDS.find(([, pattern]) => pattern.test(entry))?.[0] ?? 'INTERMEDIATE';
    for (const name of names) if (!found.has(name)) found.set(name, { name: display.get(name) ?? name, level, writtenAs: lines.length ? entry : name });
  }
  return { found: [...found.values()], unrecognized: [...new Set(unrecognized)] };
}
