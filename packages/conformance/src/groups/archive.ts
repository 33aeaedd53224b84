import assert from 'node:assert/strict';
import type { Reservation } from '@innkeeper/core';
import { bookingRequest, day, fixtureTest, HOTEL_ID, TODAY } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';
import { archivePortTests } from './archive-port.js';
import { DAY_MS, finishedStays, ids } from './archive-stays.js';

/**
 * The archive: `archive()` moves finished reservations (checked out, cancelled, expired,
 * no-show) that checked out on or before the cut-off, and calendar rows dated before it,
 * out of the store into the archive sink, each exactly once; what is still open, or
 * changed while being archived, stays. Archived reservations are found again by id,
 * guest and idempotency key (the store's archive index), and the audit keeps passing.
 */
export const archiveGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);

  test('archive() moves finished stays checked out by the cut-off and past calendar rows out of the store, into committed files; open stays and later rows stay; the audit passes', async (fix) => {
    const { inn, store, clock, archive } = fix;
    const { finished, open } = await finishedStays(fix);
    // 100 days on: the default cut-off is 90 days before the hotel's today, day 10.
    clock.advance(98 * DAY_MS);
    const run = await inn.archive();
    assert.equal(run.ran, true);
    assert.equal(run.reservations, 3);
    assert.equal(run.kept, 0);
    assert.equal(run.calendarDays, 3 * 10, 'three room types, days 0 to 9');
    assert.equal(await store.getArchiveHorizon(HOTEL_ID), day(10));
    for (const r of finished) {
      assert.equal(await store.getReservation(r.id), null);
      assert.deepEqual(await inn.getArchivedReservation(r.id), r);
    }
    assert.deepEqual(await inn.getReservation(open.id), open);
    const files = await archive.files({ hotelId: HOTEL_ID });
    assert.ok(files.length >= 2 && files.every((f) => f.committed));
    assert.deepEqual(run.files.sort(), files.map((f) => f.path).sort());
    const archivedIds = files
      .filter((f) => f.kind === 'reservations')
      .flatMap((f) => f.path).length;
    assert.ok(archivedIds >= 1);
    const stay = await store.readStay({ hotelId: HOTEL_ID, from: TODAY, to: day(12) });
    assert.deepEqual(
      [...new Set(stay?.days.map((d) => d.date))].sort(),
      [day(10), day(11)],
      'rows before the cut-off left the store',
    );
    assert.equal((await inn.audit()).ok, true);
    // Nothing left to move: a second run moves nothing and leaves the files alone.
    const again = await inn.archive();
    assert.equal(again.reservations + again.calendarDays, 0);
    assert.equal((await archive.files()).length, files.length);
  });

  test('the archive files hold each archived reservation exactly once, as it was, and its calendar rows', async (fix) => {
    const { inn, clock, archive } = fix;
    const { finished } = await finishedStays(fix);
    clock.advance(98 * DAY_MS);
    await inn.archive();
    const records: unknown[] = [];
    const days: unknown[] = [];
    for (const file of await archive.files()) {
      const read = await archive.read(file.path);
      assert.equal(read.length, file.count);
      (file.kind === 'reservations' ? records : days).push(...read);
    }
    assert.deepEqual(ids(records as Reservation[]), ids(finished));
    assert.deepEqual(
      (records as Reservation[]).sort((a, b) => (a.id < b.id ? -1 : 1)),
      [...finished].sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
    assert.equal(days.length, 30);
  });

  test('with an explicit cut-off only stays that checked out by then leave; a cut-off still being sold is refused and nothing moves', async (fix) => {
    const { inn, store, clock } = fix;
    await finishedStays(fix);
    clock.advance(98 * DAY_MS);
    await assert.rejects(inn.archive({ before: day(101) }), { code: 'VALIDATION' });
    assert.equal(await store.getArchiveHorizon(HOTEL_ID), null);
    // Day 2: only the stay that checked out on day 2 (the cancelled one ends on day 3).
    const run = await inn.archive({ before: day(2) });
    assert.equal(run.reservations, 1);
    assert.equal(run.calendarDays, 3 * 2);
    assert.equal(await store.getArchiveHorizon(HOTEL_ID), day(2));
    assert.equal((await inn.audit()).ok, true);
    await assert.rejects(inn.archive({ hotelId: 'nope' }), { code: 'NOT_FOUND' });
  });

  test('archive({ limit }) stops after that many reservations; the next run takes the rest', async (fix) => {
    const { inn, clock } = fix;
    await finishedStays(fix);
    clock.advance(98 * DAY_MS);
    assert.equal((await inn.archive({ limit: 2 })).reservations, 2);
    assert.equal((await inn.archive({ limit: 2 })).reservations, 1);
    assert.equal((await inn.audit()).ok, true);
  });

  test('listArchivedReservations() pages a guest’s archived stays by id; getArchivedReservation() of one never archived is NOT_FOUND', async (fix) => {
    const { inn, clock } = fix;
    const { finished } = await finishedStays(fix);
    clock.advance(98 * DAY_MS);
    await inn.archive();
    const ada = finished.filter((r) => r.guest.email === 'ada@example.com');
    const first = await inn.listArchivedReservations({ guestEmail: 'ADA@example.com', limit: 1 });
    assert.equal(first.items.length, 1);
    assert.ok(first.nextCursor);
    const second = await inn.listArchivedReservations({
      guestEmail: 'ada@example.com',
      limit: 1,
      cursor: first.nextCursor,
    });
    assert.deepEqual(
      [...first.items, ...second.items],
      [...ada].sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
    assert.equal(second.nextCursor, null);
    const other = await inn.listArchivedReservations({
      guestEmail: 'ada@example.com',
      hotelId: 'h9',
    });
    assert.deepEqual(other, { items: [], nextCursor: null });
    await assert.rejects(inn.getArchivedReservation('never-archived'), { code: 'NOT_FOUND' });
  });

  test('a file an archiver wrote but never got to remove from the store is settled by the next run: removed, its stays archived once', async (fix) => {
    const { inn, store, clock, archive } = fix;
    const { finished } = await finishedStays(fix);
    clock.advance(98 * DAY_MS);
    // What a run that stopped right after writing leaves: an uncommitted file.
    const orphan = await archive.write({
      kind: 'reservations',
      hotelId: HOTEL_ID,
      month: TODAY.slice(0, 7),
      records: finished,
      writtenAt: clock.now().toISOString(),
    });
    const run = await inn.archive();
    assert.equal(run.settled, 1);
    assert.equal(run.reservations, 3);
    const files = await archive.files();
    assert.ok(!files.some((f) => f.path === orphan.path), 'the orphan is gone');
    const held: string[] = [];
    for (const f of files.filter((f) => f.kind === 'reservations')) {
      held.push(...((await archive.read(f.path)) as Reservation[]).map((r) => r.id));
    }
    assert.deepEqual(held.sort(), ids(finished));
    for (const r of finished) assert.equal(await store.getReservation(r.id), null);
  });

  test('the key of an archived reservation still answers: a replay gets the archived reservation, another request IDEMPOTENCY_KEY_REUSED, and the store refuses to reuse it', async ({
    inn,
    store,
    clock,
  }) => {
    const request = bookingRequest({ checkIn: day(1), checkOut: day(3) });
    const booked = await inn.book(request);
    const cancelled = await inn.cancel({ reservationId: booked.id });
    clock.advance(100 * DAY_MS);
    assert.equal((await inn.archive()).reservations, 1);
    assert.deepEqual(await inn.book(request), cancelled);
    const other = { ...request, checkIn: day(110), checkOut: day(111) };
    await assert.rejects(inn.book(other), {
      code: 'IDEMPOTENCY_KEY_REUSED',
      details: { idempotencyKey: request.idempotencyKey, reservationId: booked.id },
    });
    const [entry] = await store.findArchived({ by: 'ids', reservationIds: [booked.id] });
    const outcome = await store.applyBooking({
      reservation: { ...cancelled, id: 'new-one', status: 'confirmed', version: 1 },
      deltas: [],
    });
    assert.deepEqual(outcome, { kind: 'key-archived', archived: entry });
    assert.equal(await store.getReservation('new-one'), null);
  });

  test('archiving a stay frees the room-nights it held: the room calendar is empty and the room free', async (fix) => {
    const { inn, store, clock } = fix;
    await inn.createRoom({ hotelId: HOTEL_ID, id: 'r101', number: '101', roomTypeId: 'std' });
    const stayed = await inn.book(bookingRequest({ checkIn: TODAY, checkOut: day(2) }));
    await inn.assignRoom({ reservationId: stayed.id, roomId: 'r101' });
    await inn.checkIn({ reservationId: stayed.id });
    clock.advance(2 * DAY_MS);
    await inn.checkOut({ reservationId: stayed.id });
    assert.equal(
      (await store.listRoomNights({ hotelId: HOTEL_ID, from: TODAY, to: day(2) })).length,
      2,
    );
    clock.advance(98 * DAY_MS);
    assert.equal((await inn.archive()).reservations, 1);
    assert.deepEqual(
      await store.listRoomNights({ hotelId: HOTEL_ID, from: TODAY, to: day(2) }),
      [],
    );
  });

  test('two archive() runs at once: one runs, the other answers ran: false and moves nothing', async (fix) => {
    const { inn, clock } = fix;
    await finishedStays(fix);
    clock.advance(98 * DAY_MS);
    const runs = await Promise.all([inn.archive(), inn.archive()]);
    assert.deepEqual(runs.map((r) => r.ran).sort(), [false, true]);
    assert.equal(runs[0].reservations + runs[1].reservations, 3);
  });

  archivePortTests(api, options);
};
