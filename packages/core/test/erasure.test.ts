import { describe, expect, test } from 'vitest';
import {
  decideErasure,
  ERASED_FINGERPRINT,
  ERASED_GUEST_EMAIL,
  ERASED_GUEST_NAME,
  erasedReservation,
  isErased,
} from '../src/reservation/erasure.js';
import type { Reservation } from '../src/reservation/reservation.js';
import { PAID, reservation } from './fixtures.js';

const AT = '2026-06-01T10:00:00.000Z';

/** A stay with every kind of personal data, and a history that names it. */
function personal(): Reservation {
  const r = reservation({
    guest: { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0000' },
    payment: PAID,
    details: {
      notes: 'garden side',
      specialRequests: 'a cot',
      lineGuests: [['Ada Lovelace']],
      arrivalTime: '18:00',
      channel: 'phone',
      externalRef: 'CRM-7',
      roomFeatures: ['quiet'],
    },
  });
  return {
    ...r,
    history: [
      ...r.history,
      {
        at: '2026-05-02T00:00:00.000Z',
        action: 'corrected',
        status: r.status,
        reason: 'Ada called',
        by: 'desk-1',
        changes: [
          { field: 'guest.email', from: 'ada.king@example.com', to: 'ada@example.com' },
          { field: 'guest.phone', to: '+44 20 7946 0000' },
          { field: 'notes', to: 'garden side' },
          { field: 'specialRequests', from: 'x', to: 'a cot' },
          { field: 'lineGuests', to: '[["Ada Lovelace"]]' },
          { field: 'guest.name', from: 'Ada', to: 'Ada Lovelace' },
          { field: 'channel', from: 'web', to: 'phone' },
          { field: 'arrivalTime', to: '18:00' },
        ],
      },
    ],
  };
}

describe('erasing a guest', () => {
  test('the guest, the personal details and the fingerprint go; the stay, money and other details stay', () => {
    const before = personal();
    const after = erasedReservation(before, AT, 'request 42');
    expect(after.guest).toEqual({ name: ERASED_GUEST_NAME, email: ERASED_GUEST_EMAIL });
    expect(after.requestFingerprint).toBe(ERASED_FINGERPRINT);
    expect(after.details).toEqual({
      arrivalTime: '18:00',
      channel: 'phone',
      externalRef: 'CRM-7',
      roomFeatures: ['quiet'],
    });
    const { guest, requestFingerprint, details, history, version, updatedAt, balance, ...rest } =
      after;
    const {
      guest: g,
      requestFingerprint: f,
      details: d,
      history: h,
      version: v,
      updatedAt: u,
      balance: b,
      ...was
    } = before;
    expect(rest).toEqual(was);
    // The balance is recomputed from the same money: what was owed is owed.
    expect(balance).toEqual(b ?? balance);
    expect(version).toBe(before.version + 1);
    expect(updatedAt).toBe(AT);
    expect(JSON.stringify(after)).not.toMatch(/Ada|ada|garden|cot|7946|king/);
  });

  test('the history keeps every entry and which fields changed, not the values of personal ones nor any reason', () => {
    const before = personal();
    const after = erasedReservation(before, AT, 'request 42');
    expect(after.history).toHaveLength(before.history.length + 1);
    const corrected = after.history.at(-2);
    expect(corrected).toEqual({
      at: '2026-05-02T00:00:00.000Z',
      action: 'corrected',
      status: before.status,
      by: 'desk-1',
      changes: [
        { field: 'guest.email' },
        { field: 'guest.phone' },
        { field: 'notes' },
        { field: 'specialRequests' },
        { field: 'lineGuests' },
        { field: 'guest.name' },
        { field: 'channel', from: 'web', to: 'phone' },
        { field: 'arrivalTime', to: '18:00' },
      ],
    });
    expect(after.history.at(-1)).toEqual({
      at: AT,
      action: 'erased',
      status: before.status,
      reason: 'request 42',
    });
    const withoutReason = erasedReservation(before, AT);
    expect(withoutReason.history.at(-1)).toEqual({
      at: AT,
      action: 'erased',
      status: before.status,
    });
  });

  test('details with nothing left but personal fields go altogether; a stay without details stays without', () => {
    const onlyPersonal = { ...reservation(), details: { notes: 'n', specialRequests: 's' } };
    expect(erasedReservation(onlyPersonal, AT).details).toBeUndefined();
    expect('details' in erasedReservation(reservation(), AT)).toBe(false);
  });

  test('decideErasure applies once, then answers unchanged; isErased needs both the tombstone and the entry', () => {
    const before = personal();
    expect(isErased(before)).toBe(false);
    const decision = decideErasure(before, AT, 'r');
    expect(decision).toMatchObject({ kind: 'apply', deltas: [], action: 'erased' });
    if (decision.kind !== 'apply') throw new Error('expected apply');
    expect(isErased(decision.next)).toBe(true);
    expect(decideErasure(decision.next, AT)).toEqual({
      kind: 'unchanged',
      reservation: decision.next,
    });
    // A guest who happens to use the tombstone address is not thereby erased.
    const lookalike = reservation({ guest: { name: 'x', email: ERASED_GUEST_EMAIL } });
    expect(isErased(lookalike)).toBe(false);
    const entryOnly = { ...before, history: decision.next.history };
    expect(isErased(entryOnly)).toBe(false);
  });
});
