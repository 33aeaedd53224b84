import { balanceOf, type PaymentRecord, type Reservation } from '@innkeeper/core';
import {
  type Decision,
  decideModification,
  decideTopUpCharged,
  decideTopUpDeclined,
  dueRefunds,
  oweRefund,
  shorteningMoney,
  withTopUp,
} from '@innkeeper/core/store';
import { describe, expect, test } from 'vitest';
import { line, PAID, reservation } from './fixtures.js';

const AT = '2026-04-10T09:00:00.000Z';
const LATER = '2026-04-10T09:05:00.000Z';

const charged = PAID;

function applied(decision: Decision): Extract<Decision, { kind: 'apply' }> {
  if (decision.kind !== 'apply') throw new Error(`expected apply, got ${decision.kind}`);
  return decision;
}

/** A confirmed, paid two-night stay (20 000), with its balance. */
function paidStay(overrides: Partial<Reservation> = {}): Reservation {
  const r = reservation({ status: 'confirmed', payment: charged, ...overrides });
  return { ...r, balance: balanceOf(r) };
}

/** The paid stay extended by a night: a pending top-up of 10 000. */
function extended(current = paidStay()): Reservation {
  const lines = [line('std', '2026-05-01', '2026-05-04')];
  return applied(
    decideModification(
      current,
      { checkIn: '2026-05-01', checkOut: '2026-05-04', lines, expectedVersion: current.version },
      AT,
    ),
  ).next;
}

describe('a modification that raises the price of a paid stay', () => {
  test('records a pending top-up for the balance due, keyed by the new version, and the stay it replaced', () => {
    const next = extended();
    expect(next.payment?.topUps).toEqual([
      {
        key: 'innkeeper:h1:key-1:top-up:2',
        amount: 10_000,
        status: 'pending',
        chargeId: null,
        declineReason: null,
      },
    ]);
    expect(next.replacedStay).toMatchObject({
      key: 'innkeeper:h1:key-1:top-up:2',
      checkOut: '2026-05-03',
      total: 20_000,
    });
    // Nothing is paid yet: the balance shows it due until the gateway answers.
    expect(next.balance).toMatchObject({ price: 30_000, charged: 20_000, due: 10_000 });
  });

  test('a hold, or a stay paid at the hotel, records no top-up: the difference is due', () => {
    const hold = extended(
      paidStay({ status: 'held', payment: null, holdExpiresAt: '2026-04-10T10:00:00.000Z' }),
    );
    expect(hold.payment).toBeNull();
    expect(hold.balance?.due).toBe(30_000);
    const atHotel = extended(paidStay({ payment: null }));
    expect(atHotel.replacedStay).toBeUndefined();
    expect(atHotel.balance?.due).toBe(30_000);
  });

  test('while the top-up is in flight, the same change is unchanged and any other is refused', () => {
    const next = extended();
    const same = {
      checkIn: next.checkIn,
      checkOut: next.checkOut,
      lines: next.lines,
      expectedVersion: next.version,
    };
    expect(decideModification(next, same, LATER).kind).toBe('unchanged');
    const other = {
      ...same,
      checkOut: '2026-05-05',
      lines: [line('std', '2026-05-01', '2026-05-05')],
    };
    expect(decideModification(next, other, LATER).kind).toBe('invalid-state');
  });
});

describe('decideTopUpCharged', () => {
  test('counts the top-up as paid, once, and forgets the replaced stay', () => {
    const pending = extended();
    const key = pending.payment?.topUps?.[0]?.key ?? '';
    const decision = applied(decideTopUpCharged(pending, LATER, key, 'ch_2'));
    expect(decision.deltas).toEqual([]);
    expect(decision.next.payment?.topUps?.[0]).toMatchObject({
      status: 'charged',
      chargeId: 'ch_2',
    });
    expect(decision.next.replacedStay).toBeUndefined();
    expect(decision.next.balance).toMatchObject({ price: 30_000, charged: 30_000, due: 0 });
    expect(decision.next.history.at(-1)?.reason).toBe('top-up ch_2 of 10000');
    expect(decideTopUpCharged(decision.next, LATER, key, 'ch_2').kind).toBe('unchanged');
    expect(decideTopUpCharged(pending, LATER, 'no-such-key', 'ch_2').kind).toBe('unchanged');
  });

  test('a top-up that lands after its change was undone is owed back in full, to its own charge', () => {
    const pending = extended();
    const key = pending.payment?.topUps?.[0]?.key ?? '';
    const undone = applied(decideTopUpDeclined(pending, LATER, key, 'timeout', true)).next;
    // The gateway had taken it after all: a declined top-up can still be charged.
    const landed = applied(
      decideTopUpCharged(
        {
          ...undone,
          payment: {
            ...(undone.payment as PaymentRecord),
            topUps: undone.payment?.topUps?.map((t) => ({ ...t, status: 'pending' as const })),
          },
        },
        LATER,
        key,
        'ch_2',
      ),
    ).next;
    expect(dueRefunds(landed.payment as PaymentRecord)).toEqual([
      { key: 'innkeeper:h1:key-1:refund', amount: 10_000 },
    ]);
    expect(landed.balance).toMatchObject({
      price: 20_000,
      charged: 30_000,
      refundDue: 10_000,
      due: 0,
    });
  });
});

describe('decideTopUpDeclined', () => {
  test('with undo: the replaced stay comes back, the new night is released, nothing is due', () => {
    const pending = extended();
    const key = pending.payment?.topUps?.[0]?.key ?? '';
    const decision = applied(decideTopUpDeclined(pending, LATER, key, 'card declined', true));
    expect(decision.action).toBe('modified');
    expect(decision.next).toMatchObject({ checkOut: '2026-05-03', total: 20_000 });
    expect(decision.next.replacedStay).toBeUndefined();
    expect(decision.next.payment?.topUps?.[0]).toMatchObject({
      status: 'declined',
      declineReason: 'card declined',
    });
    expect(decision.deltas).toEqual([{ roomTypeId: 'std', date: '2026-05-03', rooms: -1 }]);
    expect(decision.next.balance?.due).toBe(0);
    expect(decision.next.history.at(-1)?.reason).toBe(
      'top-up declined: card declined; the change was undone',
    );
  });

  test('without undo, or once the stay has moved on, the change stands with its price due', () => {
    const pending = extended();
    const key = pending.payment?.topUps?.[0]?.key ?? '';
    const kept = applied(decideTopUpDeclined(pending, LATER, key, 'card declined', false));
    expect(kept.deltas).toEqual([]);
    expect(kept.next).toMatchObject({ checkOut: '2026-05-04', total: 30_000 });
    expect(kept.next.balance?.due).toBe(10_000);
    const checkedOut = applied(
      decideTopUpDeclined({ ...pending, status: 'checked-out' }, LATER, key, 'x', true),
    );
    expect(checkedOut.deltas).toEqual([]);
    expect(decideTopUpDeclined(kept.next, LATER, key, 'again', true).kind).toBe('unchanged');
  });
});

describe('refunds over several charges', () => {
  const withTopUp: PaymentRecord = {
    ...charged,
    topUps: [
      { key: 't', amount: 10_000, status: 'charged', chargeId: 'ch_2', declineReason: null },
    ],
  };

  test('a refund crossing from the booking charge to a top-up is owed as one refund of each', () => {
    const first = oweRefund(withTopUp, 15_000);
    const both = oweRefund(first, 10_000);
    expect(dueRefunds(both)).toEqual([
      { key: 'innkeeper:h1:key-1:refund', amount: 15_000 },
      { key: 'innkeeper:h1:key-1:refund:15000', amount: 5_000 },
      { key: 'innkeeper:h1:key-1:refund:20000', amount: 5_000, chargeId: 'ch_2' },
    ]);
    expect(both.refundDue).toBe(25_000);
  });
});

describe('withTopUp, shorteningMoney and balanceOf at their edges', () => {
  const longer = (r: Reservation, status = r.status): Reservation => ({
    ...r,
    status,
    total: r.total + 10_000,
    version: r.version + 1,
  });

  test('a checked-in stay tops up like a confirmed one; anything not sold, or not charged, does not', () => {
    const inHouse = paidStay({ status: 'checked-in' });
    expect(withTopUp(inHouse, longer(inHouse)).payment?.topUps).toHaveLength(1);
    for (const status of ['cancelled', 'held', 'no-show', 'checked-out'] as const) {
      const next = longer(inHouse, status);
      expect(withTopUp(inHouse, next)).toBe(next);
    }
    const declined = paidStay({ payment: { ...charged, status: 'declined', chargeId: null } });
    const next = longer(declined);
    expect(withTopUp(declined, next)).toBe(next);
    const same = paidStay();
    expect(withTopUp(same, same)).toBe(same);
  });

  test("the replaced stay keeps the shortenings' penalties only when there were some", () => {
    const plain = paidStay();
    expect(withTopUp(plain, longer(plain)).replacedStay).not.toHaveProperty(
      'modificationPenalties',
    );
    const shortened = paidStay({ modificationPenalties: 3_000 });
    expect(withTopUp(shortened, longer(shortened)).replacedStay?.modificationPenalties).toBe(3_000);
  });

  test('a shortening refunds what the terms do not keep; a hold or a longer stay moves nothing', () => {
    const stay = paidStay();
    const free = shorteningMoney(stay, 15_000, AT);
    expect(free).not.toHaveProperty('modificationPenalties');
    expect(free.payment?.refundDue).toBe(5_000);
    expect(shorteningMoney(stay, 20_000, AT)).toEqual({});
    expect(shorteningMoney(stay, 25_000, AT)).toEqual({});
    expect(shorteningMoney(paidStay({ status: 'held', payment: null }), 15_000, AT)).toEqual({});
    // Inside a penalty window the terms keep up to what was given back, and refund nothing more.
    const strict = paidStay({
      cancellation: { ...stay.cancellation, windows: [{ from: AT, penalty: 8_000 }] },
    });
    const kept = shorteningMoney(strict, 15_000, AT);
    expect(kept).toMatchObject({ modificationPenalties: 5_000 });
    expect(kept.payment?.refundDue).toBe(0);
  });

  test('a released reservation costs nothing, whatever settlement it carries', () => {
    const settlement = { kind: 'cancellation' as const, at: AT, penalty: 500, refund: 0 };
    const released = balanceOf({
      status: 'expired',
      total: 20_000,
      payment: null,
      settlement,
    });
    expect(released).toMatchObject({ price: 0, penalties: 0, due: 0 });
    expect(
      balanceOf({ status: 'cancelled', total: 20_000, payment: null, settlement }),
    ).toMatchObject({ price: 500, penalties: 500 });
  });
});

describe('top-up answers: which top-up, and which stay comes back', () => {
  const KEY = 'innkeeper:h1:key-1:top-up:2';
  const topUp = (
    key: string,
    over: Partial<NonNullable<PaymentRecord['topUps']>[number]> = {},
  ) => ({
    key,
    amount: 1_000,
    status: 'pending' as const,
    chargeId: null,
    declineReason: null,
    ...over,
  });

  test('an answer for a top-up the record does not have changes nothing', () => {
    const plain = paidStay();
    expect(decideTopUpCharged(plain, LATER, KEY, 'ch_9').kind).toBe('unchanged');
    expect(decideTopUpDeclined(plain, LATER, KEY, 'no', true).kind).toBe('unchanged');
    const next = extended();
    expect(decideTopUpDeclined(next, LATER, `${KEY}:other`, 'no', true).kind).toBe('unchanged');
    expect(decideTopUpCharged(paidStay({ payment: null }), LATER, KEY, 'ch_9').kind).toBe(
      'unchanged',
    );
  });

  test('the answer lands on its own top-up only, recorded as a payment move', () => {
    const earlier = topUp('earlier', { status: 'charged', chargeId: 'ch_1b' });
    const next = extended();
    const two = {
      ...next,
      payment: {
        ...(next.payment as PaymentRecord),
        topUps: [earlier, ...(next.payment?.topUps ?? [])],
      },
    };
    const decision = applied(decideTopUpCharged(two, LATER, KEY, 'ch_2'));
    expect(decision.action).toBe('payment');
    expect(decision.next.history.at(-1)?.action).toBe('payment');
    expect(decision.next.payment?.topUps).toEqual([
      earlier,
      expect.objectContaining({ key: KEY, status: 'charged', chargeId: 'ch_2' }),
    ]);
    const declined = applied(decideTopUpDeclined(two, LATER, KEY, 'card expired', false));
    expect(declined.action).toBe('payment');
    expect(declined.next.history.at(-1)?.action).toBe('payment');
    expect(declined.next.payment?.topUps?.[0]).toEqual(earlier);
  });

  test("a replaced stay is only the answered top-up's: another's is kept, and not undone", () => {
    const next = extended();
    const other = {
      ...next,
      replacedStay: {
        ...(next.replacedStay as NonNullable<Reservation['replacedStay']>),
        key: 'other',
      },
    };
    const withOther = {
      ...other,
      payment: {
        ...(other.payment as PaymentRecord),
        topUps: [...(other.payment?.topUps ?? []), topUp('other')],
      },
    };
    expect(applied(decideTopUpCharged(withOther, LATER, KEY, 'ch_2')).next.replacedStay?.key).toBe(
      'other',
    );
    const stands = applied(decideTopUpDeclined(withOther, LATER, KEY, 'no', true));
    expect(stands.action).toBe('payment');
    expect(stands.next.checkOut).toBe('2026-05-04');
    const { replacedStay: _, ...bare } = next;
    expect(applied(decideTopUpDeclined(bare, LATER, KEY, 'no', true)).action).toBe('payment');
  });

  test('an in-house stay extended from its own arrival is undone; one whose arrival moved is not', () => {
    const inHouse = extended(paidStay({ status: 'checked-in' }));
    const undone = applied(decideTopUpDeclined(inHouse, LATER, KEY, 'no', true));
    expect(undone.action).toBe('modified');
    expect(undone.next.checkOut).toBe('2026-05-03');
    const moved = {
      ...inHouse,
      replacedStay: {
        ...(inHouse.replacedStay as NonNullable<Reservation['replacedStay']>),
        checkIn: '2026-04-30',
      },
    };
    expect(applied(decideTopUpDeclined(moved, LATER, KEY, 'no', true)).action).toBe('payment');
  });

  test("undoing restores the replaced stay's penalties, or none", () => {
    const next = { ...extended(), modificationPenalties: 700 };
    const none = applied(decideTopUpDeclined(next, LATER, KEY, 'no', true)).next;
    expect(none).not.toHaveProperty('modificationPenalties');
    const withKept = {
      ...next,
      replacedStay: {
        ...(next.replacedStay as NonNullable<Reservation['replacedStay']>),
        modificationPenalties: 300,
      },
    };
    expect(
      applied(decideTopUpDeclined(withKept, LATER, KEY, 'no', true)).next.modificationPenalties,
    ).toBe(300);
  });
});
