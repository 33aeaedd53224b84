import assert from 'node:assert/strict';
import type { InnkeeperEvent, InnkeeperStore } from '@innkeeper/core';
import { rejectsWithCode } from '../assert-error.js';
import {
  bookingRequest,
  day,
  type Fixture,
  fixtureTest,
  HOTEL_ID,
  INVENTORY_DAYS,
} from '../fixture.js';
import type { ConformanceGroup } from '../group.js';

const allEvents = (store: InnkeeperStore) => store.readEvents(0, 100_000);

/** The invariant audit and the change feed (transactional outbox). */
export const auditAndEventsGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);

  /** A bit of everything: book, hold, confirm, cancel, modify, expire, out of order. */
  async function mixedDay({ inn, clock }: Fixture) {
    const a = await inn.book(
      bookingRequest({
        checkIn: day(1),
        checkOut: day(4),
        lines: [
          { roomTypeId: 'std', rooms: 3, adults: 1 },
          { roomTypeId: 'dorm', rooms: 2, adults: 1 },
        ],
      }),
    );
    const b = await inn.hold({
      ...bookingRequest({ lines: [{ roomTypeId: 'suite', adults: 1 }] }),
      ttlSeconds: 60,
    });
    const c = await inn.hold(bookingRequest({ checkIn: day(2), checkOut: day(5) }));
    await inn.confirm({ reservationId: c.id });
    const d = await inn.book(bookingRequest({ checkIn: day(3), checkOut: day(6) }));
    await inn.cancel({ reservationId: d.id });
    await inn.modify({ reservationId: a.id, checkIn: day(2), checkOut: day(7) });
    await inn.takeOutOfOrder({
      hotelId: HOTEL_ID,
      roomTypeId: 'std',
      from: day(10),
      to: day(12),
      rooms: 2,
    });
    clock.advance(61_000);
    await inn.expireHolds();
    return { a, b, c, d };
  }

  test('audit() is ok with no findings after a mix of operations, and counts rows and reservations', async (fix) => {
    const fresh = await fix.inn.audit();
    assert.deepEqual(fresh, {
      ok: true,
      rowsChecked: 3 * INVENTORY_DAYS,
      reservationsChecked: 0,
      findings: [],
    });
    await mixedDay(fix);
    assert.deepEqual(await fix.inn.audit(), {
      ok: true,
      rowsChecked: 3 * INVENTORY_DAYS,
      reservationsChecked: 4,
      findings: [],
    });
    assert.deepEqual(await fix.store.audit({ hotelId: HOTEL_ID }), await fix.store.audit());
  });

  test('audit({ hotelId }) checks only that hotel', async ({ inn, store }) => {
    await inn.createHotel({ id: 'h2', name: 'Two', timeZone: 'Europe/Paris', currency: 'EUR' });
    await inn.createRoomType({
      id: 'std',
      hotelId: 'h2',
      name: 'Standard',
      maxAdults: 2,
      baseRate: 100,
    });
    await inn.setInventory({
      hotelId: 'h2',
      roomTypeId: 'std',
      from: day(0),
      to: day(4),
      total: 2,
    });
    await inn.book({ ...bookingRequest(), hotelId: 'h2' });
    await inn.book(bookingRequest());
    await inn.book(bookingRequest());
    assert.deepEqual(await store.audit({ hotelId: 'h2' }), {
      ok: true,
      rowsChecked: 5,
      reservationsChecked: 1,
      findings: [],
    });
    const all = await store.audit();
    assert.deepEqual([all.rowsChecked, all.reservationsChecked], [3 * INVENTORY_DAYS + 5, 3]);
  });

  test('audit() reports drift when reserved disagrees with the reservations', async ({
    inn,
    store,
  }) => {
    const r = await inn.book(bookingRequest({ lines: [{ roomTypeId: 'dorm', adults: 1 }] }));
    const twin = { ...structuredClone(r), id: 'twin', idempotencyKey: 'twin' };
    // A plan whose deltas leave out its own nights: the audit must notice.
    assert.equal((await store.applyBooking({ reservation: twin, deltas: [] })).kind, 'created');
    const report = await store.audit();
    assert.equal(report.ok, false);
    assert.deepEqual(report.findings, [
      {
        hotelId: HOTEL_ID,
        roomTypeId: 'dorm',
        date: day(1),
        reserved: 1,
        expected: 2,
        capacity: 20,
        problem: 'drift',
      },
    ]);
  });

  test('readEvents(afterSeq, limit) returns strictly increasing seq and pages without gaps or repeats', async (fix) => {
    await mixedDay(fix);
    const events = await allEvents(fix.store);
    assert.ok(events.length >= 10);
    for (let i = 1; i < events.length; i++)
      assert.ok((events[i]?.seq ?? 0) > (events[i - 1]?.seq ?? 0));
    const paged: InnkeeperEvent[] = [];
    for (let after = 0; ; ) {
      const page = await fix.store.readEvents(after, 3);
      assert.ok(page.length <= 3);
      if (page.length === 0) break;
      paged.push(...page);
      after = page[page.length - 1]?.seq ?? after;
    }
    assert.deepEqual(paged, events);
    const middle = events[4]?.seq ?? 0;
    assert.deepEqual(await fix.store.readEvents(middle, 2), events.slice(5, 7));
    assert.deepEqual(await fix.inn.readEvents(middle, 2), events.slice(5, 7));
    assert.deepEqual(await fix.store.readEvents(events.at(-1)?.seq ?? 0, 10), []);
  });

  test('every change appends one event of its type, in order', async (fix) => {
    const start = (await allEvents(fix.store)).length;
    const { a, b, c, d } = await mixedDay(fix);
    const tail = (await allEvents(fix.store)).slice(start).map((e) => [e.type, e.reservationId]);
    assert.deepEqual(tail, [
      ['reservation.created', a.id],
      ['reservation.created', b.id],
      ['reservation.created', c.id],
      ['reservation.confirmed', c.id],
      ['reservation.created', d.id],
      ['reservation.cancelled', d.id],
      ['reservation.modified', a.id],
      ['inventory.changed', null],
      ['reservation.expired', b.id],
    ]);
  });

  test("each event's days are the rows as they were right after that change, not as they are now", async ({
    inn,
    store,
  }) => {
    const start = (await allEvents(store)).length;
    const first = await inn.book(
      bookingRequest({ lines: [{ roomTypeId: 'std', rooms: 2, adults: 1 }] }),
    );
    await inn.book(bookingRequest({ lines: [{ roomTypeId: 'std', rooms: 3, adults: 1 }] }));
    await inn.cancel({ reservationId: first.id });
    const events = (await allEvents(store)).slice(start);
    assert.deepEqual(
      events.map((e) => e.days.map((d) => [d.roomTypeId, d.date, d.reserved])),
      [[['std', day(1), 2]], [['std', day(1), 5]], [['std', day(1), 3]]],
    );
    assert.ok(events.every((e) => e.hotelId === HOTEL_ID && e.at === '2030-06-01T12:00:00.000Z'));
  });

  test('failed or repeated commands append no event: SOLD_OUT, RESTRICTED, VALIDATION, reused key, replay, second cancel, refused inventory', async ({
    inn,
    store,
  }) => {
    const request = bookingRequest({ lines: [{ roomTypeId: 'suite', adults: 1 }] });
    const r = await inn.book(request);
    const before = await allEvents(store);
    await rejectsWithCode(
      inn.book(bookingRequest({ lines: [{ roomTypeId: 'suite', adults: 1 }] })),
      'SOLD_OUT',
    );
    await inn.setStopSell({
      hotelId: HOTEL_ID,
      roomTypeId: 'dorm',
      from: day(1),
      to: day(1),
      stopSell: true,
    });
    const closed = await allEvents(store);
    assert.equal(closed.length, before.length + 1);
    await rejectsWithCode(
      inn.book(bookingRequest({ lines: [{ roomTypeId: 'dorm', adults: 1 }] })),
      'RESTRICTED',
    );
    await rejectsWithCode(inn.book(bookingRequest({ checkOut: day(1) })), 'VALIDATION');
    await rejectsWithCode(inn.book({ ...request, checkOut: day(3) }), 'IDEMPOTENCY_KEY_REUSED');
    await inn.book(request);
    await rejectsWithCode(
      inn.takeOutOfOrder({
        hotelId: HOTEL_ID,
        roomTypeId: 'suite',
        from: day(1),
        to: day(1),
        rooms: 1,
      }),
      'CONFLICT',
    );
    await inn.cancel({ reservationId: r.id });
    const cancelled = await allEvents(store);
    await inn.cancel({ reservationId: r.id });
    await rejectsWithCode(inn.modify({ reservationId: r.id, checkIn: r.checkIn }), 'INVALID_STATE');
    assert.deepEqual(await allEvents(store), cancelled);
    assert.equal(cancelled.length, closed.length + 1);
  });
};
