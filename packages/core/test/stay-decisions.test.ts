import type { Reservation } from '@innkeeper/core';
import {
  type Decision,
  decideCancel,
  decideCheckIn,
  decideCheckOut,
  decideModification,
  decideNoShow,
  decideUndoCheckIn,
  decideUndoCheckOut,
  departureDate,
  type ShortenedStay,
} from '@innkeeper/core/store';
import { describe, expect, test } from 'vitest';
import { line, reservation } from './fixtures.js';

// The fixture's stay: 2026-05-01 → 2026-05-03, one std room at 10 000 a night, check-in
// at 13:00 UTC on the 1st. Arrival opens at midnight (UTC, for these rules' purposes).
const OPENS = '2026-05-01T00:00:00.000Z';
const ARRIVAL_DAY = { at: '2026-05-01T09:00:00.000Z', today: '2026-05-01', opensAt: OPENS };
const WINDOW = { minutes: 30 };

function applied(decision: Decision): Extract<Decision, { kind: 'apply' }> {
  if (decision.kind !== 'apply') throw new Error(`expected apply, got ${decision.kind}`);
  return decision;
}

const confirmed = (overrides: Partial<Reservation> = {}) =>
  reservation({ status: 'confirmed', ...overrides });
const inHouse = (overrides: Partial<Reservation> = {}) =>
  applied(decideCheckIn(confirmed(overrides), ARRIVAL_DAY)).next;

/** The stay cut to its first night, as the engine would price it. */
function firstNightOnly(current: Reservation): ShortenedStay {
  return {
    checkOut: '2026-05-02',
    lines: [line('std', '2026-05-01', '2026-05-02')],
    cancellation: current.cancellation,
    expectedVersion: current.version,
  };
}

describe('decideCheckIn', () => {
  test('confirmed → checked-in from the time arrival opens, recording when; no inventory moves', () => {
    const decision = applied(decideCheckIn(confirmed(), { ...ARRIVAL_DAY, at: OPENS }));
    expect(decision).toMatchObject({ action: 'checked-in', deltas: [] });
    expect(decision.next).toMatchObject({ status: 'checked-in', checkedInAt: OPENS, version: 2 });
    expect(decision.next.history.at(-1)).toEqual({
      at: OPENS,
      action: 'checked-in',
      status: 'checked-in',
    });
  });

  test.each([
    ['one millisecond before arrival opens', { at: '2026-04-30T23:59:59.999Z' }],
    ['on the departure date', { at: '2026-05-03T09:00:00.000Z', today: '2026-05-03' }],
    ['after the departure date', { at: '2026-05-04T09:00:00.000Z', today: '2026-05-04' }],
  ])('refused %s', (_, moment) => {
    const decision = decideCheckIn(confirmed(), { ...ARRIVAL_DAY, ...moment });
    expect(decision.kind).toBe('invalid-state');
  });

  test.each(['held', 'cancelled', 'expired', 'no-show', 'checked-out'] as const)(
    'refused from %s',
    (status) => {
      expect(decideCheckIn(reservation({ status }), ARRIVAL_DAY).kind).toBe('invalid-state');
    },
  );

  test('unchanged when already checked in', () => {
    expect(decideCheckIn(inHouse(), ARRIVAL_DAY).kind).toBe('unchanged');
  });
});

describe('decideCheckOut', () => {
  test('on the departure date: checked-out, the stay whole, nothing released or settled', () => {
    const at = '2026-05-03T08:00:00.000Z';
    const current = inHouse();
    const decision = applied(decideCheckOut(current, { at, today: '2026-05-03' }));
    expect(decision.deltas).toEqual([]);
    expect(decision.next).toMatchObject({
      status: 'checked-out',
      checkedOutAt: at,
      checkOut: '2026-05-03',
      lines: current.lines,
      total: 20_000,
      settlement: null,
    });
    expect(decision.next.earlyDeparture).toBeUndefined();
  });

  test('early: the later nights released, the booked stay kept for an undo, and the terms decide what they cost', () => {
    const at = '2026-05-01T20:00:00.000Z';
    const current = inHouse({
      // Paid 20 000; the terms keep 15 000 from check-in on (more than the night given back).
      payment: {
        status: 'charged',
        amount: 20_000,
        currency: 'EUR',
        idempotencyKey: 'pay-1',
        chargeId: 'ch-1',
        refunded: 0,
        refundDue: 0,
      } as Reservation['payment'],
      cancellation: {
        checkInAt: '2026-05-01T13:00:00.000Z',
        freeUntil: '2026-04-30T13:00:00.000Z',
        windows: [{ from: '2026-04-30T13:00:00.000Z', penalty: 15_000 }],
        noShowFee: 10_000,
      },
    });
    const decision = applied(
      decideCheckOut(current, { at, today: '2026-05-01' }, firstNightOnly(current)),
    );
    expect(decision.deltas).toEqual([{ roomTypeId: 'std', date: '2026-05-02', rooms: -1 }]);
    expect(decision.next).toMatchObject({
      status: 'checked-out',
      checkOut: '2026-05-02',
      total: 10_000,
      roomCharge: 10_000,
      // 10 000 given back; the terms would keep 15 000, capped at the 10 000 given back.
      settlement: { kind: 'early-departure', at, penalty: 10_000, refund: 0 },
      earlyDeparture: {
        releasedFrom: '2026-05-02',
        checkOut: '2026-05-03',
        lines: current.lines,
        total: 20_000,
      },
    });
    expect(decision.next.payment?.refundDue).toBe(0);
  });

  test('early, inside a penalty window, after a shortening kept something: the refund is what neither keeps', () => {
    const at = '2026-05-01T20:00:00.000Z';
    const current = inHouse({
      payment: {
        status: 'charged',
        amount: 20_000,
        currency: 'EUR',
        idempotencyKey: 'pay-1',
        chargeId: 'ch-1',
        declineReason: null,
        refunded: 0,
        refundDue: 0,
      },
      modificationPenalties: 1_000,
      cancellation: {
        checkInAt: '2026-05-01T13:00:00.000Z',
        freeUntil: '2026-04-30T13:00:00.000Z',
        windows: [{ from: '2026-04-30T13:00:00.000Z', penalty: 4_000 }],
        noShowFee: 0,
      },
    });
    const decision = applied(
      decideCheckOut(current, { at, today: '2026-05-01' }, firstNightOnly(current)),
    );
    // Paid 20 000; one night (10 000) stayed, the terms keep 4 000 of the night given back,
    // the shortening kept 1 000 before: 5 000 goes back.
    expect(decision.next).toMatchObject({
      total: 10_000,
      taxTotal: 0,
      settlement: { kind: 'early-departure', penalty: 4_000, refund: 5_000 },
    });
    expect(decision.next.payment?.refundDue).toBe(5_000);
    expect(decision.next.history.at(-1)).toMatchObject({
      action: 'checked-out',
      status: 'checked-out',
      reason: 'early departure: nights from 2026-05-02 released',
    });
  });

  test('a one-night stay left on its arrival day is kept whole: the first night is always theirs', () => {
    const current = inHouse({
      checkOut: '2026-05-02',
      lines: [line('std', '2026-05-01', '2026-05-02')],
    });
    const decision = applied(decideCheckOut(current, { at: ARRIVAL_DAY.at, today: '2026-05-01' }));
    expect(decision.deltas).toEqual([]);
    expect(decision.next).toMatchObject({ status: 'checked-out', checkOut: '2026-05-02' });
    expect(departureDate(current, '2026-05-01')).toBe('2026-05-02');
    expect(departureDate(current, '2026-05-03')).toBe('2026-05-03');
  });

  test('early, with a re-priced stay that does not end today: refused', () => {
    const current = inHouse({
      checkOut: '2026-05-04',
      lines: [line('std', '2026-05-01', '2026-05-04')],
    });
    const moment = { at: '2026-05-02T08:00:00.000Z', today: '2026-05-02' };
    // Leaving on the 2nd; a stay priced to end on the 3rd (a day late) is not applied.
    const wrong = { ...firstNightOnly(current), checkOut: '2026-05-03' };
    expect(decideCheckOut(current, moment, wrong).kind).toBe('invalid-state');
    expect(decideCheckOut(current, moment, firstNightOnly(current)).kind).toBe('apply');
  });

  test('early under free terms: everything paid for the nights given back is owed back', () => {
    const current = inHouse({
      payment: {
        status: 'charged',
        amount: 20_000,
        currency: 'EUR',
        idempotencyKey: 'pay-1',
        chargeId: 'ch-1',
        refunded: 0,
        refundDue: 0,
      } as Reservation['payment'],
    });
    const at = '2026-05-01T20:00:00.000Z';
    const next = applied(
      decideCheckOut(current, { at, today: '2026-05-01' }, firstNightOnly(current)),
    ).next;
    expect(next.settlement).toEqual({ kind: 'early-departure', at, penalty: 0, refund: 10_000 });
    expect(next.payment).toMatchObject({ refunded: 0, refundDue: 10_000 });
  });

  test('early without a re-priced stay, with one that does not shorten, or priced from another version', () => {
    const current = inHouse();
    const moment = { at: '2026-05-01T20:00:00.000Z', today: '2026-05-01' };
    expect(decideCheckOut(current, moment).kind).toBe('invalid-state');
    const whole = { ...firstNightOnly(current), checkOut: '2026-05-03' };
    expect(decideCheckOut(current, moment, whole).kind).toBe('invalid-state');
    const stale = { ...firstNightOnly(current), expectedVersion: current.version - 1 };
    expect(decideCheckOut(current, moment, stale).kind).toBe('conflict');
  });

  test.each(['held', 'confirmed', 'cancelled', 'no-show'] as const)('refused from %s', (status) => {
    expect(
      decideCheckOut(reservation({ status }), { at: ARRIVAL_DAY.at, today: '2026-05-03' }).kind,
    ).toBe('invalid-state');
  });
});

describe('undo', () => {
  const checkedInAt = ARRIVAL_DAY.at;
  const inWindow = '2026-05-01T09:30:00.000Z';
  const late = '2026-05-01T09:30:00.001Z';

  test('a check-in within the window goes back to confirmed, with who and why; not after it', () => {
    const current = inHouse();
    const next = applied(
      decideUndoCheckIn(current, inWindow, WINDOW, { reason: 'wrong guest', by: 'desk' }),
    ).next;
    expect(next.status).toBe('confirmed');
    expect(next.checkedInAt).toBeUndefined();
    expect(next.history.at(-1)).toEqual({
      at: inWindow,
      action: 'check-in-undone',
      status: 'confirmed',
      reason: 'wrong guest',
      by: 'desk',
    });
    expect(current.checkedInAt).toBe(checkedInAt);
    expect(decideUndoCheckIn(current, late, WINDOW).kind).toBe('invalid-state');
    expect(decideUndoCheckIn(confirmed(), inWindow, WINDOW).kind).toBe('invalid-state');
  });

  test('an early departure undone takes the released nights again when it gave nothing back', () => {
    const current = inHouse();
    const out = applied(
      decideCheckOut(current, { at: checkedInAt, today: '2026-05-01' }, firstNightOnly(current)),
    ).next;
    const back = applied(decideUndoCheckOut(out, inWindow, WINDOW, { reason: 'came back' }));
    expect(back.deltas).toEqual([{ roomTypeId: 'std', date: '2026-05-02', rooms: 1 }]);
    expect(back.next).toMatchObject({
      status: 'checked-in',
      checkOut: '2026-05-03',
      lines: current.lines,
      total: 20_000,
      settlement: null,
    });
    expect(back.next.earlyDeparture).toBeUndefined();
    expect(back.next.checkedOutAt).toBeUndefined();
    expect(decideUndoCheckOut(out, late, WINDOW).kind).toBe('invalid-state');
  });

  test('a departure on its date undone: checked in again, recorded as check-out-undone, no nights moved', () => {
    const current = inHouse();
    const out = applied(decideCheckOut(current, { at: checkedInAt, today: '2026-05-03' })).next;
    const back = applied(decideUndoCheckOut(out, inWindow, WINDOW));
    expect(back.action).toBe('check-out-undone');
    expect(back.deltas).toEqual([]);
    expect(back.next.status).toBe('checked-in');
    expect(back.next.history.at(-1)).toMatchObject({ action: 'check-out-undone' });
    // An early departure that settled nothing is undone the same way, and says so.
    const early = applied(
      decideCheckOut(current, { at: checkedInAt, today: '2026-05-01' }, firstNightOnly(current)),
    ).next;
    const unsettled = { ...early, settlement: null };
    const undone = applied(decideUndoCheckOut(unsettled, inWindow, WINDOW));
    expect(undone.action).toBe('check-out-undone');
    expect(undone.next.history.at(-1)?.action).toBe('check-out-undone');
  });

  test('a move with no time recorded cannot be undone', () => {
    const { checkedInAt: _in, ...noTime } = inHouse();
    expect(decideUndoCheckIn(noTime, inWindow, WINDOW).kind).toBe('invalid-state');
    const out = applied(decideCheckOut(inHouse(), { at: checkedInAt, today: '2026-05-03' })).next;
    const { checkedOutAt: _out, ...noOutTime } = out;
    expect(decideUndoCheckOut(noOutTime, inWindow, WINDOW).kind).toBe('invalid-state');
  });

  test('an early departure that owes a refund is never undone: the gateway may be paying it already', () => {
    const current = inHouse({
      payment: {
        status: 'charged',
        amount: 20_000,
        currency: 'EUR',
        idempotencyKey: 'pay-1',
        chargeId: 'ch-1',
        declineReason: null,
        refunded: 0,
        refundDue: 0,
      },
    });
    const out = applied(
      decideCheckOut(current, { at: checkedInAt, today: '2026-05-01' }, firstNightOnly(current)),
    ).next;
    expect(out.payment?.refundDue).toBe(10_000);
    expect(decideUndoCheckOut(out, inWindow, WINDOW).kind).toBe('invalid-state');
    // Paid out or not, the departure stands.
    const refunded = {
      ...out,
      payment: out.payment && { ...out.payment, refundDue: 0, refunded: 10_000 },
    };
    expect(decideUndoCheckOut(refunded, inWindow, WINDOW).kind).toBe('invalid-state');
  });
});

describe('what arrival changes for cancel, no-show and modify', () => {
  const afterArrival = '2026-05-01T13:00:00.000Z';

  test('cancel: a confirmed stay from its arrival on only with force (who and why recorded); a guest in house never', () => {
    expect(decideCancel(confirmed(), '2026-05-01T12:59:59.999Z').kind).toBe('apply');
    expect(decideCancel(confirmed(), afterArrival).kind).toBe('invalid-state');
    const forced = applied(
      decideCancel(confirmed(), afterArrival, 'ignored', { by: 'manager', reason: 'duplicate' }),
    );
    expect(forced.next.history.at(-1)).toEqual({
      at: afterArrival,
      action: 'cancelled',
      status: 'cancelled',
      reason: 'forced after arrival: duplicate',
      by: 'manager',
    });
    const force = { by: 'manager', reason: 'duplicate' };
    expect(decideCancel(inHouse(), afterArrival, undefined, force).kind).toBe('invalid-state');
    // A hold is not a stay that began: cancelling it stays free and needs no force.
    expect(decideCancel(reservation({ status: 'held' }), afterArrival).kind).toBe('apply');
  });

  test('no-show: never for a guest checked in or out', () => {
    expect(decideNoShow(inHouse(), afterArrival).kind).toBe('invalid-state');
    expect(decideNoShow(reservation({ status: 'checked-out' }), afterArrival).kind).toBe(
      'invalid-state',
    );
  });

  test('modify: a guest in house keeps the arrival date; a checked-out stay is not modified', () => {
    const current = inHouse();
    const longer = [line('std', '2026-05-01', '2026-05-04')];
    const change = { checkIn: '2026-05-01', checkOut: '2026-05-04', lines: longer };
    expect(applied(decideModification(current, change, afterArrival)).deltas).toEqual([
      { roomTypeId: 'std', date: '2026-05-03', rooms: 1 },
    ]);
    const moved = { checkIn: '2026-05-02', checkOut: '2026-05-04', lines: longer };
    expect(decideModification(current, moved, afterArrival).kind).toBe('invalid-state');
    const out = reservation({ status: 'checked-out' });
    expect(decideModification(out, change, afterArrival).kind).toBe('invalid-state');
  });
});
