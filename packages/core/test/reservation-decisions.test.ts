import {
  cloneReservation,
  type PaymentRecord,
  type Reservation,
  type ReservationLine,
  type ReservationStatus,
  reservationSchema,
} from '@innkeeper/core';
import {
  checkDecision,
  type Decision,
  decideBeginCharge,
  decideCancel,
  decideConfirm,
  decideExpire,
  decideModification,
  decideNoShow,
  decideRefundRecorded,
  decideRelease,
  dueRefunds,
  type ModificationChange,
  oweRefund,
  releaseOf,
} from '@innkeeper/core/store';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { line, reservation } from './fixtures.js';

const HOLD_EXPIRES = '2026-04-01T10:15:00.000Z';
const BEFORE_EXPIRY = '2026-04-01T10:14:59.999Z';
const AFTER_EXPIRY = '2026-04-01T10:15:00.001Z';
const AT = '2026-04-01T10:05:00.000Z';

const STATUSES: ReservationStatus[] = ['held', 'confirmed', 'cancelled', 'expired'];

function applied(decision: Decision): Extract<Decision, { kind: 'apply' }> {
  if (decision.kind !== 'apply') throw new Error(`expected apply, got ${decision.kind}`);
  return decision;
}

/** The decide* functions must never change the reservation they were given. */
function frozen(r: Reservation): Reservation {
  return Object.freeze({
    ...r,
    lines: Object.freeze(
      r.lines.map((l) => Object.freeze({ ...l, nights: Object.freeze([...l.nights]) })),
    ),
    history: Object.freeze(r.history.map((h) => Object.freeze({ ...h }))),
  }) as Reservation;
}

describe('decideConfirm', () => {
  test('held before expiry → confirmed, hold cleared, version + 1, history appended', () => {
    const current = frozen(reservation({ status: 'held', holdExpiresAt: HOLD_EXPIRES }));
    const decision = applied(decideConfirm(current, BEFORE_EXPIRY));
    expect(decision.action).toBe('confirmed');
    expect(decision.deltas).toEqual([]);
    expect(decision.next).toMatchObject({
      status: 'confirmed',
      holdExpiresAt: null,
      version: 2,
      updatedAt: BEFORE_EXPIRY,
      createdAt: current.createdAt,
    });
    expect(decision.next.history).toEqual([
      ...current.history,
      { at: BEFORE_EXPIRY, action: 'confirmed', status: 'confirmed' },
    ]);
    expect(reservationSchema.safeParse(decision.next).success).toBe(true);
  });

  test('held with no expiry can be confirmed', () => {
    const current = reservation({ status: 'held', holdExpiresAt: null });
    expect(applied(decideConfirm(current, AT)).next.status).toBe('confirmed');
  });

  test('holdExpiresAt === at counts as expired', () => {
    const current = reservation({ status: 'held', holdExpiresAt: HOLD_EXPIRES });
    expect(decideConfirm(current, HOLD_EXPIRES)).toEqual({
      kind: 'invalid-state',
      reservation: current,
    });
    expect(decideConfirm(current, AFTER_EXPIRY).kind).toBe('invalid-state');
  });

  test.each([
    ['confirmed', 'unchanged'],
    ['cancelled', 'invalid-state'],
    ['expired', 'invalid-state'],
  ] as const)('from %s → %s, returning the reservation as is', (status, kind) => {
    const current = reservation({ status });
    const decision = decideConfirm(current, AT);
    expect(decision).toEqual({ kind, reservation: current });
    if (decision.kind !== 'apply') expect(decision.reservation).toBe(current);
  });

  test('a charge already recorded (a racing retry of the booking) is unchanged, even once the stay has moved on', () => {
    const paid = {
      status: 'charged' as const,
      idempotencyKey: 'innkeeper:h1:key-1',
      amount: 20_000,
      currency: 'EUR',
      chargeId: 'ch_1',
      declineReason: null,
      refunded: 0,
      refundDue: 0,
    };
    const cancelled = reservation({ status: 'cancelled', payment: paid });
    expect(decideConfirm(cancelled, AT, paid)).toEqual({
      kind: 'unchanged',
      reservation: cancelled,
    });
    // Another charge, or none, does not settle it.
    expect(decideConfirm(cancelled, AT, { ...paid, chargeId: 'ch_2' }).kind).toBe('invalid-state');
    expect(decideConfirm(cancelled, AT).kind).toBe('invalid-state');
  });

  test('confirming twice: the second is unchanged', () => {
    const first = applied(decideConfirm(reservation({ status: 'held' }), AT)).next;
    expect(decideConfirm(first, BEFORE_EXPIRY)).toEqual({ kind: 'unchanged', reservation: first });
  });
});

describe('decideCancel', () => {
  test.each(['held', 'confirmed'] as const)(
    '%s → cancelled, releasing every night once',
    (status) => {
      const lines = [
        line('std', '2026-05-01', '2026-05-03', 2),
        line('dbl', '2026-05-01', '2026-05-02'),
      ];
      const current = frozen(reservation({ status, lines, version: 3 }));
      const decision = applied(decideCancel(current, AT, 'guest asked'));
      expect(decision.action).toBe('cancelled');
      expect(decision.deltas).toEqual(releaseOf(lines));
      expect(decision.deltas).toEqual([
        { roomTypeId: 'dbl', date: '2026-05-01', rooms: -1 },
        { roomTypeId: 'std', date: '2026-05-01', rooms: -2 },
        { roomTypeId: 'std', date: '2026-05-02', rooms: -2 },
      ]);
      expect(decision.next).toMatchObject({
        status: 'cancelled',
        holdExpiresAt: null,
        version: 4,
        updatedAt: AT,
        lines,
      });
      expect(decision.next.history.at(-1)).toEqual({
        at: AT,
        action: 'cancelled',
        status: 'cancelled',
        reason: 'guest asked',
      });
      expect(decision.next.history).toHaveLength(current.history.length + 1);
    },
  );

  test('no reason → the history entry has no reason key', () => {
    const decision = applied(decideCancel(reservation({ status: 'confirmed' }), AT));
    const entry = decision.next.history.at(-1);
    expect(entry).toEqual({ at: AT, action: 'cancelled', status: 'cancelled' });
    expect(entry && 'reason' in entry).toBe(false);
  });

  test('a held reservation past its expiry can still be cancelled', () => {
    const current = reservation({ status: 'held', holdExpiresAt: HOLD_EXPIRES });
    expect(decideCancel(current, AFTER_EXPIRY).kind).toBe('apply');
  });

  test('cancel twice → the second returns the reservation unchanged and releases nothing', () => {
    const first = applied(decideCancel(reservation({ status: 'confirmed' }), AT, 'first')).next;
    const second = decideCancel(first, BEFORE_EXPIRY, 'second');
    expect(second).toEqual({ kind: 'unchanged', reservation: first });
    expect('deltas' in second).toBe(false);
  });

  test('expired → invalid-state', () => {
    const current = reservation({ status: 'expired' });
    expect(decideCancel(current, AT)).toEqual({ kind: 'invalid-state', reservation: current });
  });

  test('the refund never exceeds what was paid and not already given back or owed', () => {
    // 20 000 charged, 5 000 refunded and 3 000 owed back before (a late charge's refund,
    // say): a free cancellation gives back the 12 000 left, never the whole 20 000.
    const payment: PaymentRecord = {
      status: 'charged',
      idempotencyKey: 'innkeeper:h1:key-1',
      amount: 20_000,
      currency: 'EUR',
      chargeId: 'ch_1',
      declineReason: null,
      refunded: 5_000,
      refundDue: 3_000,
    };
    const current = frozen(reservation({ status: 'confirmed', payment }));
    const { next } = applied(decideCancel(current, AT));
    expect(next.settlement).toEqual({ kind: 'cancellation', at: AT, penalty: 0, refund: 12_000 });
    // The 3 000 still owed keeps its own refund (and key); the 12 000 is a refund of its own.
    expect(next.payment).toEqual({
      ...payment,
      refundDue: 15_000,
      refundsDue: [
        { key: 'innkeeper:h1:key-1:refund:5000', amount: 3_000 },
        { key: 'innkeeper:h1:key-1:refund:8000', amount: 12_000 },
      ],
    });
  });

  test('a hold cancelled inside a penalty window costs nothing: penalty 0, refund 0, payment kept', () => {
    // From 10:00 on, cancelling costs 5 000: a sold reservation pays it, a hold never does.
    const cancellation = {
      checkInAt: '2026-05-01T13:00:00.000Z',
      freeUntil: '2026-04-01T10:00:00.000Z',
      windows: [{ from: '2026-04-01T10:00:00.000Z', penalty: 5_000 }],
      noShowFee: 5_000,
    };
    const held = frozen(reservation({ status: 'held', cancellation }));
    const decision = applied(decideCancel(held, AT));
    expect(decision.next.settlement).toEqual({
      kind: 'cancellation',
      at: AT,
      penalty: 0,
      refund: 0,
    });
    expect(decision.next.payment).toBe(held.payment);
    expect(decision.next.cancellation).toEqual(cancellation);
    const sold = reservation({ status: 'confirmed', cancellation });
    expect(applied(decideCancel(sold, AT)).next.settlement).toEqual({
      kind: 'cancellation',
      at: AT,
      penalty: 5_000,
      refund: 0,
    });
  });
});

describe('decideExpire', () => {
  test('held past expiry → expired, releasing its nights, with reason', () => {
    const lines = [line('std', '2026-05-01', '2026-05-03', 2)];
    const current = frozen(reservation({ status: 'held', holdExpiresAt: HOLD_EXPIRES, lines }));
    const decision = applied(decideExpire(current, AFTER_EXPIRY));
    expect(decision.action).toBe('expired');
    expect(decision.deltas).toEqual(releaseOf(lines));
    expect(decision.next).toMatchObject({ status: 'expired', version: 2, updatedAt: AFTER_EXPIRY });
    expect(decision.next.history.at(-1)).toEqual({
      at: AFTER_EXPIRY,
      action: 'expired',
      status: 'expired',
      reason: 'hold expired',
    });
  });

  test('holdExpiresAt === now counts as expired; one ms before does not', () => {
    const current = reservation({ status: 'held', holdExpiresAt: HOLD_EXPIRES });
    expect(decideExpire(current, HOLD_EXPIRES).kind).toBe('apply');
    expect(decideExpire(current, BEFORE_EXPIRY)).toEqual({
      kind: 'unchanged',
      reservation: current,
    });
  });

  test('confirm and expire agree on the boundary: exactly one of them applies', () => {
    for (const at of [BEFORE_EXPIRY, HOLD_EXPIRES, AFTER_EXPIRY]) {
      const current = reservation({ status: 'held', holdExpiresAt: HOLD_EXPIRES });
      const kinds = [decideConfirm(current, at).kind, decideExpire(current, at).kind];
      expect(kinds.filter((k) => k === 'apply')).toHaveLength(1);
    }
  });

  test('a hold with no expiry never expires', () => {
    const current = reservation({ status: 'held', holdExpiresAt: null });
    expect(decideExpire(current, '2099-01-01T00:00:00.000Z').kind).toBe('unchanged');
  });

  test.each(['confirmed', 'cancelled', 'expired'] as const)('%s is left alone', (status) => {
    const current = reservation({ status, holdExpiresAt: HOLD_EXPIRES });
    expect(decideExpire(current, AFTER_EXPIRY)).toEqual({
      kind: 'unchanged',
      reservation: current,
    });
  });

  test('expiring twice → unchanged the second time', () => {
    const current = reservation({ status: 'held', holdExpiresAt: HOLD_EXPIRES });
    const first = applied(decideExpire(current, AFTER_EXPIRY)).next;
    expect(decideExpire(first, AFTER_EXPIRY)).toEqual({ kind: 'unchanged', reservation: first });
    expect(decideCancel(first, AFTER_EXPIRY).kind).toBe('invalid-state');
    expect(decideConfirm(first, AFTER_EXPIRY).kind).toBe('invalid-state');
  });
});

describe('decideModification', () => {
  const original = () =>
    reservation({
      status: 'confirmed',
      checkIn: '2026-05-01',
      checkOut: '2026-05-04',
      lines: [line('std', '2026-05-01', '2026-05-04', 1)],
      version: 2,
    });

  const shifted = (overrides: Partial<ModificationChange> = {}): ModificationChange => ({
    checkIn: '2026-05-02',
    checkOut: '2026-05-05',
    lines: [line('std', '2026-05-02', '2026-05-05', 1, 12_000)],
    ...overrides,
  });

  test('a hold whose TTL has run out cannot be modified, even before the sweep', () => {
    const current = frozen({ ...original(), status: 'held', holdExpiresAt: AT });
    expect(decideModification(current, shifted(), AT).kind).toBe('invalid-state');
    const later = frozen({
      ...original(),
      status: 'held',
      holdExpiresAt: '2099-01-01T00:00:00.000Z',
    });
    expect(decideModification(later, shifted(), AT).kind).toBe('apply');
  });

  test.each(['held', 'confirmed'] as const)(
    '%s: applies the net change and the new stay',
    (status) => {
      const current = frozen({ ...original(), status });
      const change = shifted({ reason: 'moved a day later' });
      const decision = applied(decideModification(current, change, AT));
      expect(decision.action).toBe('modified');
      expect(decision.deltas).toEqual([
        { roomTypeId: 'std', date: '2026-05-01', rooms: -1 },
        { roomTypeId: 'std', date: '2026-05-04', rooms: 1 },
      ]);
      expect(decision.next).toMatchObject({
        status,
        checkIn: '2026-05-02',
        checkOut: '2026-05-05',
        lines: change.lines,
        total: 36_000,
        version: 3,
        updatedAt: AT,
        holdExpiresAt: current.holdExpiresAt,
      });
      expect(decision.next.history).toEqual([
        ...current.history,
        { at: AT, action: 'modified', status, reason: 'moved a day later' },
      ]);
      expect(reservationSchema.safeParse(decision.next).success).toBe(true);
    },
  );

  test('the total is the sum of the new line totals', () => {
    const change = shifted({
      lines: [
        line('std', '2026-05-02', '2026-05-05', 2, 10_000),
        line('dbl', '2026-05-02', '2026-05-05', 1, 5_000),
      ],
    });
    expect(applied(decideModification(original(), change, AT)).next.total).toBe(60_000 + 15_000);
  });

  test('the matching expectedVersion applies', () => {
    const decision = decideModification(original(), shifted({ expectedVersion: 2 }), AT);
    expect(decision.kind).toBe('apply');
  });

  test('a stale expectedVersion is a conflict', () => {
    const current = original();
    expect(decideModification(current, shifted({ expectedVersion: 1 }), AT)).toEqual({
      kind: 'conflict',
      reservation: current,
    });
    expect(decideModification(current, shifted({ expectedVersion: 3 }), AT).kind).toBe('conflict');
  });

  test('same stay → unchanged (prices are not part of the stay)', () => {
    const current = original();
    const same: ModificationChange = {
      checkIn: current.checkIn,
      checkOut: current.checkOut,
      lines: [line('std', '2026-05-01', '2026-05-04', 1, 99_999)],
    };
    expect(decideModification(current, same, AT)).toEqual({
      kind: 'unchanged',
      reservation: current,
    });
    expect(decideModification(current, { ...same, expectedVersion: 2 }, AT).kind).toBe('unchanged');
  });

  test('a retried modification (stale version, already-applied stay) is unchanged, not a conflict', () => {
    const change = shifted({ expectedVersion: 2 });
    const first = applied(decideModification(original(), change, AT)).next;
    expect(decideModification(first, change, BEFORE_EXPIRY)).toEqual({
      kind: 'unchanged',
      reservation: first,
    });
  });

  test('any difference in lines is a different stay', () => {
    const current = original();
    const base = current.lines[0];
    if (!base) throw new Error('fixture has a line');
    const variants: ModificationChange[] = [
      { checkIn: '2026-05-01', checkOut: '2026-05-04', lines: [{ ...base, rooms: 2 }] },
      { checkIn: '2026-05-01', checkOut: '2026-05-04', lines: [{ ...base, adults: 1 }] },
      { checkIn: '2026-05-01', checkOut: '2026-05-04', lines: [{ ...base, children: 1 }] },
      {
        checkIn: '2026-05-01',
        checkOut: '2026-05-04',
        lines: [line('dbl', '2026-05-01', '2026-05-04')],
      },
      {
        checkIn: '2026-05-01',
        checkOut: '2026-05-04',
        lines: [base, line('dbl', '2026-05-01', '2026-05-04')],
      },
      {
        checkIn: '2026-05-01',
        checkOut: '2026-05-03',
        lines: [line('std', '2026-05-01', '2026-05-03')],
      },
    ];
    for (const change of variants)
      expect(decideModification(current, change, AT).kind).toBe('apply');
  });

  test('more adults on the same nights changes no inventory', () => {
    const current = original();
    const base = current.lines[0];
    if (!base) throw new Error('fixture has a line');
    const change = {
      checkIn: current.checkIn,
      checkOut: current.checkOut,
      lines: [{ ...base, adults: 3 }],
    };
    const decision = applied(decideModification(current, change, AT));
    expect(decision.deltas).toEqual([]);
    expect(decision.next.version).toBe(3);
  });

  test('a hold whose charge is in flight cannot be modified: the gateway would charge the old total', () => {
    const pending: PaymentRecord = {
      status: 'pending',
      idempotencyKey: 'innkeeper:h1:key-1',
      amount: 30_000,
      currency: 'EUR',
      chargeId: null,
      declineReason: null,
      refunded: 0,
      refundDue: 0,
    };
    const current = frozen({
      ...original(),
      status: 'held',
      holdExpiresAt: HOLD_EXPIRES,
      payment: pending,
    });
    expect(decideModification(current, shifted(), AT)).toEqual({
      kind: 'invalid-state',
      reservation: current,
    });
    // The same hold once the charge is settled (declined here) is modifiable again.
    const settled = { ...current, payment: { ...pending, status: 'declined' as const } };
    expect(decideModification(settled, shifted(), AT).kind).toBe('apply');
  });

  test('a change of the check-in date alone is a different stay', () => {
    // Same check-out, same room type, rooms and guests: only the arrival moves.
    const change: ModificationChange = {
      checkIn: '2026-05-02',
      checkOut: '2026-05-04',
      lines: [line('std', '2026-05-02', '2026-05-04', 1)],
    };
    const decision = applied(decideModification(original(), change, AT));
    expect(decision.next.checkIn).toBe('2026-05-02');
    expect(decision.deltas).toEqual([{ roomTypeId: 'std', date: '2026-05-01', rooms: -1 }]);
  });

  test('a change to one line of several is a different stay', () => {
    const lines = [
      line('dbl', '2026-05-01', '2026-05-04', 1),
      line('std', '2026-05-01', '2026-05-04', 1),
    ];
    const current = reservation({
      status: 'confirmed',
      checkIn: '2026-05-01',
      checkOut: '2026-05-04',
      lines,
    });
    const [first, second] = lines as [ReservationLine, ReservationLine];
    const variants: ReservationLine[][] = [
      [first, { ...second, rooms: 2 }],
      [first, { ...second, adults: 1 }],
      [{ ...first, children: 1 }, second],
    ];
    for (const changed of variants) {
      const change = { checkIn: '2026-05-01', checkOut: '2026-05-04', lines: changed };
      expect(applied(decideModification(current, change, AT)).next.lines).toEqual(changed);
    }
    const same = { checkIn: '2026-05-01', checkOut: '2026-05-04', lines: [first, second] };
    expect(decideModification(current, same, AT).kind).toBe('unchanged');
  });

  test('a change of rate plan alone is a different stay', () => {
    const current = original();
    const base = current.lines[0] as ReservationLine;
    const change: ModificationChange = {
      checkIn: current.checkIn,
      checkOut: current.checkOut,
      lines: [{ ...base, ratePlanId: 'breakfast' }],
    };
    const decision = applied(decideModification(current, change, AT));
    expect(decision.next.lines[0]?.ratePlanId).toBe('breakfast');
    expect(decision.deltas).toEqual([]);
    // With a stale expectedVersion, the changed plan is a conflict, not an "already done".
    expect(decideModification(current, { ...change, expectedVersion: 1 }, AT).kind).toBe(
      'conflict',
    );
  });

  test.each(['cancelled', 'expired'] as const)('%s → invalid-state', (status) => {
    const current = { ...original(), status };
    expect(decideModification(current, shifted(), AT)).toEqual({
      kind: 'invalid-state',
      reservation: current,
    });
  });

  test('no reason → the history entry has no reason key', () => {
    const entry = applied(decideModification(original(), shifted(), AT)).next.history.at(-1);
    expect(entry).toEqual({ at: AT, action: 'modified', status: 'confirmed' });
  });
});

describe('decision properties', () => {
  const at = fc
    .integer({
      min: Date.parse('2026-04-01T10:00:00.000Z'),
      max: Date.parse('2026-04-01T10:30:00.000Z'),
    })
    .map((ms) => new Date(ms).toISOString());
  const current = fc
    .record({
      status: fc.constantFrom(...STATUSES),
      holdExpiresAt: fc.option(at, { nil: null }),
      version: fc.integer({ min: 1, max: 50 }),
      historyLength: fc.integer({ min: 1, max: 4 }),
    })
    .map(({ status, holdExpiresAt, version, historyLength }) =>
      reservation({
        status,
        holdExpiresAt,
        version,
        history: Array.from({ length: historyLength }, () => ({
          at: '2026-04-01T10:00:00.000Z',
          action: 'created' as const,
          status,
        })),
      }),
    );

  test('apply: version + 1, updatedAt = at, one history entry with the new status; input untouched', () => {
    fc.assert(
      fc.property(current, at, fc.option(fc.string(), { nil: undefined }), (r, when, reason) => {
        const before = cloneReservation(r);
        const decisions: Decision[] = [
          decideConfirm(r, when),
          decideCancel(r, when, reason),
          decideExpire(r, when),
          decideModification(
            r,
            {
              checkIn: '2026-05-02',
              checkOut: '2026-05-03',
              lines: [line('std', '2026-05-02', '2026-05-03')],
            },
            when,
          ),
        ];
        for (const decision of decisions) {
          if (decision.kind !== 'apply') {
            expect(decision.reservation).toBe(r);
            continue;
          }
          const { next } = decision;
          expect(next.version).toBe(r.version + 1);
          expect(next.updatedAt).toBe(when);
          expect(next.history.slice(0, -1)).toEqual(r.history);
          expect(next.history.at(-1)).toMatchObject({
            at: when,
            action: decision.action,
            status: next.status,
          });
          expect(next.id).toBe(r.id);
          expect(next.idempotencyKey).toBe(r.idempotencyKey);
        }
        expect(r).toEqual(before);
      }),
    );
  });

  test('inventory only moves on active → inactive transitions and modifications', () => {
    fc.assert(
      fc.property(current, at, (r, when) => {
        const active = r.status === 'held' || r.status === 'confirmed';
        const cancel = decideCancel(r, when);
        const expire = decideExpire(r, when);
        const confirm = decideConfirm(r, when);
        expect(cancel.kind === 'apply').toBe(active);
        if (cancel.kind === 'apply') expect(cancel.deltas).toEqual(releaseOf(r.lines));
        if (expire.kind === 'apply') {
          expect(r.status).toBe('held');
          expect(expire.deltas).toEqual(releaseOf(r.lines));
        }
        if (confirm.kind === 'apply') expect(confirm.deltas).toEqual([]);
        // A held reservation is confirmable or expirable at `when`, never both.
        if (r.status === 'held' && r.holdExpiresAt !== null) {
          expect((confirm.kind === 'apply') !== (expire.kind === 'apply')).toBe(true);
        }
      }),
    );
  });
});

describe('decideBeginCharge', () => {
  const pending: PaymentRecord = {
    status: 'pending',
    idempotencyKey: 'innkeeper:h1:key-1',
    amount: 20_000,
    currency: 'EUR',
    chargeId: null,
    declineReason: null,
    refunded: 0,
    refundDue: 0,
  };

  test('a hold without a payment records the charge as pending, without touching inventory', () => {
    const current = frozen(reservation());
    const decision = applied(decideBeginCharge(current, AT, pending));
    expect(decision.deltas).toEqual([]);
    expect(decision.action).toBe('payment');
    expect(decision.next.status).toBe('held');
    expect(decision.next.payment).toEqual(pending);
    expect(decision.next.history.at(-1)).toEqual({
      at: AT,
      action: 'payment',
      status: 'held',
      reason: 'charge started',
    });
  });

  test('the same charge again is unchanged; a confirmed reservation is unchanged', () => {
    const started = applied(decideBeginCharge(reservation(), AT, pending)).next;
    expect(decideBeginCharge(started, AT, pending).kind).toBe('unchanged');
    expect(decideBeginCharge(reservation({ status: 'confirmed' }), AT, pending).kind).toBe(
      'unchanged',
    );
  });

  test('a released hold is invalid-state even for the very charge it was released with', () => {
    // A retry of book() whose hold recovery released (charge declined) must not charge again.
    const released = reservation({
      status: 'expired',
      holdExpiresAt: null,
      payment: { ...pending, status: 'declined', declineReason: 'no charge found' },
    });
    expect(decideBeginCharge(released, AT, pending)).toEqual({
      kind: 'invalid-state',
      reservation: released,
    });
  });

  test('a hold past its TTL, a released hold or a hold charged under another key is invalid-state', () => {
    const ranOut = reservation({ holdExpiresAt: AT });
    expect(decideBeginCharge(ranOut, AT, pending).kind).toBe('invalid-state');
    expect(decideBeginCharge(reservation({ status: 'expired' }), AT, pending).kind).toBe(
      'invalid-state',
    );
    const other = reservation({ payment: { ...pending, idempotencyKey: 'other' } });
    expect(decideBeginCharge(other, AT, pending).kind).toBe('invalid-state');
  });
});

describe('decideRelease', () => {
  const charged: PaymentRecord = {
    status: 'charged',
    idempotencyKey: 'innkeeper:h1:key-1',
    amount: 20_000,
    currency: 'EUR',
    chargeId: 'ch_1',
    declineReason: null,
    refunded: 0,
    refundDue: 20_000,
  };

  test('a held reservation is released: expired, its nights back, the payment recorded', () => {
    const current = frozen(reservation({ status: 'held', holdExpiresAt: HOLD_EXPIRES }));
    const declined: PaymentRecord = {
      ...charged,
      status: 'declined',
      chargeId: null,
      refundDue: 0,
    };
    const decision = applied(decideRelease(current, AT, 'payment declined', declined));
    expect(decision.action).toBe('released');
    expect(decision.deltas).toEqual(releaseOf(current.lines));
    expect(decision.next).toMatchObject({
      status: 'expired',
      holdExpiresAt: null,
      payment: declined,
    });
    expect(decision.next.history.at(-1)).toEqual({
      at: AT,
      action: 'released',
      status: 'expired',
      reason: 'payment declined',
    });
  });

  test('a charge landing after the release is recorded once, owed back in full; replaying that release changes nothing', () => {
    // Recovery released the hold (no charge found); then the gateway's charge landed.
    const declined: PaymentRecord = {
      ...charged,
      status: 'declined',
      chargeId: null,
      refundDue: 0,
    };
    const released = frozen(
      reservation({ status: 'expired', holdExpiresAt: null, payment: declined }),
    );
    const late = applied(decideRelease(released, AT, 'charge landed after release', charged));
    expect(late.action).toBe('payment');
    expect(late.deltas).toEqual([]);
    expect(late.next.status).toBe('expired');
    expect(late.next.payment).toEqual(charged);

    // The same release again (a retry after a lost answer): nothing more is owed.
    expect(decideRelease(late.next, BEFORE_EXPIRY, 'charge landed after release', charged)).toEqual(
      {
        kind: 'unchanged',
        reservation: late.next,
      },
    );
    // Nor once the refund went through: replaying must not put the amount back as owed.
    const refunded = applied(decideRefundRecorded(late.next, BEFORE_EXPIRY, 'rf_1')).next;
    expect(refunded.payment).toMatchObject({ refunded: 20_000, refundDue: 0 });
    expect(refunded.history.at(-1)).toEqual({
      at: BEFORE_EXPIRY,
      action: 'payment',
      status: 'expired',
      reason: 'refund rf_1 of 20000',
    });
    expect(decideRelease(refunded, AFTER_EXPIRY, 'charge landed after release', charged)).toEqual({
      kind: 'unchanged',
      reservation: refunded,
    });
  });

  test('a late charge on a released hold that kept no payment record is recorded too', () => {
    const released = reservation({ status: 'expired', holdExpiresAt: null, payment: null });
    const late = applied(decideRelease(released, AT, 'charge landed after release', charged));
    expect(late.next.payment).toEqual(charged);
  });

  test('an expired hold without a late charge is unchanged; a confirmed one is invalid-state', () => {
    const expired = reservation({ status: 'expired', holdExpiresAt: null });
    expect(decideRelease(expired, AT, 'again', null)).toEqual({
      kind: 'unchanged',
      reservation: expired,
    });
    const declined: PaymentRecord = {
      ...charged,
      status: 'declined',
      chargeId: null,
      refundDue: 0,
    };
    expect(decideRelease(expired, AT, 'again', declined).kind).toBe('unchanged');
    const confirmed = reservation({ status: 'confirmed' });
    expect(decideRelease(confirmed, AT, 'late', charged)).toEqual({
      kind: 'invalid-state',
      reservation: confirmed,
    });
  });
});

describe('checkDecision', () => {
  test("its error names every offending field, what it is and what it should be, for the decider's author", () => {
    const current = reservation({ version: 1 });
    const decision = applied(decideConfirm(current, AT));
    const wrong = { ...decision, next: { ...decision.next, id: 'other', version: 5 } };
    let error: unknown;
    try {
      checkDecision(current, wrong);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toMatchObject({
      code: 'VALIDATION',
      message:
        'A decision on reservation res_1 (version 1) must apply to the same reservation at ' +
        'version 2: next.id is "other", not "res_1"; next.version is 5, not 2. Nothing was written.',
    });
    expect(checkDecision(current, decision)).toBe(decision);
  });
});

describe('edges of expiry, cancellation, no-show and refunds', () => {
  const PAID_HOLD: PaymentRecord = {
    status: 'pending',
    idempotencyKey: 'innkeeper:h1:key-1',
    amount: 20_000,
    currency: 'EUR',
    chargeId: null,
    declineReason: null,
    refunded: 0,
    refundDue: 0,
  };
  const CHARGED: PaymentRecord = { ...PAID_HOLD, status: 'charged', chargeId: 'ch_1' };

  test('a hold that recorded no charge yet is confirmed by the approved one', () => {
    const decision = applied(decideConfirm(reservation(), AT, CHARGED));
    expect(decision.next).toMatchObject({ status: 'confirmed', payment: CHARGED });
  });

  test('a due hold whose charge is in flight is not expired: only the gateway can say', () => {
    const hold = reservation({ payment: PAID_HOLD });
    expect(decideExpire(hold, AFTER_EXPIRY).kind).toBe('unchanged');
    expect(decideExpire(reservation(), AFTER_EXPIRY).kind).toBe('apply');
  });

  test('force before arrival cancels as usual: the plain reason, nobody named', () => {
    const stay = reservation({ status: 'confirmed', holdExpiresAt: null });
    const force = { by: 'night manager', reason: 'duplicate' };
    const entry = applied(decideCancel(stay, AT, 'plans changed', force)).next.history.at(-1);
    expect(entry).toMatchObject({ action: 'cancelled', reason: 'plans changed' });
    expect(entry?.by).toBeUndefined();
    const late = applied(decideCancel(stay, '2026-05-01T14:00:00.000Z', 'x', force));
    expect(late.next.history.at(-1)).toMatchObject({
      reason: 'forced after arrival: duplicate',
      by: 'night manager',
    });
  });

  test('a no-show is recorded as one, in the decision and the history', () => {
    const stay = reservation({ status: 'confirmed', holdExpiresAt: null });
    const decision = applied(decideNoShow(stay, '2026-05-01T14:00:00.000Z'));
    expect(decision.action).toBe('no-show');
    expect(decision.next.history.at(-1)?.action).toBe('no-show');
  });

  test('a charge landing after its hold was released is recorded as a payment, owed back', () => {
    const released = reservation({ status: 'expired', holdExpiresAt: null, payment: PAID_HOLD });
    const landed = { ...CHARGED, refundDue: 20_000 };
    const decision = applied(decideRelease(released, AT, 'charge landed late', landed));
    expect(decision.action).toBe('payment');
    expect(decision.next.history.at(-1)).toMatchObject({
      action: 'payment',
      reason: 'charge landed late',
    });
  });

  test('refunds confirmed by key, one at a time; none owed, or an unknown key, changes nothing', () => {
    const stay = reservation({ status: 'cancelled', holdExpiresAt: null, payment: CHARGED });
    expect(decideRefundRecorded(stay, AT, 're_0').kind).toBe('unchanged');
    expect(decideRefundRecorded(reservation({ payment: null }), AT, 're_0').kind).toBe('unchanged');
    const owing = {
      ...stay,
      payment: oweRefund(oweRefund({ ...CHARGED, refunded: 1_000 }, 3_000), 2_000),
    };
    const [first, second] = dueRefunds(owing.payment);
    expect(decideRefundRecorded(owing, AT, 're_x', 'no-such-key').kind).toBe('unchanged');
    const one = applied(decideRefundRecorded(owing, AT, 're_2', second?.key));
    expect(one.next.payment).toMatchObject({ refunded: 3_000, refundDue: 3_000 });
    expect(dueRefunds(one.next.payment as PaymentRecord)).toEqual([first]);
    expect(one.next.history.at(-1)?.reason).toBe('refund re_2 of 2000');
    const all = applied(decideRefundRecorded(owing, AT, 're_3'));
    expect(all.next.payment).toMatchObject({ refunded: 6_000, refundDue: 0 });
    expect(all.next.history.at(-1)?.reason).toBe('refund re_3 of 5000');
  });
});
