import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { formatError } from './format-error.ts';
import { serving } from './request-context.ts';

const asFormatted = (error: GraphQLError) => error.toJSON();

describe('formatError', () => {
  it('passes errors raised on purpose through unchanged', () => {
    const error = new GraphQLError('name is required', { extensions: { code: 'BAD_USER_INPUT', field: 'name' } });
    expect(formatError(asFormatted(error), error)).toEqual(asFormatted(error));
  });

  it('masks unexpected errors, keeping the path but no message or stack', () => {
    const crash = new TypeError("Cannot read properties of undefined (reading 'id') at store.postgres.ts:42");
    const wrapped = new GraphQLError(crash.message, { path: ['talent'], originalError: crash, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(formatError(asFormatted(wrapped), wrapped)).toEqual({
      message: 'Internal server error',
      path: ['talent'],
      locations: undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('reports values the database refuses (NUL in text, out-of-range numbers) as BAD_USER_INPUT', () => {
    const refused = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
    const wrapped = new GraphQLError(refused.message, { path: ['companies'], originalError: refused, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(formatError(asFormatted(wrapped), wrapped).extensions).toEqual({ code: 'BAD_USER_INPUT' });
  });

  it('masks database errors that are ours, such as a missing table', () => {
    const ours = Object.assign(new Error('relation "talents" does not exist'), { code: '42P01' });
    const wrapped = new GraphQLError(ours.message, { originalError: ours, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(formatError(asFormatted(wrapped), wrapped).message).toBe('Internal server error');
  });
});

describe('formatError while serving a request', () => {
  it('puts the request id in the extensions of every error, masked or not', () => {
    const input = new GraphQLError('name is required', { extensions: { code: 'BAD_USER_INPUT' } });
    const crash = new GraphQLError('boom', { originalError: new Error('boom'), extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    serving({ service: 'test', reqId: 'req-42' }, () => {
      expect(formatError(asFormatted(input), input).extensions).toEqual({ code: 'BAD_USER_INPUT', requestId: 'req-42' });
      expect(formatError(asFormatted(crash), crash)).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-42' } });
    });
  });
});
