import assert from 'node:assert/strict';
import type { InnkeeperStore, Reservation } from '@innkeeper/core';
import {
  type Decision,
  decideCancel,
  RESERVATION_EVENT_TYPES,
  type ReservationDecider,
} from '@innkeeper/core/store';
import { rejectsWithIssue } from '../assert-error.js';
import { bookingRequest, day, type Fixture, fixtureTest, reservedOn, TODAY } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';

const NOON = `${TODAY}T12:00:00.000Z`;
const at = (seconds: number) => new Date(Date.parse(NOON) + seconds * 1000).toISOString();

/** A note on the reservation's history and nothing else: a valid `apply` with no deltas. */
function note(current: Reservation, reason: string, seconds = 1): Decision {
  const when = at(seconds);
  const next: Reservation = {
    ...current,
    version: current.version + 1,
    updatedAt: when,
    history: [...current.history, { at: when, action: 'payment', status: current.status, reason }],
  };
  return { kind: 'apply', next, deltas: [], action: 'payment' };
}

/** Everything a change could write: the reservation, the rows of its stay, the feed, the audit. */
async function snapshot(store: InnkeeperStore, reservationId: string) {
  return {
    reservation: await store.getReservation(reservationId),
    std: await reservedOn(store, 'std', day(0), day(4)),
    suite: await reservedOn(store, 'suite', day(0), day(4)),
    events: (await store.readEvents(0, 100_000)).length,
    audit: await store.audit(),
  };
}

/** Two confirmed stays: `std` nights 1-2 and the one `suite` on night 2 (now full). */
async function twoStays({ inn }: Fixture) {
  const stay = await inn.book(bookingRequest({ checkIn: day(1), checkOut: day(3) }));
  const suite = await inn.book(
    bookingRequest({
      checkIn: day(2),
      checkOut: day(3),
      lines: [{ roomTypeId: 'suite', rooms: 1, adults: 1 }],
    }),
  );
  return { stay, suite };
}

/**
 * The store's one reservation command, driven directly through the port with deciders of
 * the test's own: `decide` is called exactly once, on the reservation as stored; what it
 * returns is applied exactly (the reservation, the deltas capacity-checked like a
 * booking, the event of its action) or, for anything but `apply`, nothing is written; a
 * decision that breaks the revision rule is refused, whatever it would have written.
 */
export const changeReservationGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);

  test('store.changeReservation() calls the decider once, on the reservation as stored, and applies exactly its decision: the reservation, the deltas, the event of its action', async (fix) => {
    const { store } = fix;
    const { stay } = await twoStays(fix);
    const events = (await store.readEvents(0, 100_000)).length;
    const seen: Reservation[] = [];
    let decided: Decision | undefined;
    const outcome = await store.changeReservation(stay.id, (current) => {
      seen.push(structuredClone(current));
      decided = decideCancel(current, at(1), 'test');
      return decided;
    });
    assert.deepEqual(seen, [stay]);
    assert.equal(decided?.kind, 'apply');
    if (decided?.kind !== 'apply') return;
    assert.deepEqual(outcome, { kind: 'applied', reservation: decided.next });
    assert.deepEqual(await store.getReservation(stay.id), decided.next);
    assert.deepEqual(await reservedOn(store, 'std', day(0), day(4)), [0, 0, 0, 0]);
    const feed = (await store.readEvents(0, 100_000)).slice(events);
    assert.deepEqual(
      feed.map((e) => [e.type, e.at, e.hotelId, e.reservationId]),
      [[RESERVATION_EVENT_TYPES.cancelled, at(1), stay.hotelId, stay.id]],
    );
    assert.deepEqual(
      feed[0]?.days.map((d) => [d.roomTypeId, d.date, d.reserved]),
      [
        ['std', day(1), 0],
        ['std', day(2), 0],
      ],
    );
    assert.equal((await store.audit()).ok, true);
  });

  test('store.changeReservation() with unchanged, invalid-state or conflict writes nothing and answers that kind with the reservation as stored; not-found never calls the decider', async (fix) => {
    const { store } = fix;
    const { stay } = await twoStays(fix);
    const before = await snapshot(store, stay.id);
    for (const kind of ['unchanged', 'invalid-state', 'conflict'] as const) {
      const outcome = await store.changeReservation(stay.id, (current) => ({
        kind,
        reservation: current,
      }));
      assert.deepEqual(outcome, { kind, reservation: stay });
    }
    let called = false;
    const missing = await store.changeReservation('no-such-reservation', (current) => {
      called = true;
      return note(current, 'never');
    });
    assert.deepEqual([missing, called], [{ kind: 'not-found' }, false]);
    assert.deepEqual(await snapshot(store, stay.id), before);
  });

  test('store.changeReservation() checks positive deltas like a booking: a night that does not fit makes the whole decision unavailable, releases included, and nothing is written', async (fix) => {
    const { store } = fix;
    const { stay } = await twoStays(fix);
    const before = await snapshot(store, stay.id);
    const outcome = await store.changeReservation(stay.id, (current) => {
      const decision = note(current, 'move to the suite');
      if (decision.kind !== 'apply') return decision;
      return {
        ...decision,
        action: 'modified',
        deltas: [
          { roomTypeId: 'std', date: day(2), rooms: -1 },
          { roomTypeId: 'suite', date: day(2), rooms: 1 },
        ],
      };
    });
    assert.deepEqual(outcome, {
      kind: 'unavailable',
      nights: [
        { roomTypeId: 'suite', date: day(2), requested: 1, remaining: 0, reason: 'sold-out' },
      ],
    });
    assert.deepEqual(await snapshot(store, stay.id), before);
  });

  test('the revision rule: an apply decision for another reservation, another hotel, or any version but current + 1 is refused (VALIDATION at decision.next.<field>) and nothing is written', async (fix) => {
    const { store } = fix;
    const { stay, suite } = await twoStays(fix);
    const before = await snapshot(store, stay.id);
    const other = await store.getReservation(suite.id);
    // Each would also release the stay's nights, were it written.
    const wrong: [string, (r: Reservation) => Partial<Reservation>][] = [
      ['version', (r) => ({ version: r.version })],
      ['version', (r) => ({ version: r.version + 2 })],
      ['version', (r) => ({ version: r.version - 1 })],
      ['id', () => ({ id: suite.id })],
      ['hotelId', () => ({ hotelId: 'h2' })],
    ];
    for (const [field, change] of wrong) {
      let calls = 0;
      const decide: ReservationDecider = (current) => {
        calls++;
        const decision = decideCancel(current, at(1));
        if (decision.kind !== 'apply') return decision;
        return { ...decision, next: { ...decision.next, ...change(current) } };
      };
      await rejectsWithIssue(store.changeReservation(stay.id, decide), ['decision', 'next', field]);
      assert.equal(calls, 1, `the decider breaking ${field} was called ${calls} times`);
      assert.deepEqual(await snapshot(store, stay.id), before);
      assert.deepEqual(await store.getReservation(suite.id), other);
    }
  });

  test('a decider that mutates the reservation it is handed changes nothing stored', async (fix) => {
    const { store } = fix;
    const { stay } = await twoStays(fix);
    const before = await snapshot(store, stay.id);
    const outcome = await store.changeReservation(stay.id, (current) => {
      current.status = 'cancelled';
      current.guest.name = 'Mallory';
      current.lines[0]?.nights.splice(0);
      return { kind: 'unchanged', reservation: current };
    });
    assert.equal(outcome.kind, 'unchanged');
    assert.deepEqual(await snapshot(store, stay.id), before);
  });

  test('concurrent changes of one reservation are serialized: each decider sees the one before it applied (no lost update)', async (fix) => {
    const { store } = fix;
    const { stay } = await twoStays(fix);
    const writers = 8;
    const seen: number[] = [];
    const outcomes = await Promise.all(
      Array.from({ length: writers }, (_, i) =>
        store.changeReservation(stay.id, (current) => {
          seen.push(current.version);
          return note(current, `writer ${i}`, i + 1);
        }),
      ),
    );
    assert.deepEqual(
      outcomes.map((o) => o.kind),
      Array(writers).fill('applied'),
    );
    // A store may run a section again (a deadlock, a lost connection): every version is
    // still seen, each applied once.
    assert.deepEqual(
      [...new Set(seen)].sort((a, b) => a - b),
      Array.from({ length: writers }, (_, i) => stay.version + i),
    );
    const stored = await store.getReservation(stay.id);
    assert.equal(stored?.version, stay.version + writers);
    assert.deepEqual(
      stored?.history
        .slice(stay.history.length)
        .map((h) => h.reason)
        .sort(),
      Array.from({ length: writers }, (_, i) => `writer ${i}`).sort(),
    );
  });
};
