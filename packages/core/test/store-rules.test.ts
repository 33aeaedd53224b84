import {
  type CalendarDay,
  emptyRateCard,
  InnkeeperError,
  isInnkeeperError,
  type Reservation,
} from '@innkeeper/core';
import {
  bookingReplay,
  type CalendarUpdate,
  changeCalendarDays,
  checkDecision,
  checkRateCardRevision,
  type Decision,
  decideConfirm,
  emptyCalendarDay,
  reservationIndexValues,
  runDecider,
  saveOutcome,
  storeClosedError,
} from '@innkeeper/core/store';
import { describe, expect, test } from 'vitest';
import { reservation } from './fixtures.js';

const AT = '2026-04-01T10:05:00.000Z';

/** The error `run` throws (failing the test if it returns). */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

/** A confirmation of `current` with `next` patched: what a buggy decider might return. */
function confirmWith(current: Reservation, patch: Partial<Reservation>): Decision {
  const decision = decideConfirm(current, AT);
  if (decision.kind !== 'apply') throw new Error('expected apply');
  return { ...decision, next: { ...decision.next, ...patch } };
}

describe('checkDecision (the revision rule every store enforces)', () => {
  const current = reservation({ status: 'held', holdExpiresAt: '2026-04-01T10:15:00.000Z' });

  test('passes the decisions of the core, and anything that writes nothing, unchanged', () => {
    const decision = decideConfirm(current, AT);
    expect(checkDecision(current, decision)).toBe(decision);
    for (const kind of ['unchanged', 'invalid-state', 'conflict'] as const) {
      const other: Decision = { kind, reservation: { ...current, id: 'anything', version: 9 } };
      expect(checkDecision(current, other)).toBe(other);
    }
  });

  test.each([
    ['version', { version: current.version }, current.version + 1, current.version],
    ['version', { version: current.version + 2 }, current.version + 1, current.version + 2],
    ['id', { id: 'res_2' }, current.id, 'res_2'],
    ['hotelId', { hotelId: 'h2' }, current.hotelId, 'h2'],
  ] as const)(
    'refuses an apply whose next.%s is wrong: VALIDATION naming it',
    (field, patch, expected, actual) => {
      const error = thrown(() => checkDecision(current, confirmWith(current, patch)));
      expect(isInnkeeperError(error, 'VALIDATION')).toBe(true);
      expect((error as InnkeeperError<'VALIDATION'>).details.issues).toEqual([
        {
          path: ['decision', 'next', field],
          message: `Expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
        },
      ]);
      expect((error as Error).message).toContain(`reservation ${current.id}`);
      expect((error as Error).message).toContain('Nothing was written');
    },
  );

  test('names every broken field at once', () => {
    const error = thrown(() =>
      checkDecision(current, confirmWith(current, { id: 'x', hotelId: 'y', version: 7 })),
    );
    expect(
      (error as InnkeeperError<'VALIDATION'>).details.issues.map((i) => i.path.at(-1)),
    ).toEqual(['id', 'hotelId', 'version']);
  });
});

describe('runDecider', () => {
  const current = reservation({ status: 'held', holdExpiresAt: '2026-04-01T10:15:00.000Z' });

  test('calls the decider exactly once, with the reservation, and returns its checked decision', () => {
    const seen: Reservation[] = [];
    const decision = runDecider(current, (r) => {
      seen.push(r);
      return decideConfirm(r, AT);
    });
    expect(seen).toEqual([current]);
    expect(seen[0]).toBe(current);
    expect(decision).toEqual(decideConfirm(current, AT));
  });

  test('judges the decision against the reservation as handed over: a decider that bumps its argument cannot skip a version', () => {
    const copy = structuredClone(current);
    const error = thrown(() =>
      runDecider(copy, (r) => {
        r.version += 1;
        return confirmWith(r, { version: r.version + 1 });
      }),
    );
    expect(isInnkeeperError(error, 'VALIDATION')).toBe(true);
  });

  test('passes on what the decider throws, unchanged', () => {
    const failure = new Error('decider bug');
    expect(
      thrown(() =>
        runDecider(current, () => {
          throw failure;
        }),
      ),
    ).toBe(failure);
  });
});

describe('saveOutcome', () => {
  test('create: created or exists; update: updated or missing', () => {
    expect([saveOutcome('create', true), saveOutcome('create', false)]).toEqual([
      'created',
      'exists',
    ]);
    expect([saveOutcome('update', true), saveOutcome('update', false)]).toEqual([
      'updated',
      'missing',
    ]);
  });
});

describe('bookingReplay', () => {
  test('the same request fingerprint is a replay, any other a reused key; both carry the stored reservation', () => {
    const existing = reservation({ requestFingerprint: 'fp-1' });
    expect(bookingReplay(existing, 'fp-1')).toEqual({ kind: 'replayed', reservation: existing });
    expect(bookingReplay(existing, 'fp-2')).toEqual({ kind: 'key-reused', reservation: existing });
  });
});

describe('checkRateCardRevision', () => {
  const card = (revision: number) => ({ ...emptyRateCard('h1'), revision, updatedAt: AT });

  test('a card at expected + 1 passes', () => {
    expect(() => checkRateCardRevision(card(1), 0)).not.toThrow();
    expect(() => checkRateCardRevision(card(5), 4)).not.toThrow();
  });

  test.each([
    [1, 1],
    [0, 0],
    [3, 1],
  ])('revision %i over expected %i is VALIDATION at revision', (revision, expected) => {
    const error = thrown(() => checkRateCardRevision(card(revision), expected));
    expect(isInnkeeperError(error, 'VALIDATION')).toBe(true);
    expect((error as InnkeeperError<'VALIDATION'>).details.issues).toEqual([
      {
        path: ['revision'],
        message: `A rate card replacing revision ${expected} must have revision ${expected + 1}, not ${revision}`,
      },
    ]);
  });
});

describe('changeCalendarDays', () => {
  const update = (patch: Partial<CalendarUpdate>): CalendarUpdate => ({
    hotelId: 'h1',
    roomTypeId: 'std',
    dates: ['2026-05-01', '2026-05-02', '2026-05-03'],
    overbookingPercent: 0,
    allowOverbooked: false,
    ...patch,
  });
  const row = (date: string, reserved: number, total = 5): CalendarDay => ({
    ...emptyCalendarDay('h1', 'std', date),
    total,
    reserved,
  });

  test('changes every date, taking a date without a row as an empty one', () => {
    const rows = new Map([['2026-05-02', row('2026-05-02', 3)]]);
    const outcome = changeCalendarDays(update({ total: { set: 4 } }), (date) => rows.get(date));
    expect(outcome).toEqual({
      kind: 'updated',
      days: [
        { ...emptyCalendarDay('h1', 'std', '2026-05-01'), total: 4 },
        { ...row('2026-05-02', 3), total: 4 },
        { ...emptyCalendarDay('h1', 'std', '2026-05-03'), total: 4 },
      ],
    });
  });

  test('any conflict rejects the whole update, naming every conflicting date', () => {
    const rows = new Map([
      ['2026-05-01', row('2026-05-01', 3)],
      ['2026-05-03', row('2026-05-03', 2)],
    ]);
    const outcome = changeCalendarDays(update({ total: { set: 1 } }), (date) => rows.get(date));
    expect(outcome.kind).toBe('rejected');
    if (outcome.kind !== 'rejected') return;
    expect(outcome.conflicts.map((c) => [c.date, c.reason])).toEqual([
      ['2026-05-01', 'over-capacity'],
      ['2026-05-03', 'over-capacity'],
    ]);
  });
});

describe('storeClosedError', () => {
  test('STORAGE naming the store and the call, the call in details.operation', () => {
    const error = storeClosedError('memory store', 'readStay');
    expect(error).toBeInstanceOf(InnkeeperError);
    expect([error.code, error.details, error.message]).toEqual([
      'STORAGE',
      { operation: 'readStay' },
      'The memory store is closed; readStay needs an open store.',
    ]);
  });
});

describe('reservationIndexValues', () => {
  test("the SQL stores' index columns, in the order their tables declare them", () => {
    const r = reservation({ status: 'confirmed', holdExpiresAt: null });
    expect(reservationIndexValues(r)).toEqual([
      'h1',
      'res_1',
      'confirmed',
      '2026-05-01',
      '2026-05-03',
      'ada@example.com',
      '2026-04-01T10:00:00.000Z',
      null,
      'key-1',
      'fp-1',
      1,
    ]);
  });
});
