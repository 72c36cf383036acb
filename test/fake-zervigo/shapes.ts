import type { CandidateInput, ChatRequest, ResumeInput } from '../../platform/zervigo-client.ts';
import { BadInput } from './http.ts';

/**
 * Strict readers of the request bodies the client sends: every field of the shape must be there
 * with its type (null where the shape allows it), so a client that drifts from client.ts fails
 * against the fake rather than in production.
 */

type Fields = Record<string, unknown>;

function object(value: unknown, what: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BadInput(`${what} must be a JSON object`);
  return value as Fields;
}

function text(fields: Fields, key: string, what: string): string {
  const value = fields[key];
  if (typeof value !== 'string' || value.trim() === '') throw new BadInput(`${what}.${key} must be a non-empty string`);
  return value;
}

function anyText(fields: Fields, key: string, what: string): string {
  const value = fields[key];
  if (typeof value !== 'string') throw new BadInput(`${what}.${key} must be a string`);
  return value;
}

function nullableText(fields: Fields, key: string, what: string): string | null {
  const value = fields[key];
  if (value !== null && typeof value !== 'string') throw new BadInput(`${what}.${key} must be a string or null`);
  return value;
}

function texts(fields: Fields, key: string, what: string): string[] {
  const value = fields[key];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw new BadInput(`${what}.${key} must be an array of strings`);
  return [...(value as string[])];
}

function list<T>(fields: Fields, key: string, what: string, read: (item: unknown, where: string) => T): T[] {
  const value = fields[key];
  if (!Array.isArray(value)) throw new BadInput(`${what}.${key} must be an array`);
  return value.map((item, index) => read(item, `${what}.${key}[${index}]`));
}

export function readCandidateInput(body: unknown): CandidateInput {
  const fields = object(body, 'candidate');
  return {
    name: text(fields, 'name', 'candidate'),
    headline: nullableText(fields, 'headline', 'candidate'),
    location: nullableText(fields, 'location', 'candidate'),
    email: nullableText(fields, 'email', 'candidate'),
    phone: nullableText(fields, 'phone', 'candidate'),
    tags: texts(fields, 'tags', 'candidate'),
  };
}

export function readResumeInput(body: unknown): ResumeInput {
  const fields = object(body, 'resume');
  return {
    user_id: text(fields, 'user_id', 'resume'),
    title: nullableText(fields, 'title', 'resume'),
    summary: nullableText(fields, 'summary', 'resume'),
    skills: texts(fields, 'skills', 'resume'),
    experience: list(fields, 'experience', 'resume', (item, where) => {
      const entry = object(item, where);
      return {
        title: anyText(entry, 'title', where),
        company: nullableText(entry, 'company', where),
        start: nullableText(entry, 'start', where),
        end: nullableText(entry, 'end', where),
        description: nullableText(entry, 'description', where),
      };
    }),
    education: list(fields, 'education', 'resume', (item, where) => {
      const entry = object(item, where);
      return { institution: anyText(entry, 'institution', where), degree: nullableText(entry, 'degree', where), field: nullableText(entry, 'field', where) };
    }),
  };
}

export function readCredentials(body: unknown): { username: string; password: string } {
  const fields = object(body, 'login');
  return { username: anyText(fields, 'username', 'login'), password: anyText(fields, 'password', 'login') };
}

export function readTokenToValidate(body: unknown): string {
  return anyText(object(body, 'validation'), 'token', 'validation');
}

export function readMatchingRequest(body: unknown): { userId: string; limit: number } {
  const fields = object(body, 'job-matching');
  const limit = fields.limit;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) throw new BadInput('job-matching.limit must be a positive integer');
  return { userId: text(fields, 'user_id', 'job-matching'), limit };
}

export function readChatRequest(body: unknown): ChatRequest {
  const fields = object(body, 'chat');
  return {
    question: anyText(fields, 'question', 'chat'),
    subject: anyText(fields, 'subject', 'chat'),
    facts: list(fields, 'facts', 'chat', (item, where) => {
      const fact = object(item, where);
      return { field: anyText(fact, 'field', where), text: anyText(fact, 'text', where) };
    }),
  };
}
