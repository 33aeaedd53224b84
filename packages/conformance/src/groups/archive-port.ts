import assert from 'node:assert/strict';
import type { Reservation } from '@innkeeper/core';
import { bookingRequest, day, fixtureTest, HOTEL_ID, TODAY } from '../fixture.js';
import type { ResolvedOptions, SuiteApi } from '../suite-api.js';
import { createSuiteEngine } from '../suite-engine.js';
import { DAY_MS, finishedStays, ids } from './archive-stays.js';

/**
 * The archive's port calls driven directly (part of the `archive` group): what
 * `listArchivable` and `listCalendarBefore` list, what `removeArchived` removes, keeps and
 * indexes, and how `findArchived` answers.
 */
export function archivePortTests(api: SuiteApi, options: ResolvedOptions): void {
  const test = fixtureTest(api, options);

  test('removeArchived() removes only reservations still at the version archived (a change meanwhile keeps one in the store) and indexes each under its file', async (fix) => {
    const { inn, store, clock } = fix;
    const { finished } = await finishedStays(fix);
    clock.advance(98 * DAY_MS);
    const listed = await store.listArchivable({ hotelId: HOTEL_ID, before: day(10), limit: 10 });
    assert.deepEqual(ids(listed), ids(finished));
    const [changed, ...rest] = listed as [Reservation, ...Reservation[]];
    await inn.updateReservationDetails({ reservationId: changed.id, notes: 'Left an umbrella' });
    const outcome = await store.removeArchived({
      hotelId: HOTEL_ID,
      file: 'f1',
      archivedAt: clock.now().toISOString(),
      reservations: listed.map((r) => ({ id: r.id, version: r.version })),
    });
    assert.deepEqual(outcome.kept, [changed.id]);
    assert.deepEqual(outcome.removed.sort(), ids(rest));
    assert.equal((await store.getReservation(changed.id))?.details?.notes, 'Left an umbrella');
    const indexed = await store.findArchived({
      by: 'ids',
      reservationIds: listed.map((r) => r.id),
    });
    assert.deepEqual(
      indexed.map((e) => e.reservationId),
      ids(rest),
      'in id order, the kept one not indexed',
    );
    const [first] = rest as [Reservation];
    const entry = indexed.find((e) => e.reservationId === first.id);
    assert.deepEqual(entry, {
      reservationId: first.id,
      hotelId: HOTEL_ID,
      idempotencyKey: first.idempotencyKey,
      requestFingerprint: first.requestFingerprint,
      guestEmail: first.guest.email,
      checkOut: first.checkOut,
      file: 'f1',
      archivedAt: clock.now().toISOString(),
    });
    assert.deepEqual(
      await store.findArchived({
        by: 'key',
        hotelId: HOTEL_ID,
        idempotencyKey: first.idempotencyKey,
      }),
      [entry],
    );
    assert.deepEqual(
      await store.findArchived({
        by: 'key',
        hotelId: 'other',
        idempotencyKey: first.idempotencyKey,
      }),
      [],
    );
    // Run again (a retry): nothing is removed twice, nothing indexed twice.
    const again = await store.removeArchived({
      hotelId: HOTEL_ID,
      file: 'f2',
      archivedAt: clock.now().toISOString(),
      reservations: rest.map((r) => ({ id: r.id, version: r.version })),
    });
    assert.deepEqual(again, { removed: [], kept: ids(rest), daysRemoved: 0, daysKept: 0 });
    assert.equal(
      (await store.findArchived({ by: 'ids', reservationIds: [first.id] }))[0]?.file,
      'f1',
    );
  });

  test('removeArchived() removes only calendar rows equal to those archived and raises the horizon, never lowers it', async ({
    inn,
    store,
    clock,
  }) => {
    const rows = await store.listCalendarBefore({ hotelId: HOTEL_ID, before: day(2), limit: 100 });
    assert.deepEqual(
      rows.map((d) => `${d.roomTypeId}/${d.date}`),
      ['dorm', 'std', 'suite'].flatMap((t) => [`${t}/${TODAY}`, `${t}/${day(1)}`]),
      'by room type, then date',
    );
    const page = await store.listCalendarBefore({
      hotelId: HOTEL_ID,
      before: day(2),
      after: { roomTypeId: 'std', date: TODAY },
      limit: 2,
    });
    assert.deepEqual(
      page.map((d) => `${d.roomTypeId}/${d.date}`),
      [`std/${day(1)}`, `suite/${TODAY}`],
    );
    // A booking changes one row after it was read: that row stays.
    await inn.book(bookingRequest({ checkIn: day(1), checkOut: day(2) }));
    const outcome = await store.removeArchived({
      hotelId: HOTEL_ID,
      file: 'c1',
      archivedAt: clock.now().toISOString(),
      reservations: [],
      calendar: { before: day(2), days: rows },
    });
    assert.deepEqual(outcome, { removed: [], kept: [], daysRemoved: 5, daysKept: 1 });
    const left = await store.listCalendarBefore({ hotelId: HOTEL_ID, before: day(2), limit: 100 });
    assert.deepEqual(
      left.map((d) => `${d.roomTypeId}/${d.date}/${d.reserved}`),
      [`std/${day(1)}/1`],
    );
    assert.equal(await store.getArchiveHorizon(HOTEL_ID), day(2));
    await store.removeArchived({
      hotelId: HOTEL_ID,
      file: '',
      archivedAt: clock.now().toISOString(),
      reservations: [],
      calendar: { before: day(1), days: [] },
    });
    assert.equal(await store.getArchiveHorizon(HOTEL_ID), day(2), 'never lowered');
    await store.removeArchived({
      hotelId: HOTEL_ID,
      file: '',
      archivedAt: clock.now().toISOString(),
      reservations: [],
      calendar: { before: day(3), days: [] },
    });
    assert.equal(await store.getArchiveHorizon(HOTEL_ID), day(3), 'raised again');
    // The audit leaves out the dates before the horizon (the booking on day 1 included).
    assert.equal((await store.audit()).ok, true);
  });

  test('listArchivable() pages the finished stays checked out by the cut-off by id: not those still open or checking out later, nor another hotel’s', async (fix) => {
    const { inn, store, clock } = fix;
    const { finished } = await finishedStays(fix);
    const late = await inn.book(bookingRequest({ checkIn: day(4), checkOut: day(12) }));
    await inn.cancel({ reservationId: late.id });
    clock.advance(98 * DAY_MS);
    const page = await store.listArchivable({ hotelId: HOTEL_ID, before: day(10), limit: 2 });
    const all = await store.listArchivable({ hotelId: HOTEL_ID, before: day(10), limit: 10 });
    assert.deepEqual(ids(all), ids(finished));
    assert.deepEqual(
      page.map((r) => r.id),
      ids(finished).slice(0, 2),
    );
    const next = await store.listArchivable({
      hotelId: HOTEL_ID,
      before: day(10),
      afterId: page.at(-1)?.id as string,
      limit: 10,
    });
    assert.deepEqual(
      next.map((r) => r.id),
      ids(finished).slice(2),
    );
    assert.deepEqual(
      await store.listArchivable({ hotelId: 'other', before: day(10), limit: 10 }),
      [],
    );
  });

  test('listCalendarBefore() orders rows by date whatever order they were written in; another hotel’s removal touches nothing', async ({
    store,
    clock,
    inn,
  }) => {
    // Rows for three past dates, written after the fixture's rows from today on.
    await store.updateCalendar(
      {
        hotelId: HOTEL_ID,
        roomTypeId: 'std',
        dates: [day(-3), day(-2), day(-1)],
        total: { set: 5 },
        overbookingPercent: 0,
        allowOverbooked: false,
      },
      clock.now().toISOString(),
    );
    const std = (await store.listCalendarBefore({ hotelId: HOTEL_ID, before: day(2), limit: 100 }))
      .filter((d) => d.roomTypeId === 'std')
      .map((d) => d.date);
    assert.deepEqual(std, [day(-3), day(-2), day(-1), TODAY, day(1)]);
    // A removal naming another hotel removes none of this hotel's reservations or rows.
    const r = await inn.book(bookingRequest());
    const cancelled = await inn.cancel({ reservationId: r.id });
    const rows = await store.listCalendarBefore({ hotelId: HOTEL_ID, before: day(1), limit: 100 });
    const outcome = await store.removeArchived({
      hotelId: 'other',
      file: 'f',
      archivedAt: clock.now().toISOString(),
      reservations: [{ id: cancelled.id, version: cancelled.version }],
      calendar: { before: day(1), days: rows },
    });
    assert.deepEqual(outcome, {
      removed: [],
      kept: [cancelled.id],
      daysRemoved: 0,
      daysKept: rows.length,
    });
    assert.ok(await store.getReservation(cancelled.id));
    assert.equal(
      (await store.listCalendarBefore({ hotelId: HOTEL_ID, before: day(1), limit: 100 })).length,
      rows.length,
    );
    assert.equal(await store.getArchiveHorizon(HOTEL_ID), null);
  });

  test('findArchived() answers in reservation id order, whatever order they were archived or asked in, each once; by guest with a hotel, a position and a limit', async (fix) => {
    const { store, clock } = fix;
    const { finished } = await finishedStays(fix);
    clock.advance(98 * DAY_MS);
    const listed = await store.listArchivable({ hotelId: HOTEL_ID, before: day(10), limit: 10 });
    // Archived one at a time, last id first.
    for (const r of [...listed].reverse()) {
      await store.removeArchived({
        hotelId: HOTEL_ID,
        file: `f-${r.id}`,
        archivedAt: clock.now().toISOString(),
        reservations: [{ id: r.id, version: r.version }],
      });
    }
    const asked = [...ids(finished)].reverse();
    const byIds = await store.findArchived({ by: 'ids', reservationIds: [...asked, ...asked] });
    assert.deepEqual(
      byIds.map((e) => e.reservationId),
      ids(finished),
    );
    const ada = finished
      .filter((r) => r.guest.email === 'ada@example.com')
      .map((r) => r.id)
      .sort();
    const byGuest = await store.findArchived({
      by: 'guest',
      email: 'ada@example.com',
      hotelId: HOTEL_ID,
      limit: 10,
    });
    assert.deepEqual(
      byGuest.map((e) => e.reservationId),
      ada,
    );
    const page = await store.findArchived({
      by: 'guest',
      email: 'ada@example.com',
      afterId: ada[0] as string,
      limit: 1,
    });
    assert.deepEqual(
      page.map((e) => e.reservationId),
      ada.slice(1, 2),
    );
    assert.deepEqual(
      await store.findArchived({ by: 'guest', email: 'ada@example.com', hotelId: 'h9', limit: 10 }),
      [],
    );
  });

  test('ids that sort before any letter (digits, capitals) are listed from the start: archivable stays, calendar rows of such a room type, archived entries by guest; a rated row is archived like any', async (fix) => {
    const { store, clock } = fix;
    let next = 0;
    const inn = createSuiteEngine({
      store,
      clock,
      archive: { sink: fix.archive },
      generateId: () => `0-${String(++next)}`,
    });
    await inn.createRoomType({
      id: 'A0',
      hotelId: HOTEL_ID,
      name: 'Annex',
      maxAdults: 2,
      baseRate: 9_000,
    });
    await inn.setInventory({
      hotelId: HOTEL_ID,
      roomTypeId: 'A0',
      from: TODAY,
      to: day(3),
      total: 2,
    });
    await inn.setRates({
      hotelId: HOTEL_ID,
      roomTypeId: 'A0',
      from: day(1),
      to: day(1),
      amount: 7_500,
    });
    const stay = await inn.book(
      bookingRequest({
        checkIn: day(1),
        checkOut: day(2),
        lines: [{ roomTypeId: 'A0', adults: 1 }],
      }),
    );
    await inn.cancel({ reservationId: stay.id });
    clock.advance(100 * DAY_MS);
    const listed = await store.listArchivable({ hotelId: HOTEL_ID, before: day(5), limit: 10 });
    assert.deepEqual(ids(listed), [stay.id]);
    const rows = await store.listCalendarBefore({ hotelId: HOTEL_ID, before: day(3), limit: 3 });
    assert.deepEqual(
      rows.map((d) => [d.roomTypeId, d.date, d.rate]),
      [
        ['A0', TODAY, null],
        ['A0', day(1), 7_500],
        ['A0', day(2), null],
      ],
    );
    const run = await inn.archive({ before: day(3) });
    assert.equal(run.reservations, 1);
    assert.equal(
      (await store.listCalendarBefore({ hotelId: HOTEL_ID, before: day(3), limit: 100 })).length,
      0,
      'every row before the cut-off left, the rated one too',
    );
    const [entry] = await store.findArchived({ by: 'guest', email: 'ada@example.com', limit: 10 });
    assert.equal(entry?.reservationId, stay.id);
  });
}
