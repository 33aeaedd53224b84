import { describe, expect, test } from 'vitest';
import { deepFreeze } from '../src/port/deep-freeze.js';
import {
  cancellationTermsSchema,
  penaltyWindowSchema,
} from '../src/reservation/cancellation-terms.js';
import {
  guestSchema,
  nightPriceSchema,
  type Reservation,
  reservationLineSchema,
  reservationSchema,
  taxChargeSchema,
} from '../src/reservation/reservation.js';
import { cloneReservation, copyPlain } from '../src/reservation/reservation-copy.js';

const terms = {
  checkInAt: '2027-05-03T13:00:00.000Z',
  freeUntil: '2027-05-01T13:00:00.000Z',
  windows: [{ from: '2027-05-01T13:00:00.000Z', penalty: 12_000 }],
  noShowFee: 12_000,
};
const policy = {
  id: 'free-48h',
  name: 'Free until 48 h before arrival',
  nonRefundable: false,
  windows: [{ hoursBeforeCheckIn: 48, penalty: { kind: 'nights' as const, nights: 1 } }],
  noShow: { kind: 'percent' as const, percent: 100 },
};
const line = {
  roomTypeId: 'dbl',
  ratePlanId: 'flex',
  rooms: 1,
  adults: 2,
  children: 1,
  nights: [
    {
      date: '2027-05-03',
      rate: 10_000,
      supplements: 1_000,
      discount: 0,
      amount: 11_000,
      tax: 1_000,
    },
    {
      date: '2027-05-04',
      rate: 10_000,
      supplements: 1_000,
      discount: 0,
      amount: 11_000,
      tax: 1_000,
    },
  ],
  taxes: [{ taxId: 'vat', name: 'VAT', amount: 2_000 }],
  roomCharge: 22_000,
  taxTotal: 2_000,
  total: 24_000,
  policy,
};

/** A reservation with every field of the schema set, optional ones included. */
const full: Reservation = reservationSchema.parse({
  id: 'r1',
  hotelId: 'h1',
  status: 'checked-out',
  checkIn: '2027-05-03',
  checkOut: '2027-05-05',
  lines: [line],
  guest: { name: 'Ada', email: 'ada@example.com', phone: '+351 123' },
  currency: 'EUR',
  roomCharge: 22_000,
  taxTotal: 2_000,
  total: 24_000,
  cancellation: terms,
  payment: {
    status: 'charged',
    idempotencyKey: 'k1',
    amount: 24_000,
    currency: 'EUR',
    chargeId: 'ch1',
    declineReason: null,
    refunded: 0,
    refundDue: 500,
    refundsDue: [{ key: 'k1:refund:1', amount: 500, chargeId: 'ch1' }],
    topUps: [
      {
        key: 'k1:top-up:1',
        amount: 1_000,
        status: 'charged',
        chargeId: 'ch2',
        declineReason: null,
      },
    ],
  },
  settlement: { kind: 'early-departure', at: '2027-05-04T09:00:00.000Z', penalty: 0, refund: 500 },
  idempotencyKey: 'k1',
  requestFingerprint: 'f1',
  holdExpiresAt: null,
  createdAt: '2027-04-01T10:00:00.000Z',
  updatedAt: '2027-05-04T09:00:00.000Z',
  checkedInAt: '2027-05-03T15:00:00.000Z',
  checkedOutAt: '2027-05-04T09:00:00.000Z',
  earlyDeparture: {
    releasedFrom: '2027-05-04',
    checkOut: '2027-05-05',
    lines: [line],
    roomCharge: 22_000,
    taxTotal: 2_000,
    total: 24_000,
    cancellation: terms,
  },
  modificationPenalties: 300,
  replacedStay: {
    key: 'k1:top-up:1',
    checkIn: '2027-05-03',
    checkOut: '2027-05-04',
    lines: [line],
    roomCharge: 11_000,
    taxTotal: 1_000,
    total: 12_000,
    cancellation: terms,
    modificationPenalties: 0,
  },
  balance: { price: 24_000, penalties: 300, charged: 25_000, refunded: 0, refundDue: 500, due: 0 },
  details: {
    notes: 'Late arrival',
    specialRequests: 'Quiet room',
    arrivalTime: '22:00',
    channel: 'phone',
    externalRef: 'EXT-1',
    lineGuests: [['Ada', 'Bob']],
    roomFeatures: ['quiet'],
  },
  rooms: [
    { lineIndex: 0, roomId: 'r101', roomTypeId: 'dbl', from: '2027-05-03', to: '2027-05-05' },
  ],
  version: 7,
  history: [
    { at: '2027-04-01T10:00:00.000Z', action: 'created', status: 'confirmed' },
    {
      at: '2027-04-02T10:00:00.000Z',
      action: 'corrected',
      status: 'confirmed',
      reason: 'typo',
      by: 'desk',
      changes: [{ field: 'guest.name', from: 'Ad', to: 'Ada' }],
    },
  ],
});

const keysOf = (value: object) => Object.keys(value).sort();

/** Every object and array reachable from `value`. */
function objectsIn(value: unknown, found = new Set<object>()): Set<object> {
  if (typeof value !== 'object' || value === null) return found;
  found.add(value);
  for (const child of Object.values(value)) objectsIn(child, found);
  return found;
}

describe('cloneReservation', () => {
  test('the fixture sets every field of every part the copy writes out by hand', () => {
    // A field added to one of these schemas fails here until the fixture (and so the
    // test below, and the copy) have it.
    expect(keysOf(full)).toEqual(keysOf(reservationSchema.shape));
    expect(keysOf(full.lines[0] ?? {})).toEqual(keysOf(reservationLineSchema.shape));
    expect(keysOf(full.lines[0]?.nights[0] ?? {})).toEqual(keysOf(nightPriceSchema.shape));
    expect(keysOf(full.lines[0]?.taxes[0] ?? {})).toEqual(keysOf(taxChargeSchema.shape));
    expect(keysOf(full.guest)).toEqual(keysOf(guestSchema.shape));
    expect(keysOf(full.cancellation)).toEqual(keysOf(cancellationTermsSchema.shape));
    expect(keysOf(full.cancellation.windows[0] ?? {})).toEqual(keysOf(penaltyWindowSchema.shape));
  });

  test('copies every field, and shares no object or array with the original', () => {
    const copy = cloneReservation(full);
    expect(copy).toStrictEqual(full);
    const originals = objectsIn(full);
    for (const object of objectsIn(copy)) expect(originals.has(object)).toBe(false);
  });

  test('adds no field the original does not have', () => {
    const { balance, details, rooms, checkedInAt, ...bare } = full;
    const guest = { name: full.guest.name, email: full.guest.email };
    const copy = cloneReservation({ ...bare, guest, payment: null, settlement: null });
    expect(keysOf(copy)).toEqual(keysOf(bare));
    expect(keysOf(copy.guest)).toEqual(['email', 'name']);
    expect(copy.payment).toBeNull();
    expect(copy.settlement).toBeNull();
    expect(copy.lines[0]?.policy).toStrictEqual(policy);
  });

  test('a change to the copy never reaches the original', () => {
    const copy = cloneReservation(full);
    copy.payment?.refundsDue?.push({ key: 'x', amount: 1 });
    copy.replacedStay?.lines[0]?.nights.pop();
    copy.history[1]?.changes?.pop();
    copy.lines[0]?.policy?.windows.pop();
    expect(full.payment?.refundsDue).toHaveLength(1);
    expect(full.replacedStay?.lines[0]?.nights).toHaveLength(2);
    expect(full.history[1]?.changes).toHaveLength(1);
    expect(full.lines[0]?.policy?.windows).toHaveLength(1);
  });

  test("shares a line's policy frozen throughout (a store's rate card's), copies any other", () => {
    const frozen = deepFreeze(structuredClone(policy));
    const withFrozen = { ...full, lines: [{ ...line, policy: frozen }] };
    const copy = cloneReservation(withFrozen);
    expect(copy).toStrictEqual(withFrozen);
    expect(copy.lines[0]?.policy).toBe(frozen);
    // Everything else is still copied.
    expect(copy.lines[0]).not.toBe(withFrozen.lines[0]);
    expect(copy.lines[0]?.nights).not.toBe(line.nights);

    // Frozen on top only, its windows could still be changed through the copy: copied.
    const topOnly = Object.freeze(structuredClone(policy));
    const shallow = cloneReservation({ ...full, lines: [{ ...line, policy: topOnly }] });
    expect(shallow.lines[0]?.policy).not.toBe(topOnly);
    expect(shallow.lines[0]?.policy).toStrictEqual(topOnly);
    shallow.lines[0]?.policy?.windows.pop();
    expect(topOnly.windows).toHaveLength(1);

    // Found frozen throughout once, a policy is shared on every copy after (it cannot
    // change); one frozen on top only is copied every time, however often it is seen.
    expect(cloneReservation(withFrozen).lines[0]?.policy).toBe(frozen);
    const again = cloneReservation({ ...full, lines: [{ ...line, policy: topOnly }] });
    expect(again.lines[0]?.policy).not.toBe(topOnly);
    expect(again.lines[0]?.policy).not.toBe(shallow.lines[0]?.policy);
  });

  test('a policy found frozen throughout is walked once, not on every copy', () => {
    // The policy as a proxy that counts the fields read from it: the walk reads them all.
    let reads = 0;
    const frozen = deepFreeze(structuredClone(policy));
    const counted = new Proxy(frozen, {
      get(target, key, receiver) {
        reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    const withCounted = { ...full, lines: [{ ...line, policy: counted }] };
    expect(cloneReservation(withCounted).lines[0]?.policy).toBe(counted);
    const walked = reads;
    expect(walked).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) {
      expect(cloneReservation(withCounted).lines[0]?.policy).toBe(counted);
    }
    expect(reads).toBe(walked);
  });
});

describe('copyPlain', () => {
  test('copies plain data deeply, keys in order', () => {
    const value = { b: [1, { c: null }], a: 'x', d: { e: [true] } };
    const copy = copyPlain(value);
    expect(copy).toStrictEqual(value);
    expect(Object.keys(copy)).toEqual(['b', 'a', 'd']);
    expect(copy.b).not.toBe(value.b);
    expect(copy.d.e).not.toBe(value.d.e);
  });
});
