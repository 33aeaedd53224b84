import { InnkeeperError, isInnkeeperError } from '@innkeeper/core';
import { decodeCursor, encodeCursor } from '@innkeeper/core/store';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';

function decodeError(cursor: string): InnkeeperError {
  try {
    decodeCursor(cursor);
  } catch (error) {
    if (error instanceof InnkeeperError) return error;
    throw error;
  }
  throw new Error(`cursor ${JSON.stringify(cursor)} was accepted`);
}

describe('cursor', () => {
  test('round trip', () => {
    const position = { createdAt: '2026-04-01T10:00:00.000Z', id: 'res_01H' };
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  test('round trip property, any strings', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        fc.string({ unit: 'grapheme' }),
        (createdAt, id) => {
          const cursor = encodeCursor({ createdAt, id });
          expect(cursor).toMatch(/^[A-Za-z0-9_-]*$/);
          expect(decodeCursor(cursor)).toEqual({ createdAt, id });
        },
      ),
    );
  });

  test.each([
    { createdAt: '', id: '' },
    { createdAt: '2026-04-01T10:00:00.000Z', id: 'rés "quoted" \\ ,[]' },
    { createdAt: 'emoji 🏨', id: 'lone surrogate \ud800' },
  ])('round trip of unusual strings %j', (position) => {
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  test.each([
    '',
    'garbage',
    '!!!',
    '%%%',
    Buffer.from('{"createdAt":"x","id":"y"}').toString('base64url'),
    Buffer.from('["x"]').toString('base64url'),
    Buffer.from('["x","y","z"]').toString('base64url'),
    Buffer.from('[1,2]').toString('base64url'),
    Buffer.from('null').toString('base64url'),
    Buffer.from('"x"').toString('base64url'),
  ])('garbage cursor %j is a VALIDATION error on path ["cursor"]', (cursor) => {
    const error = decodeError(cursor);
    expect(isInnkeeperError(error, 'VALIDATION')).toBe(true);
    expect(error.code).toBe('VALIDATION');
    expect(error.details).toEqual({ issues: [{ path: ['cursor'], message: expect.any(String) }] });
  });

  test('property: decoding never throws anything but a VALIDATION error', () => {
    fc.assert(
      fc.property(fc.string(), (cursor) => {
        try {
          const position = decodeCursor(cursor);
          expect(typeof position.createdAt).toBe('string');
          expect(typeof position.id).toBe('string');
        } catch (error) {
          expect(isInnkeeperError(error, 'VALIDATION')).toBe(true);
        }
      }),
    );
  });
});
