import { InnkeeperError, isInnkeeperError } from '@innkeeper/core';
import { invalid, notFound, storageError, validationError } from '@innkeeper/core/store';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';

describe('InnkeeperError', () => {
  test('is an Error with a name, code, details and optional cause', () => {
    const cause = new Error('boom');
    const error = new InnkeeperError(
      'PAYMENT_FAILED',
      'declined',
      { reason: 'card', reservationId: 'r1', outcome: 'declined' },
      { cause },
    );
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('InnkeeperError');
    expect(error.code).toBe('PAYMENT_FAILED');
    expect(error.details).toEqual({ reason: 'card', reservationId: 'r1', outcome: 'declined' });
    expect(error.message).toBe('declined');
    expect(error.cause).toBe(cause);
    expect(error.stack).toBeTypeOf('string');
  });

  test('isInnkeeperError narrows by class and optional code', () => {
    const error = notFound('hotel', 'h1');
    expect(isInnkeeperError(error)).toBe(true);
    expect(isInnkeeperError(error, 'NOT_FOUND')).toBe(true);
    expect(isInnkeeperError(error, 'STORAGE')).toBe(false);
    expect(isInnkeeperError(new Error('x'))).toBe(false);
    expect(isInnkeeperError({ code: 'NOT_FOUND' }, 'NOT_FOUND')).toBe(false);
    expect(isInnkeeperError(undefined)).toBe(false);
  });

  test('notFound carries the entity and id', () => {
    const error = notFound('reservation', 'r9');
    expect(error.code).toBe('NOT_FOUND');
    expect(error.details).toEqual({ entity: 'reservation', id: 'r9' });
    expect(error.message).toContain('r9');
  });
});

describe('storageError', () => {
  test('wraps a plain Error as STORAGE, keeping it as cause', () => {
    const driver = new Error('connection reset');
    const error = storageError('book', driver);
    expect(error).toBeInstanceOf(InnkeeperError);
    expect(error.code).toBe('STORAGE');
    expect(error.details).toEqual({ operation: 'book' });
    expect(error.cause).toBe(driver);
    expect(error.message).toContain('book');
    expect(error.message).toContain('connection reset');
  });

  test('wraps a non-Error throw too', () => {
    const error = storageError('audit', 'SQLITE_BUSY');
    expect(error.code).toBe('STORAGE');
    expect(error.cause).toBe('SQLITE_BUSY');
    expect(error.message).toContain('SQLITE_BUSY');
    expect(storageError('audit', undefined).code).toBe('STORAGE');
  });

  test('passes an InnkeeperError through untouched', () => {
    const soldOut = new InnkeeperError('SOLD_OUT', 'sold out', { nights: [] });
    expect(storageError('book', soldOut)).toBe(soldOut);
    const conflict = new InnkeeperError('CONFLICT', 'stale', {
      entity: 'reservation',
      id: 'r1',
      reason: 'version',
    });
    expect(storageError('modify', conflict)).toBe(conflict);
  });
});

describe('validationError', () => {
  const schema = z.object({
    hotelId: z.string().min(1),
    lines: z.array(z.object({ adults: z.number().int().positive() })),
  });

  function zodError(input: unknown): z.ZodError {
    const result = schema.safeParse(input);
    if (result.success) throw new Error('expected a zod failure');
    return result.error;
  }

  test('maps every zod issue path', () => {
    const error = validationError(zodError({ hotelId: '', lines: [{ adults: 2 }, { adults: 0 }] }));
    expect(error.code).toBe('VALIDATION');
    const paths = error.details.issues.map((i) => i.path);
    expect(paths).toHaveLength(2);
    expect(paths).toContainEqual(['hotelId']);
    expect(paths).toContainEqual(['lines', 1, 'adults']);
    for (const issue of error.details.issues) expect(issue.message).toBeTypeOf('string');
    expect(error.message).toContain('lines.1.adults');
  });

  test('prefixes paths', () => {
    const error = validationError(zodError({ hotelId: 'h1', lines: [{ adults: -1 }] }), [
      'request',
    ]);
    expect(error.details.issues.map((i) => i.path)).toEqual([['request', 'lines', 0, 'adults']]);
  });

  test('a root-level issue has an empty path', () => {
    const result = z.string().safeParse(42);
    if (result.success) throw new Error('expected a zod failure');
    const error = validationError(result.error);
    expect(error.details.issues).toEqual([{ path: [], message: expect.any(String) }]);
    expect(error.message).toContain('(input)');
  });

  test('symbol keys become strings', () => {
    const key = Symbol('secret');
    const error = validationError(
      new z.ZodError([{ code: 'custom', path: [key, 0], message: 'bad', input: undefined }]),
    );
    expect(error.details.issues).toEqual([{ path: ['Symbol(secret)', 0], message: 'bad' }]);
  });

  test('invalid builds the same shape from domain checks', () => {
    const error = invalid([{ path: ['lines', 0, 'children'], message: 'Too many guests' }]);
    expect(error.code).toBe('VALIDATION');
    expect(error.details).toEqual({
      issues: [{ path: ['lines', 0, 'children'], message: 'Too many guests' }],
    });
    expect(error.message).toBe('Invalid input: lines.0.children: Too many guests');
  });
});

describe('isInnkeeperError across copies and codes', () => {
  test('recognizes an error from another copy of the package by its global brand', () => {
    const foreign = Object.assign(new Error('x'), { code: 'SOLD_OUT', details: { nights: [] } });
    Object.defineProperty(foreign, Symbol.for('innkeeper.error'), { value: true });
    expect(isInnkeeperError(foreign, 'SOLD_OUT')).toBe(true);
    expect(isInnkeeperError(new Error('plain'))).toBe(false);
  });

  test('switch on code narrows details to that code', () => {
    const error: unknown = new InnkeeperError('NOT_FOUND', 'gone', { entity: 'hotel', id: 'h' });
    if (!isInnkeeperError(error)) throw new Error('expected an InnkeeperError');
    switch (error.code) {
      case 'NOT_FOUND':
        // Compiles only because `details` narrowed to the NOT_FOUND shape.
        expect(error.details.entity).toBe('hotel');
        break;
      default:
        throw new Error(`unexpected ${error.code}`);
    }
  });
});
