import { describe, expect, test } from 'vitest';
import {
  archiveCutoff,
  archiveMonthOf,
  DEFAULT_ARCHIVE_AFTER_DAYS,
  FINISHED_STATUSES,
  isArchivable,
  isFinished,
} from '../src/archive/archive-rules.js';
import { archivedEntryOf, sameCalendarDay } from '../src/port/archive-helpers.js';
import type { ReservationStatus } from '../src/reservation/reservation.js';
import { day, PAID, reservation } from './fixtures.js';

describe('what may be archived', () => {
  test('finished: checked out, cancelled, expired, no-show; never held, confirmed or in house', () => {
    expect([...FINISHED_STATUSES].sort()).toEqual(
      ['cancelled', 'checked-out', 'expired', 'no-show'].sort(),
    );
    const open: ReservationStatus[] = ['held', 'confirmed', 'checked-in'];
    for (const status of open) expect(isFinished(status)).toBe(false);
    for (const status of FINISHED_STATUSES) expect(isFinished(status)).toBe(true);
  });

  test('isArchivable: finished, checked out on or before the cut-off, nothing owed by or to the gateway', () => {
    const gone = reservation({ status: 'cancelled', checkOut: '2026-05-03' });
    expect(isArchivable(gone, '2026-05-03')).toBe(true);
    expect(isArchivable(gone, '2026-05-04')).toBe(true);
    expect(isArchivable(gone, '2026-05-02')).toBe(false);
    expect(isArchivable({ ...gone, status: 'confirmed' }, '2026-06-01')).toBe(false);
    // A refund still owed keeps it in the store for the recovery sweep.
    const owed = { ...gone, payment: { ...PAID, refundDue: 5_000 } };
    expect(isArchivable(owed, '2026-06-01')).toBe(false);
    expect(isArchivable({ ...gone, payment: PAID }, '2026-06-01')).toBe(true);
  });

  test('the default cut-off is 90 days before the hotel’s today, in its own time zone', () => {
    expect(DEFAULT_ARCHIVE_AFTER_DAYS).toBe(90);
    // 23:30 UTC on 1 June is already 2 June in Tokyo, still 1 June in New York.
    const at = new Date('2026-06-01T23:30:00.000Z');
    expect(archiveCutoff('Asia/Tokyo', at)).toBe('2026-03-04');
    expect(archiveCutoff('America/New_York', at)).toBe('2026-03-03');
    expect(archiveCutoff('UTC', at, 30)).toBe('2026-05-02');
  });

  test('files are partitioned by the month of a date', () => {
    expect(archiveMonthOf('2026-01-31')).toBe('2026-01');
    expect(archiveMonthOf('2026-12-01')).toBe('2026-12');
  });
});

describe('what a store records and compares', () => {
  test('archivedEntryOf: the index entry of a reservation archived in a file', () => {
    const r = reservation({ status: 'cancelled', checkOut: '2026-05-03' });
    expect(archivedEntryOf(r, 'hotel=h1/x.ndjson.gz', '2026-09-01T00:00:00.000Z')).toEqual({
      reservationId: r.id,
      hotelId: r.hotelId,
      idempotencyKey: r.idempotencyKey,
      requestFingerprint: r.requestFingerprint,
      guestEmail: r.guest.email,
      checkOut: '2026-05-03',
      file: 'hotel=h1/x.ndjson.gz',
      archivedAt: '2026-09-01T00:00:00.000Z',
    });
  });

  test('sameCalendarDay: equal only when every field is', () => {
    const row = day({ reserved: 2, rate: 9_000 });
    expect(sameCalendarDay(row, { ...row })).toBe(true);
    const changes = [
      { hotelId: 'h2' },
      { roomTypeId: 'dbl' },
      { date: '2026-05-02' },
      { total: 11 },
      { overbookingLimit: 0 },
      { reserved: 3 },
      { stopSell: true },
      { rate: null },
    ];
    for (const change of changes) expect(sameCalendarDay(row, { ...row, ...change })).toBe(false);
  });
});
