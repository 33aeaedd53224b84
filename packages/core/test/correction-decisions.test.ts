import type { Reservation } from '@innkeeper/core';
import {
  type Decision,
  decideCorrection,
  decideModification,
  detailsForLines,
  lineGuestsIssue,
} from '@innkeeper/core/store';
import { describe, expect, test } from 'vitest';
import { line, reservation } from './fixtures.js';

const AT = '2026-04-20T10:00:00.000Z';

function applied(decision: Decision): Extract<Decision, { kind: 'apply' }> {
  if (decision.kind !== 'apply') throw new Error(`expected apply, got ${decision.kind}`);
  return decision;
}

const confirmed = (overrides: Partial<Reservation> = {}) =>
  reservation({ status: 'confirmed', ...overrides });

describe('decideCorrection', () => {
  test('changes only the fields given, records each old and new value, moves no rooms', () => {
    const current = confirmed({ guest: { name: 'Ada', email: 'ada@example.com', phone: '123' } });
    const { next, deltas, action } = applied(
      decideCorrection(
        current,
        { guest: { email: 'ada@new.example', phone: null }, reason: 'typo', by: 'desk' },
        AT,
      ),
    );
    expect(action).toBe('corrected');
    expect(deltas).toEqual([]);
    expect(next.guest).toEqual({ name: 'Ada', email: 'ada@new.example' });
    expect(next.version).toBe(current.version + 1);
    expect(next.updatedAt).toBe(AT);
    expect(next.status).toBe('confirmed');
    expect(next.history.at(-1)).toEqual({
      at: AT,
      action: 'corrected',
      status: 'confirmed',
      reason: 'typo',
      by: 'desk',
      changes: [
        { field: 'guest.email', from: 'ada@example.com', to: 'ada@new.example' },
        { field: 'guest.phone', from: '123' },
      ],
    });
    // The reservation handed in is left as it was.
    expect(current.guest.phone).toBe('123');
  });

  test('sets, replaces and clears details; the last one cleared leaves no details at all', () => {
    const set = applied(
      decideCorrection(
        confirmed(),
        { details: { notes: 'VIP', lineGuests: [['Ada', 'Charles']] } },
        AT,
      ),
    ).next;
    expect(set.details).toEqual({ notes: 'VIP', lineGuests: [['Ada', 'Charles']] });
    expect(set.history.at(-1)?.changes).toEqual([
      { field: 'notes', to: 'VIP' },
      { field: 'lineGuests', to: '[["Ada","Charles"]]' },
    ]);
    const replaced = applied(
      decideCorrection(set, { details: { notes: 'VVIP', lineGuests: null } }, AT),
    ).next;
    expect(replaced.details).toEqual({ notes: 'VVIP' });
    const cleared = applied(decideCorrection(replaced, { details: { notes: null } }, AT)).next;
    expect(cleared.details).toBeUndefined();
    expect('details' in cleared).toBe(false);
  });

  test('nothing different is unchanged, even with a stale expectedVersion; a change on a stale one is conflict', () => {
    const current = confirmed({ version: 3 });
    const same = { guest: { name: current.guest.name }, details: { notes: null } };
    expect(decideCorrection(current, { ...same, expectedVersion: 1 }, AT)).toEqual({
      kind: 'unchanged',
      reservation: current,
    });
    expect(decideCorrection(current, { details: { notes: 'x' }, expectedVersion: 2 }, AT)).toEqual({
      kind: 'conflict',
      reservation: current,
    });
    expect(
      decideCorrection(current, { details: { notes: 'x' }, expectedVersion: 3 }, AT).kind,
    ).toBe('apply');
  });

  test('works in every status, a stay long gone included', () => {
    for (const status of ['held', 'checked-out', 'cancelled', 'no-show', 'expired'] as const) {
      const { next } = applied(
        decideCorrection(reservation({ status }), { guest: { name: 'Ada King' } }, AT),
      );
      expect(next.status).toBe(status);
      expect(next.guest.name).toBe('Ada King');
    }
  });
});

describe('line guests', () => {
  const lines = [line('std', '2026-05-01', '2026-05-03', 2)]; // 2 rooms × 2 adults

  test('lineGuestsIssue: at most one entry per line and one name per person a line sleeps', () => {
    expect(lineGuestsIssue(lines, [['a', 'b', 'c', 'd']])).toBeNull();
    expect(lineGuestsIssue(lines, [])).toBeNull();
    expect(lineGuestsIssue(lines, [['a', 'b', 'c', 'd', 'e']])).toEqual({
      path: ['details', 'lineGuests', 0],
      message: 'Line 0 sleeps 4, not 5',
    });
    expect(lineGuestsIssue(lines, [['a'], ['b']])?.path).toEqual(['details', 'lineGuests']);
  });

  test('detailsForLines keeps the names of a line kept in place, trims them, drops the rest', () => {
    const before = [
      line('std', '2026-05-01', '2026-05-03', 2),
      line('suite', '2026-05-01', '2026-05-03'),
    ];
    const details = { notes: 'n', lineGuests: [['a', 'b', 'c'], ['d']] };
    const oneRoom = [{ roomTypeId: 'std', rooms: 1, adults: 2, children: 0 }];
    expect(detailsForLines(details, before, oneRoom)).toEqual({
      notes: 'n',
      lineGuests: [['a', 'b']],
    });
    // Another room type at that position: its names are dropped, and an empty tail too.
    const swapped = [{ roomTypeId: 'suite', rooms: 1, adults: 2, children: 0 }];
    expect(detailsForLines(details, before, swapped)).toEqual({ notes: 'n' });
    expect(detailsForLines({ notes: 'n' }, before, oneRoom)).toEqual({ notes: 'n' });
  });

  test('decideModification fits the line guests to the new lines', () => {
    const current = confirmed({ details: { lineGuests: [['Ada', 'Charles']] } });
    const { next } = applied(
      decideModification(
        current,
        {
          checkIn: '2026-05-01',
          checkOut: '2026-05-02',
          lines: [{ ...line('std', '2026-05-01', '2026-05-02'), adults: 1 }],
        },
        AT,
      ),
    );
    expect(next.details).toEqual({ lineGuests: [['Ada']] });
  });
});

describe('corrections at their edges', () => {
  test('children count among the people a line sleeps; too many lines says how many', () => {
    const family = [{ rooms: 1, adults: 2, children: 1 }];
    expect(lineGuestsIssue(family, [['a', 'b', 'c']])).toBeNull();
    expect(lineGuestsIssue(family, [['a', 'b', 'c', 'd']])?.message).toBe('Line 0 sleeps 3, not 4');
    expect(lineGuestsIssue(family, [['a'], ['b']])?.message).toBe(
      'The reservation has 1 line(s), not 2',
    );
  });

  test('a phone cleared leaves no phone field; a detail left undefined is not set', () => {
    const current = confirmed({
      guest: { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0000' },
      details: { notes: 'late arrival' },
    });
    const { next } = applied(
      decideCorrection(
        current,
        { guest: { phone: null }, details: { externalRef: 'ota-1', specialRequests: undefined } },
        AT,
      ),
    );
    expect(next.guest).not.toHaveProperty('phone');
    expect(next.details).toEqual({ notes: 'late arrival', externalRef: 'ota-1' });
    expect(next.details).not.toHaveProperty('specialRequests');
  });
});
