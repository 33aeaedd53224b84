import assert from 'node:assert/strict';
import { rejectsWithCode } from '../assert-error.js';
import { bookingRequest, day, fixtureTest, reservedOn, TODAY } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';

const NOON = `${TODAY}T12:00:00.000Z`;
const at = (seconds: number) => new Date(Date.parse(NOON) + seconds * 1000).toISOString();

/** hold(), confirm() and expireHolds(): rooms held for a while, then sold or released. */
export const holdsGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);
  const hold = (ttlSeconds?: number) => ({
    ...bookingRequest({ checkIn: day(1), checkOut: day(3) }),
    ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
  });

  test('hold() creates a held reservation expiring after 900 s by default, and reserves its nights', async ({
    inn,
    store,
  }) => {
    const r = await inn.hold(hold());
    assert.equal(r.status, 'held');
    assert.equal(r.holdExpiresAt, at(900));
    assert.deepEqual(r.history, [{ at: NOON, action: 'created', status: 'held' }]);
    assert.deepEqual(await store.getReservation(r.id), r);
    assert.deepEqual(await reservedOn(store, 'std', day(0), day(4)), [0, 1, 1, 0]);
    const short = await inn.hold(hold(60));
    assert.equal(short.holdExpiresAt, at(60));
  });

  test('confirm() turns a hold into confirmed, clears holdExpiresAt and records the change once', async ({
    inn,
    store,
    clock,
  }) => {
    const held = await inn.hold(hold());
    clock.advance(899_000);
    const confirmed = await inn.confirm({ reservationId: held.id });
    assert.equal(confirmed.status, 'confirmed');
    assert.equal(confirmed.holdExpiresAt, null);
    assert.equal(confirmed.version, held.version + 1);
    assert.deepEqual(confirmed.history, [
      { at: NOON, action: 'created', status: 'held' },
      { at: at(899), action: 'confirmed', status: 'confirmed' },
    ]);
    assert.deepEqual(await store.getReservation(held.id), confirmed);
    clock.advance(10_000);
    assert.deepEqual(await inn.confirm({ reservationId: held.id }), confirmed);
    assert.deepEqual(await reservedOn(store, 'std', day(1), day(3)), [1, 1]);
    const events = await store.readEvents(0, 100_000);
    assert.deepEqual(
      events.filter((e) => e.type === 'reservation.confirmed').map((e) => e.reservationId),
      [held.id],
    );
  });

  test('confirm() and modify() once the TTL has run out are INVALID_STATE and leave the hold as it was', async ({
    inn,
    store,
    clock,
  }) => {
    const held = await inn.hold(hold(60));
    clock.advance(60_000);
    const error = await rejectsWithCode(inn.confirm({ reservationId: held.id }), 'INVALID_STATE');
    assert.deepEqual(error.details, { reservationId: held.id, status: 'held', action: 'confirm' });
    await rejectsWithCode(
      inn.modify({ reservationId: held.id, checkOut: day(4) }),
      'INVALID_STATE',
    );
    assert.deepEqual(await store.getReservation(held.id), held);
    assert.deepEqual(await reservedOn(store, 'std', day(1), day(4)), [1, 1, 0]);
  });

  test('expireHolds() releases only holds past their expiry, marks them expired, and never twice', async ({
    inn,
    store,
    clock,
  }) => {
    const stale = await inn.hold(hold(60));
    const fresh = await inn.hold(hold(3600));
    const confirmedHold = await inn.hold(hold(60));
    await inn.confirm({ reservationId: confirmedHold.id });
    const booked = await inn.book(hold());
    clock.advance(120_000);
    const expired = await inn.expireHolds();
    assert.deepEqual(
      expired.map((r) => r.id),
      [stale.id],
    );
    assert.equal(expired[0]?.status, 'expired');
    assert.deepEqual(expired[0]?.history.at(-1), {
      at: at(120),
      action: 'expired',
      status: 'expired',
      reason: 'hold expired',
    });
    assert.deepEqual(await store.getReservation(stale.id), expired[0]);
    assert.equal((await store.getReservation(fresh.id))?.status, 'held');
    assert.equal((await store.getReservation(confirmedHold.id))?.status, 'confirmed');
    assert.equal((await store.getReservation(booked.id))?.status, 'confirmed');
    assert.deepEqual(await reservedOn(store, 'std', day(1), day(3)), [3, 3]);
    assert.deepEqual(await inn.expireHolds(), []);
    assert.deepEqual(await reservedOn(store, 'std', day(1), day(3)), [3, 3]);
    const events = await store.readEvents(0, 100_000);
    const expiredEvents = events.filter((e) => e.type === 'reservation.expired');
    assert.deepEqual(
      expiredEvents.map((e) => e.reservationId),
      [stale.id],
    );
    assert.deepEqual(
      expiredEvents[0]?.days.map((d) => d.reserved),
      [3, 3],
    );
  });

  test('expireHolds({ limit }) expires at most limit holds per call; expireHolds({ now }) uses that instant', async ({
    inn,
    store,
  }) => {
    for (let i = 0; i < 3; i++) await inn.hold(hold(60));
    assert.deepEqual(await inn.expireHolds({ now: new Date(at(59)) }), []);
    assert.equal((await inn.expireHolds({ now: new Date(at(60)), limit: 2 })).length, 2);
    assert.deepEqual(await reservedOn(store, 'std', day(1), day(3)), [1, 1]);
    assert.equal((await inn.expireHolds({ now: new Date(at(60)), limit: 2 })).length, 1);
    assert.deepEqual(await inn.expireHolds({ now: new Date(at(60)) }), []);
    assert.deepEqual(await reservedOn(store, 'std', day(1), day(3)), [0, 0]);
  });

  test('a hold that was modified is still a hold: expireHolds() expires it once its TTL has passed', async ({
    inn,
    store,
    clock,
  }) => {
    const held = await inn.hold(hold(60));
    clock.advance(30_000);
    const modified = await inn.modify({ reservationId: held.id, checkOut: day(4) });
    assert.deepEqual([modified.status, modified.holdExpiresAt], ['held', at(60)]);
    assert.deepEqual(await reservedOn(store, 'std', day(1), day(4)), [1, 1, 1]);
    assert.deepEqual(await inn.expireHolds({ now: new Date(at(59)) }), []);
    clock.advance(30_000);
    const expired = await inn.expireHolds();
    assert.deepEqual(
      expired.map((r) => [r.id, r.status, r.checkOut]),
      [[held.id, 'expired', day(4)]],
    );
    assert.deepEqual(await reservedOn(store, 'std', day(1), day(4)), [0, 0, 0]);
  });

  test('cancel() of a held reservation releases its nights', async ({ inn, store }) => {
    const held = await inn.hold(hold());
    const cancelled = await inn.cancel({ reservationId: held.id, reason: 'cart abandoned' });
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.holdExpiresAt, null);
    assert.deepEqual(await reservedOn(store, 'std', day(1), day(3)), [0, 0]);
    await rejectsWithCode(inn.confirm({ reservationId: held.id }), 'INVALID_STATE');
  });

  test('confirm() of an expired reservation is INVALID_STATE and re-reserves nothing', async ({
    inn,
    store,
    clock,
  }) => {
    const held = await inn.hold({
      ...bookingRequest({ lines: [{ roomTypeId: 'suite', adults: 1 }] }),
      ttlSeconds: 60,
    });
    clock.advance(61_000);
    await inn.expireHolds();
    const error = await rejectsWithCode(inn.confirm({ reservationId: held.id }), 'INVALID_STATE');
    assert.equal(error.details.status, 'expired');
    assert.deepEqual(await reservedOn(store, 'suite', day(1), day(2)), [0]);
    assert.equal((await store.getReservation(held.id))?.status, 'expired');
  });

  test('confirm() of a booking that is already confirmed returns it unchanged', async ({
    inn,
    store,
  }) => {
    const booked = await inn.book(bookingRequest());
    assert.deepEqual(await inn.confirm({ reservationId: booked.id }), booked);
    assert.deepEqual(await store.getReservation(booked.id), booked);
  });
};
