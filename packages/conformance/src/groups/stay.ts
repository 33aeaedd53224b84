import assert from 'node:assert/strict';
import type { Innkeeper } from '@innkeeper/core';
import { rejectsWithCode } from '../assert-error.js';
import {
  bookingRequest,
  day,
  type Fixture,
  fixtureTest,
  HOTEL_ID,
  reservedOn,
  TODAY,
} from '../fixture.js';
import type { ConformanceGroup } from '../group.js';
import { paymentTest } from '../payment-fixture.js';
import { createSuiteEngine } from '../suite-engine.js';

/**
 * The stay after booking: arrival (`checkIn`), departure (`checkOut`, early or not), the
 * undo of either, and the moves the state table of docs/concepts.md forbids (a no-show
 * or a cancellation of a guest in the hotel, a cancellation after arrival without
 * `force`, a check-in before the arrival date). One test per row of the table's new
 * moves; a refused move writes nothing (no version, no event, no row).
 */
export const stayGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);
  const paid = paymentTest(api, options);
  // Three std nights from TODAY (10 000 a night); the fixture's clock is 14:00 in Paris
  // on TODAY, the arrival date.
  const threeNights = () => bookingRequest({ checkIn: TODAY, checkOut: day(3) });
  const at = (fix: Fixture, iso: string) => fix.clock.set(iso);

  /** What a refused move must leave: the same reservation, events and rows as before. */
  async function assertNothingWritten(fix: Fixture, id: string, call: () => Promise<unknown>) {
    const before = await fix.store.getReservation(id);
    const events = await fix.store.readEvents(0, 100_000);
    const rows = await reservedOn(fix.store, 'std', TODAY, day(5));
    await rejectsWithCode(call(), 'INVALID_STATE');
    assert.deepEqual(await fix.store.getReservation(id), before);
    assert.equal((await fix.store.readEvents(0, 100_000)).length, events.length);
    assert.deepEqual(await reservedOn(fix.store, 'std', TODAY, day(5)), rows);
  }

  test('checkIn(): confirmed -> checked-in on the arrival date; nights stay reserved; repeating it changes nothing', async (fix) => {
    const { inn, store } = fix;
    const r = await inn.book(threeNights());
    const now = fix.clock.now().toISOString();
    const inHouse = await inn.checkIn({ reservationId: r.id });
    assert.deepEqual(inHouse, {
      ...r,
      status: 'checked-in',
      checkedInAt: now,
      updatedAt: now,
      version: 2,
      history: [...r.history, { at: now, action: 'checked-in', status: 'checked-in' }],
    });
    assert.deepEqual(await store.getReservation(r.id), inHouse);
    assert.deepEqual(await reservedOn(store, 'std', TODAY, day(4)), [1, 1, 1, 0]);
    const [event] = (await store.readEvents(0, 100_000)).slice(-1);
    assert.equal(event?.type, 'reservation.checked-in');
    assert.deepEqual(event?.days, []);
    const seq = event?.seq ?? 0;
    assert.deepEqual(await inn.checkIn({ reservationId: r.id }), inHouse);
    assert.deepEqual(await store.readEvents(seq, 10), []);
    assert.equal((await inn.audit()).ok, true);
  });

  test('checkIn() is refused before the arrival date, from the departure date on, and for a hold or a cancelled stay', async (fix) => {
    const { inn } = fix;
    const tomorrow = await inn.book(bookingRequest({ checkIn: day(1), checkOut: day(2) }));
    await assertNothingWritten(fix, tomorrow.id, () => inn.checkIn({ reservationId: tomorrow.id }));
    const hold = await inn.hold(threeNights());
    await assertNothingWritten(fix, hold.id, () => inn.checkIn({ reservationId: hold.id }));
    const cancelled = await inn.book(bookingRequest({ checkIn: day(1), checkOut: day(2) }));
    await inn.cancel({ reservationId: cancelled.id });
    await assertNothingWritten(fix, cancelled.id, () =>
      inn.checkIn({ reservationId: cancelled.id }),
    );
    // The departure date of `tomorrow` (day 2) has come: too late to arrive.
    at(fix, `${day(2)}T08:00:00.000Z`);
    await assertNothingWritten(fix, tomorrow.id, () => inn.checkIn({ reservationId: tomorrow.id }));
  });

  test('frontDesk.earlyArrivalHours lets a guest in that many hours before the arrival date, not earlier', async (fix) => {
    const { store, clock } = fix;
    const early: Innkeeper = createSuiteEngine({
      store,
      clock,
      frontDesk: { earlyArrivalHours: 3 },
    });
    const r = await early.book(bookingRequest({ checkIn: day(1), checkOut: day(2) }));
    // Paris is UTC+2 in June: day 1 starts at 22:00 UTC on TODAY; three hours before is 19:00.
    at(fix, `${TODAY}T18:59:00.000Z`);
    await assertNothingWritten(fix, r.id, () => early.checkIn({ reservationId: r.id }));
    at(fix, `${TODAY}T19:00:00.000Z`);
    assert.equal((await early.checkIn({ reservationId: r.id })).status, 'checked-in');
  });

  test('a guest in the hotel is never a no-show and is never cancelled', async (fix) => {
    const { inn } = fix;
    const r = await inn.book(threeNights());
    await inn.checkIn({ reservationId: r.id });
    at(fix, `${day(1)}T06:00:00.000Z`);
    await assertNothingWritten(fix, r.id, () => inn.markNoShow({ reservationId: r.id }));
    await assertNothingWritten(fix, r.id, () => inn.cancel({ reservationId: r.id }));
    await assertNothingWritten(fix, r.id, () =>
      inn.cancel({ reservationId: r.id, force: { by: 'manager', reason: 'mistake' } }),
    );
  });

  test('cancel() after arrival is refused (a no-show instead), and six days after departure too; force records who and why', async (fix) => {
    const { inn, store } = fix;
    const r = await inn.book(bookingRequest({ checkIn: day(1), checkOut: day(2) }));
    // Past the 15:00 check-in time (Paris) of the arrival date, and long after departure.
    at(fix, `${day(1)}T14:00:00.000Z`);
    await assertNothingWritten(fix, r.id, () => inn.cancel({ reservationId: r.id }));
    at(fix, `${day(8)}T10:00:00.000Z`);
    await assertNothingWritten(fix, r.id, () => inn.cancel({ reservationId: r.id }));
    const forced = await inn.cancel({
      reservationId: r.id,
      force: { by: 'night manager', reason: 'booked twice by the agency' },
    });
    assert.equal(forced.status, 'cancelled');
    assert.deepEqual(forced.history.at(-1), {
      at: fix.clock.now().toISOString(),
      action: 'cancelled',
      status: 'cancelled',
      reason: 'forced after arrival: booked twice by the agency',
      by: 'night manager',
    });
    assert.deepEqual(await reservedOn(store, 'std', day(1), day(2)), [0]);
  });

  test('checkOut() on the departure date keeps the stay whole; repeating it changes nothing; a confirmed stay is not checked out', async (fix) => {
    const { inn, store } = fix;
    const r = await inn.book(threeNights());
    await assertNothingWritten(fix, r.id, () => inn.checkOut({ reservationId: r.id }));
    await inn.checkIn({ reservationId: r.id });
    at(fix, `${day(3)}T09:00:00.000Z`);
    const out = await inn.checkOut({ reservationId: r.id });
    const now = fix.clock.now().toISOString();
    assert.equal(out.status, 'checked-out');
    assert.equal(out.checkedOutAt, now);
    assert.equal(out.checkOut, day(3));
    assert.equal(out.total, r.total);
    assert.equal(out.settlement, null);
    assert.deepEqual(out.history.at(-1), { at: now, action: 'checked-out', status: 'checked-out' });
    // The nights stayed remain counted: they were sold and used.
    assert.deepEqual(await reservedOn(store, 'std', TODAY, day(4)), [1, 1, 1, 0]);
    assert.deepEqual(await inn.checkOut({ reservationId: r.id }), out);
    assert.equal((await inn.audit()).ok, true);
  });

  test('an early departure releases the nights from today, keeps the first night, re-prices the stay and records what it kept', async (fix) => {
    const { inn, store } = fix;
    const r = await inn.book(threeNights());
    await inn.checkIn({ reservationId: r.id });
    // Same day: the first night is kept, the other two go back on sale.
    const out = await inn.checkOut({ reservationId: r.id });
    assert.equal(out.status, 'checked-out');
    assert.equal(out.checkOut, day(1));
    assert.deepEqual(
      out.lines[0]?.nights.map((n) => n.date),
      [TODAY],
    );
    assert.equal(out.total, 10_000);
    // The standard plan cancels free: the nights given back cost nothing.
    assert.deepEqual(out.settlement, {
      kind: 'early-departure',
      at: fix.clock.now().toISOString(),
      penalty: 0,
      refund: 0,
    });
    assert.equal(out.earlyDeparture?.checkOut, day(3));
    assert.equal(out.earlyDeparture?.total, r.total);
    assert.deepEqual(await reservedOn(store, 'std', TODAY, day(4)), [1, 0, 0, 0]);
    const [event] = (await store.readEvents(0, 100_000)).slice(-1);
    assert.equal(event?.type, 'reservation.checked-out');
    assert.deepEqual(
      event?.days.map((d) => [d.date, d.reserved]),
      [
        [day(1), 0],
        [day(2), 0],
      ],
    );
    assert.equal((await inn.audit()).ok, true);
  });

  paid(
    'an early departure refunds what the captured terms do not keep (the worked example of concepts.md)',
    async ({ inn, store, clock, gateway }) => {
      await inn.upsertCancellationPolicy({
        hotelId: HOTEL_ID,
        policy: {
          id: 'one-night',
          name: 'One night from 24 h before',
          windows: [{ hoursBeforeCheckIn: 24, penalty: { kind: 'nights', nights: 1 } }],
        },
      });
      await inn.upsertRatePlan({
        hotelId: HOTEL_ID,
        ratePlan: { id: 'plan', name: 'Plan', cancellationPolicyId: 'one-night' },
      });
      const r = await inn.book(
        bookingRequest({
          checkIn: TODAY,
          checkOut: day(3),
          lines: [{ roomTypeId: 'std', ratePlanId: 'plan', rooms: 1, adults: 2 }],
        }),
      );
      assert.equal(r.payment?.amount, 30_000);
      await inn.checkIn({ reservationId: r.id });
      // The next morning: the guest stayed one night and leaves; nights two and three
      // (20 000) are given back, and the terms keep one night's price (10 000) for them.
      clock.set(`${day(1)}T08:00:00.000Z`);
      const out = await inn.checkOut({ reservationId: r.id });
      assert.equal(out.checkOut, day(1));
      assert.equal(out.total, 10_000);
      assert.deepEqual(out.settlement, {
        kind: 'early-departure',
        at: clock.now().toISOString(),
        penalty: 10_000,
        refund: 10_000,
      });
      // The refund went through the gateway at once.
      assert.equal(out.payment?.refunded, 10_000);
      assert.equal(out.payment?.refundDue, 0);
      assert.equal(
        gateway.refunds.reduce((sum, refund) => sum + refund.amount, 0),
        10_000,
      );
      assert.deepEqual(await reservedOn(store, 'std', TODAY, day(3)), [1, 0, 0]);
      assert.equal((await inn.audit()).ok, true);
    },
  );

  test('undoCheckIn() within the window restores confirmed with who and why in the history; after it, refused', async (fix) => {
    const { inn } = fix;
    const r = await inn.book(threeNights());
    const inHouse = await inn.checkIn({ reservationId: r.id });
    fix.clock.advance(29 * 60_000);
    const undone = await inn.undoCheckIn({
      reservationId: r.id,
      reason: 'wrong guest',
      by: 'desk 2',
    });
    const now = fix.clock.now().toISOString();
    assert.equal(undone.status, 'confirmed');
    assert.equal(undone.checkedInAt, undefined);
    assert.equal(undone.version, inHouse.version + 1);
    assert.deepEqual(undone.history.at(-1), {
      at: now,
      action: 'check-in-undone',
      status: 'confirmed',
      reason: 'wrong guest',
      by: 'desk 2',
    });
    await inn.checkIn({ reservationId: r.id });
    fix.clock.advance(31 * 60_000);
    await assertNothingWritten(fix, r.id, () =>
      inn.undoCheckIn({ reservationId: r.id, reason: 'too late' }),
    );
  });

  test('undoCheckOut() of an early departure takes the released nights again, or fails whole (SOLD_OUT) when they were sold', async (fix) => {
    const { inn, store } = fix;
    const r = await inn.book(
      bookingRequest({
        checkIn: TODAY,
        checkOut: day(3),
        lines: [{ roomTypeId: 'suite', rooms: 1, adults: 2 }],
      }),
    );
    await inn.checkIn({ reservationId: r.id });
    const out = await inn.checkOut({ reservationId: r.id });
    const back = await inn.undoCheckOut({ reservationId: r.id, reason: 'guest came back' });
    assert.equal(back.status, 'checked-in');
    assert.equal(back.checkOut, day(3));
    assert.deepEqual(back.lines, r.lines);
    assert.equal(back.total, r.total);
    assert.equal(back.settlement, null);
    assert.equal(back.earlyDeparture, undefined);
    assert.equal(back.checkedOutAt, undefined);
    assert.deepEqual(await reservedOn(store, 'suite', TODAY, day(3)), [1, 1, 1]);
    // Out early again, and the one suite sold for night 2 meanwhile: the undo cannot
    // take it back, so nothing changes.
    await inn.checkOut({ reservationId: r.id });
    await inn.book(
      bookingRequest({
        checkIn: day(2),
        checkOut: day(3),
        lines: [{ roomTypeId: 'suite', rooms: 1, adults: 1 }],
      }),
    );
    const before = await store.getReservation(r.id);
    await rejectsWithCode(inn.undoCheckOut({ reservationId: r.id, reason: 'again' }), 'SOLD_OUT');
    assert.deepEqual(await store.getReservation(r.id), before);
    assert.equal(out.status, 'checked-out');
    assert.equal((await inn.audit()).ok, true);
  });

  paid(
    'undoCheckOut() of an early departure that gave money back is refused, nothing written: the refund cannot be called back',
    async (fix) => {
      const { inn, store, gateway } = fix;
      const r = await inn.book(threeNights());
      await inn.checkIn({ reservationId: r.id });
      const out = await inn.checkOut({ reservationId: r.id });
      assert.equal(out.settlement?.refund, 20_000);
      assert.equal(gateway.refunds.length, 1);
      await assertNothingWritten(fix, r.id, () =>
        inn.undoCheckOut({ reservationId: r.id, reason: 'came back' }),
      );
      assert.deepEqual(await reservedOn(store, 'std', TODAY, day(3)), [1, 0, 0]);
    },
  );

  test('modify() of a guest in the hotel extends the stay when the nights are free, fails whole when not, and never moves the arrival', async (fix) => {
    const { inn, store } = fix;
    const r = await inn.book(
      bookingRequest({
        checkIn: TODAY,
        checkOut: day(2),
        lines: [{ roomTypeId: 'suite', rooms: 1, adults: 2 }],
      }),
    );
    await inn.checkIn({ reservationId: r.id });
    const longer = await inn.modify({ reservationId: r.id, checkOut: day(3) });
    assert.equal(longer.status, 'checked-in');
    assert.equal(longer.checkOut, day(3));
    assert.deepEqual(await reservedOn(store, 'suite', TODAY, day(4)), [1, 1, 1, 0]);
    await inn.book(
      bookingRequest({
        checkIn: day(3),
        checkOut: day(4),
        lines: [{ roomTypeId: 'suite', rooms: 1, adults: 1 }],
      }),
    );
    await rejectsWithCode(inn.modify({ reservationId: r.id, checkOut: day(4) }), 'SOLD_OUT');
    assert.deepEqual(await store.getReservation(r.id), longer);
    await assertNothingWritten(fix, r.id, () =>
      inn.modify({ reservationId: r.id, checkIn: day(1), checkOut: day(3) }),
    );
  });
};
