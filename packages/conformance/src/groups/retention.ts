import assert from 'node:assert/strict';
import {
  DEFAULT_KEY_RETENTION_DAYS,
  ERASED_FINGERPRINT,
  ERASED_GUEST_EMAIL,
  type InnkeeperStore,
} from '@innkeeper/core';
import { rejectsWithCode } from '../assert-error.js';
import { bookingRequest, day, type Fixture, fixtureTest, HOTEL_ID } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';
import { createSuiteEngine } from '../suite-engine.js';
import { DAY_MS } from './archive-stays.js';

/**
 * Retention: the change feed is pruned behind its consumers' named cursors and its
 * retention, and a reader behind what was pruned is told (`FEED_PRUNED`) instead of
 * skipping events; an archived reservation's idempotency key answers for its retention
 * after archiving, and is a new request from that instant on.
 */
export const retentionGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);

  test('pruneEvents deletes the oldest events before the instant and up to the seq, never the newest; a reader behind them gets FEED_PRUNED; seqs go on rising', async (fix) => {
    const { store, clock } = fix;
    const start = await lastSeq(store);
    await bookEach(fix, 3);
    const at = clock.now().toISOString();
    clock.advance(DAY_MS);
    await bookEach(fix, 1);
    const everything = await store.readEvents(0, 1000);
    const mine = everything.filter((e) => e.seq > start).map((e) => e.seq);
    assert.equal(mine.length, 4);
    const [first, second, third, fourth] = mine as [number, number, number, number];

    // Bounded by seq: everything up to the second booking's event.
    assert.deepEqual(await store.pruneEvents({ before: FAR, throughSeq: second, limit: 1000 }), {
      pruned: everything.filter((e) => e.seq <= second).length,
      prunedThrough: second,
    });
    await rejectsWithDetails(store.readEvents(first, 10), {
      afterSeq: first,
      prunedThrough: second,
    });
    await rejectsWithDetails(store.readEvents(0, 10), { afterSeq: 0, prunedThrough: second });
    assert.deepEqual(
      (await store.readEvents(second, 10)).map((e) => e.seq),
      [third, fourth],
    );

    // Bounded by time: the third event is older than `at` + 1 ms, the fourth is not.
    const justAfter = new Date(Date.parse(at) + 1).toISOString();
    assert.deepEqual(await store.pruneEvents({ before: justAfter, limit: 1000 }), {
      pruned: 1,
      prunedThrough: third,
    });
    // Unbounded: everything but the newest event may go, and only it is left.
    assert.deepEqual(await store.pruneEvents({ before: FAR, limit: 1000 }), {
      pruned: 0,
      prunedThrough: third,
    });
    assert.deepEqual(
      (await store.readEvents(third, 10)).map((e) => e.seq),
      [fourth],
    );
    await bookEach(fix, 1);
    const [next] = await store.readEvents(fourth, 10);
    assert.equal(next?.seq, fourth + 1, 'the seq after a prune is one more than the newest');
  });

  test('pruneEvents takes a prefix in seq order, at most limit events, and never lowers the pruned-through seq', async (fix) => {
    const { store, clock } = fix;
    const start = await lastSeq(store);
    // The second booking's event carries a later instant than the third's (a clock that
    // went back): pruning stops there rather than leave it below the pruned-through seq.
    await bookEach(fix, 1);
    clock.advance(DAY_MS);
    await bookEach(fix, 1);
    clock.advance(-DAY_MS);
    await bookEach(fix, 2);
    const everything = await store.readEvents(0, 1000);
    const [first] = everything.filter((e) => e.seq > start).map((e) => e.seq) as [number];
    const before = new Date(clock.now().getTime() + DAY_MS / 2).toISOString();
    assert.deepEqual(await store.pruneEvents({ before, limit: 1000 }), {
      pruned: everything.filter((e) => e.seq <= first).length,
      prunedThrough: first,
    });
    assert.deepEqual(await store.pruneEvents({ before: FAR, limit: 1 }), {
      pruned: 1,
      prunedThrough: first + 1,
    });
    assert.deepEqual(await store.pruneEvents({ before: FAR, throughSeq: 0, limit: 1000 }), {
      pruned: 0,
      prunedThrough: first + 1,
    });
  });

  test('feed cursors are saved, moved, listed by name and deleted', async ({ store }) => {
    assert.deepEqual(await store.listFeedCursors(), []);
    await store.saveFeedCursor({
      name: 'search-index',
      seq: 5,
      updatedAt: '2030-06-01T12:00:00.000Z',
    });
    await store.saveFeedCursor({
      name: 'redis-relay',
      seq: 7,
      updatedAt: '2030-06-01T12:00:00.000Z',
    });
    await store.saveFeedCursor({
      name: 'search-index',
      seq: 3,
      updatedAt: '2030-06-02T12:00:00.000Z',
    });
    assert.deepEqual(await store.listFeedCursors(), [
      { name: 'redis-relay', seq: 7, updatedAt: '2030-06-01T12:00:00.000Z' },
      { name: 'search-index', seq: 3, updatedAt: '2030-06-02T12:00:00.000Z' },
    ]);
    assert.equal(await store.deleteFeedCursor('redis-relay'), true);
    assert.equal(await store.deleteFeedCursor('redis-relay'), false);
    assert.deepEqual(
      (await store.listFeedCursors()).map((c) => c.name),
      ['search-index'],
    );
  });

  test('pruneEvents() keeps the retention, stops at the lowest live cursor, and ignores a cursor abandoned for 30 days, whose reader then gets FEED_PRUNED', async (fix) => {
    const { inn, store, clock } = fix;
    await bookEach(fix, 2);
    const slow = (await lastSeq(store)) - 1;
    await inn.saveFeedCursor({ name: 'slow', seq: slow });
    clock.advance(8 * DAY_MS);
    await bookEach(fix, 1);
    const third = await lastSeq(store);
    await inn.saveFeedCursor({ name: 'fast', seq: third });
    // Eight days on, the week-old events are due, but `slow` has not read the second one.
    const held = await inn.pruneEvents();
    assert.deepEqual(
      { prunedThrough: held.prunedThrough, heldBy: held.heldBy, abandoned: held.abandoned },
      { prunedThrough: slow, heldBy: 'slow', abandoned: [] },
    );
    assert.equal((await inn.readEvents(slow, 10)).length, 2);
    // Thirty-one days after `slow` last moved, it holds nothing back any more.
    clock.advance(23 * DAY_MS);
    await inn.saveFeedCursor({ name: 'fast', seq: third });
    await bookEach(fix, 1);
    const freed = await inn.pruneEvents();
    assert.deepEqual(
      { pruned: freed.pruned, prunedThrough: freed.prunedThrough, heldBy: freed.heldBy },
      { pruned: 2, prunedThrough: third, heldBy: null },
    );
    assert.deepEqual(freed.abandoned, ['slow']);
    await rejectsWithDetails(inn.readEvents(slow, 10), { afterSeq: slow, prunedThrough: third });
    // Nothing is due again until it is a week old.
    assert.equal((await inn.pruneEvents()).pruned, 0);
  });

  test('an archived key answers up to its retention and is a new request from that instant: a replay, another stay, then the bulk forgetting of archive()', async (fix) => {
    const { inn, store, clock } = fix;
    const request = bookingRequest({ checkIn: day(1), checkOut: day(3) });
    const booked = await inn.book(request);
    const cancelled = await inn.cancel({ reservationId: booked.id });
    clock.advance(100 * DAY_MS);
    assert.equal((await inn.archive()).reservations, 1);
    const [entry] = await store.findArchived({ by: 'ids', reservationIds: [booked.id] });
    assert.ok(entry);
    const expiry = Date.parse(entry.archivedAt) + DEFAULT_KEY_RETENTION_DAYS * DAY_MS;
    const later = { ...request, checkIn: day(200), checkOut: day(201) };
    await inn.setInventory({
      hotelId: HOTEL_ID,
      roomTypeId: 'std',
      from: day(195),
      to: day(205),
      total: 5,
    });

    clock.set(new Date(expiry - 1).toISOString());
    assert.deepEqual(
      await inn.book(request),
      cancelled,
      'a millisecond before: the replay answers',
    );
    const reused = await rejectsWithCode(inn.book(later), 'IDEMPOTENCY_KEY_REUSED');
    assert.deepEqual(reused.details, {
      idempotencyKey: request.idempotencyKey,
      reservationId: booked.id,
    });

    clock.set(new Date(expiry).toISOString());
    // The replay of a stay long past is a new request now: planned, and refused as past.
    await rejectsWithCode(inn.book(request), 'VALIDATION');
    const fresh = await inn.book(later);
    assert.notEqual(fresh.id, booked.id);
    assert.equal(fresh.idempotencyKey, request.idempotencyKey);
    assert.deepEqual(await inn.book(later), fresh, 'and the key answers for the new booking');
    const [forgotten] = await store.findArchived({ by: 'ids', reservationIds: [booked.id] });
    assert.deepEqual(forgotten, { ...entry, idempotencyKey: null });
    assert.deepEqual(await inn.getArchivedReservation(booked.id), cancelled);
  });

  test('archive() forgets the keys past their retention, oldest first; the entries stay, found by id and guest', async (fix) => {
    const { inn, store, clock } = fix;
    const requests = [1, 2].map(() => bookingRequest({ checkIn: day(1), checkOut: day(3) }));
    const ids: string[] = [];
    for (const request of requests) {
      const r = await inn.book(request);
      await inn.cancel({ reservationId: r.id });
      ids.push(r.id);
    }
    clock.advance(100 * DAY_MS);
    await inn.archive();
    assert.equal((await inn.archive()).keysForgotten, 0);
    clock.advance(DEFAULT_KEY_RETENTION_DAYS * DAY_MS);
    assert.equal((await inn.archive()).keysForgotten, 2);
    for (const request of requests) {
      assert.deepEqual(
        await store.findArchived({
          by: 'key',
          hotelId: HOTEL_ID,
          idempotencyKey: request.idempotencyKey,
        }),
        [],
      );
    }
    const entries = await store.findArchived({ by: 'ids', reservationIds: ids });
    assert.deepEqual(
      entries.map((e) => [e.reservationId, e.idempotencyKey]),
      ids.map((id) => [id, null]),
    );
    const page = await inn.listArchivedReservations({ guestEmail: 'ada@example.com' });
    assert.deepEqual(page.items.map((r) => r.id).sort(), [...ids].sort());
    assert.equal(
      await store.forgetArchivedKeys({ archivedBy: clock.now().toISOString(), limit: 10 }),
      0,
      'forgetting again forgets nothing',
    );
  });

  test('port edges: cursors listed by name whatever order they were saved in, an event at the instant kept, keys forgotten oldest first, an erased entry counted once', async (fix) => {
    const { inn, store, clock } = fix;
    for (const name of ['b-cursor', 'c-cursor', 'a-cursor']) {
      await store.saveFeedCursor({ name, seq: 1, updatedAt: clock.now().toISOString() });
    }
    assert.deepEqual(
      (await store.listFeedCursors()).map((c) => c.name),
      ['a-cursor', 'b-cursor', 'c-cursor'],
    );
    await bookEach(fix, 2);
    const events = await store.readEvents(0, 10_000);
    const oldest = events[0];
    assert.ok(oldest);
    const kept = await store.pruneEvents({ before: oldest.at, limit: 1_000 });
    assert.equal(kept.pruned, 0, 'an event at the instant itself is not before it');

    const stays: { id: string; version: number }[] = [];
    for (const from of [1, 2]) {
      const r = await inn.book(bookingRequest({ checkIn: day(from), checkOut: day(from + 1) }));
      stays.push(await inn.cancel({ reservationId: r.id }));
    }
    const [first, second] = stays as [
      { id: string; version: number },
      { id: string; version: number },
    ];
    const at = (ms: number) => new Date(clock.now().getTime() + ms).toISOString();
    // The later stay archived first, at the earlier instant: the order is by archivedAt.
    await store.removeArchived({
      hotelId: HOTEL_ID,
      file: 'f2',
      archivedAt: at(1_000),
      reservations: [first],
    });
    await store.removeArchived({
      hotelId: HOTEL_ID,
      file: 'f1',
      archivedAt: at(0),
      reservations: [second],
    });
    assert.equal(await store.forgetArchivedKeys({ archivedBy: at(5_000), limit: 1 }), 1);
    const entries = await store.findArchived({ by: 'ids', reservationIds: [first.id, second.id] });
    assert.deepEqual(
      entries.map((e) => [e.reservationId, e.idempotencyKey === null]).sort(),
      [
        [first.id, false],
        [second.id, true],
      ].sort(),
      'the one archived earlier lost its key first',
    );
    assert.equal(await store.eraseArchivedEntries([first.id, first.id, 'nope']), 1);
    assert.equal(await store.eraseArchivedEntries([first.id]), 0, 'erased already');
    const [erased] = await store.findArchived({ by: 'ids', reservationIds: [first.id] });
    assert.equal(erased?.guestEmail, ERASED_GUEST_EMAIL);
    assert.equal(erased?.requestFingerprint, ERASED_FINGERPRINT);
  });

  test('a key retention shorter than the longest hold plus the payment grace, or a feed retention of zero, is refused at createInnkeeper', async ({
    store,
    archive,
  }) => {
    assert.throws(
      () => createSuiteEngine({ store, archive: { sink: archive, keyRetentionDays: 7 } }),
      (error: unknown) =>
        (error as { code?: string }).code === 'VALIDATION' &&
        JSON.stringify((error as { details: unknown }).details).includes('keyRetentionDays'),
    );
    assert.throws(
      () => createSuiteEngine({ store, changeFeed: { retentionDays: 0 } }),
      (error: unknown) =>
        (error as { code?: string }).code === 'VALIDATION' &&
        JSON.stringify((error as { details: unknown }).details).includes('retentionDays'),
    );
    createSuiteEngine({ store, archive: { sink: archive, keyRetentionDays: 8 } });
  });
};

const FAR = '9999-01-01T00:00:00.000Z';

async function rejectsWithDetails(
  promise: Promise<unknown>,
  details: { afterSeq: number; prunedThrough: number },
): Promise<void> {
  const error = await rejectsWithCode(promise, 'FEED_PRUNED');
  assert.deepEqual(error.details, details);
}

/** `n` one-night bookings starting tomorrow by the fixture's clock. */
async function bookEach(fix: Fixture, n: number): Promise<void> {
  const tomorrow = new Date(fix.clock.now().getTime() + DAY_MS).toISOString().slice(0, 10);
  const after = new Date(Date.parse(tomorrow) + DAY_MS).toISOString().slice(0, 10);
  for (let i = 0; i < n; i++) {
    await fix.inn.book(bookingRequest({ checkIn: tomorrow, checkOut: after }));
  }
}

/** The newest seq in the feed (0 when empty). */
async function lastSeq(store: InnkeeperStore): Promise<number> {
  let seq = 0;
  for (;;) {
    const page = await store.readEvents(seq, 1000);
    const last = page.at(-1);
    if (!last) return seq;
    seq = last.seq;
  }
}
