import assert from 'node:assert/strict';
import { ERASED_GUEST_EMAIL, ERASED_GUEST_NAME, type Reservation } from '@innkeeper/core';
import { rejectsWithCode } from '../assert-error.js';
import { bookingRequest, day, type Fixture, fixtureTest, HOTEL_ID } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';
import { createSuiteEngine } from '../suite-engine.js';
import { DAY_MS } from './archive-stays.js';

const ADA = { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0000' };
const OTHER = { name: 'Grace Hopper', email: 'grace@example.com' };

/**
 * Erasing a guest: `eraseGuest` replaces the guest's personal data with a tombstone in
 * the store, the history and the archive files and index, keeps what accounting needs,
 * records the erasure, reports it by id, and is idempotent.
 */
export const erasureGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);

  test('eraseGuest({ email }) tombstones every stay of the guest, its history and details; keeps dates, rooms, money and statuses; records and reports it', async (fix) => {
    const { inn, store } = fix;
    const { stays, other } = await adaStays(fix);
    const before = await Promise.all(stays.map((r) => inn.getReservation(r.id)));
    const eventsBefore = (await store.readEvents(0, 10_000)).length;

    const report = await inn.eraseGuest({ email: 'ADA@example.com', reason: 'request 42' });
    assert.deepEqual(report.reservations.erased.sort(), stays.map((r) => r.id).sort());
    assert.deepEqual(report.reservations.alreadyErased, []);
    assert.deepEqual(report.archived, { erased: [], alreadyErased: [], files: [] });
    assert.equal(report.at, fix.clock.now().toISOString());

    for (const [i, r] of stays.entries()) {
      const erased = await inn.getReservation(r.id);
      const was = before[i] as Reservation;
      assertErased(erased, was);
      assert.deepEqual(erased.history.at(-1), {
        at: report.at,
        action: 'erased',
        status: was.status,
        reason: 'request 42',
      });
    }
    assert.deepEqual(await inn.getReservation(other.id), other, 'another guest is untouched');
    assert.deepEqual(
      (await inn.listReservations({ guestEmail: ADA.email })).items,
      [],
      'the guest index no longer finds them',
    );
    const events = (await store.readEvents(0, 10_000)).slice(eventsBefore);
    assert.deepEqual(
      events.map((e) => [e.type, e.reservationId]).sort(),
      stays.map((r) => ['reservation.erased', r.id]).sort(),
    );
    assertNoTrace(await store.readEvents(0, 10_000), 'the change feed');
    assert.equal((await inn.audit()).ok, true);
  });

  test('erasing again writes nothing: by e-mail nothing is found, by id the stay is reported erased already', async (fix) => {
    const { inn, store } = fix;
    const { stays } = await adaStays(fix);
    await inn.eraseGuest({ email: ADA.email });
    const seq = (await store.readEvents(0, 10_000)).length;
    const erased = await inn.getReservation(stays[0]?.id ?? '');
    const again = await inn.eraseGuest({ email: ADA.email });
    assert.deepEqual(again.reservations, { erased: [], alreadyErased: [] });
    const byId = await inn.eraseGuest({ reservationId: erased.id, reason: 'again' });
    assert.deepEqual(byId.reservations, { erased: [], alreadyErased: [erased.id] });
    assert.deepEqual(await inn.getReservation(erased.id), erased);
    assert.equal((await store.readEvents(0, 10_000)).length, seq, 'no event for a repeat');
  });

  test('eraseGuest({ reservationId }) erases that stay only', async (fix) => {
    const { inn } = fix;
    const { stays } = await adaStays(fix);
    const [first, second] = stays as [Reservation, Reservation];
    const report = await inn.eraseGuest({ reservationId: first.id });
    assert.deepEqual(report.reservations.erased, [first.id]);
    assert.equal((await inn.getReservation(first.id)).guest.email, ERASED_GUEST_EMAIL);
    assert.equal((await inn.getReservation(second.id)).guest.email, ADA.email);
  });

  test('archived stays are erased in their files and in the archive index; the other records of a file stay as they were', async (fix) => {
    const { inn, store, clock, archive } = fix;
    const old = await inn.book(bookingRequest({ guest: ADA, checkIn: day(1), checkOut: day(3) }));
    await inn.cancel({ reservationId: old.id, reason: `Ada (${ADA.phone}) changed plans` });
    const neighbour = await inn.book(
      bookingRequest({ guest: OTHER, checkIn: day(1), checkOut: day(2) }),
    );
    await inn.cancel({ reservationId: neighbour.id });
    clock.advance(100 * DAY_MS);
    await inn.archive();
    const archivedBefore = await inn.getArchivedReservation(old.id);
    const neighbourBefore = await inn.getArchivedReservation(neighbour.id);
    await inn.setInventory({
      hotelId: HOTEL_ID,
      roomTypeId: 'std',
      from: day(100),
      to: day(110),
      total: 5,
    });
    const hot = await inn.book(
      bookingRequest({ guest: ADA, checkIn: day(101), checkOut: day(102) }),
    );

    const report = await inn.eraseGuest({ email: ADA.email });
    assert.deepEqual(report.reservations.erased, [hot.id]);
    assert.deepEqual(report.archived.erased, [old.id]);
    const [entry] = await store.findArchived({ by: 'ids', reservationIds: [old.id] });
    assert.ok(entry);
    assert.deepEqual(report.archived.files, [entry.file]);
    assert.equal(entry.guestEmail, ERASED_GUEST_EMAIL);
    assert.deepEqual(await store.findArchived({ by: 'guest', email: ADA.email, limit: 10 }), []);
    assertErased(await inn.getArchivedReservation(old.id), archivedBefore);
    assert.deepEqual(await inn.getArchivedReservation(neighbour.id), neighbourBefore);
    const files = await archive.files();
    assert.ok(
      files.every((f) => f.committed),
      'every file committed again',
    );
    for (const file of files)
      assertNoTrace(await archive.read(file.path), `archive file ${file.path}`);
    // And again: nothing left to find by e-mail; by id, erased already.
    assert.deepEqual((await inn.eraseGuest({ email: ADA.email })).archived.erased, []);
    assert.deepEqual((await inn.eraseGuest({ reservationId: old.id })).archived, {
      erased: [],
      alreadyErased: [old.id],
      files: [],
    });
  });

  test('an erasure stopped after rewriting a file is completed by running it again', async (fix) => {
    const { store, clock, archive } = fix;
    const inn = fix.inn;
    const old = await inn.book(bookingRequest({ guest: ADA, checkIn: day(1), checkOut: day(3) }));
    await inn.cancel({ reservationId: old.id });
    clock.advance(100 * DAY_MS);
    await inn.archive();
    // The same store and archive, through a sink whose commit fails once (a crash there).
    let failures = 1;
    const flaky = createSuiteEngine({
      store,
      clock,
      archive: {
        sink: {
          ...archive,
          async commit(path) {
            if (failures-- > 0) throw new Error('crashed before the commit');
            await archive.commit(path);
          },
        },
      },
    });
    await assert.rejects(flaky.eraseGuest({ email: ADA.email }));
    const [entry] = await store.findArchived({ by: 'ids', reservationIds: [old.id] });
    assert.equal(entry?.guestEmail, ADA.email, 'the index still finds the guest: a rerun will');
    const rerun = await flaky.eraseGuest({ email: ADA.email });
    assert.deepEqual(
      rerun.archived.alreadyErased,
      [old.id],
      'the file was erased by the first run',
    );
    const [after] = await store.findArchived({ by: 'ids', reservationIds: [old.id] });
    assert.equal(after?.guestEmail, ERASED_GUEST_EMAIL);
    assert.ok((await archive.files()).every((f) => f.committed));
    for (const file of await archive.files())
      assertNoTrace(await archive.read(file.path), file.path);
  });

  test('bad input is VALIDATION, an unknown reservation NOT_FOUND, archived stays without the archive VALIDATION: nothing written', async (fix) => {
    const { inn, store, clock } = fix;
    const { stays } = await adaStays(fix);
    const seq = (await store.readEvents(0, 10_000)).length;
    await rejectsWithCode(inn.eraseGuest({}), 'VALIDATION');
    await rejectsWithCode(inn.eraseGuest({ email: ADA.email, reservationId: 'x' }), 'VALIDATION');
    await rejectsWithCode(inn.eraseGuest({ email: 'not an e-mail' }), 'VALIDATION');
    await rejectsWithCode(inn.eraseGuest({ reservationId: 'nope' }), 'NOT_FOUND');
    const old = await inn.book(bookingRequest({ guest: ADA, checkIn: day(1), checkOut: day(2) }));
    await inn.cancel({ reservationId: old.id });
    clock.advance(100 * DAY_MS);
    await inn.archive();
    const seqArchived = (await store.readEvents(0, 10_000)).length;
    const withoutArchive = createSuiteEngine({ store, clock });
    const refused = await rejectsWithCode(
      withoutArchive.eraseGuest({ email: ADA.email }),
      'VALIDATION',
    );
    assert.deepEqual(
      refused.details.issues.map((i) => i.path),
      [['archive']],
    );
    // The confirmed stay is still hot, the cancelled ones archived: neither was touched.
    assert.equal((await store.getReservation(stays[0]?.id ?? ''))?.guest.email, ADA.email);
    const archivedEntries = await store.findArchived({ by: 'guest', email: ADA.email, limit: 10 });
    assert.equal(archivedEntries.length, 2);
    assert.equal((await store.readEvents(0, 10_000)).length, seqArchived);
    assert.ok(seqArchived > seq);
    // An engine without an archive erases a guest who has nothing archived.
    const report = await withoutArchive.eraseGuest({ email: OTHER.email });
    assert.deepEqual(report.reservations.erased.length, 1);
  });
};

/** Two stays of Ada with everything personal there is, and one of another guest. */
async function adaStays({ inn }: Fixture) {
  const first = await inn.book(bookingRequest({ guest: ADA, checkIn: day(1), checkOut: day(3) }));
  await inn.updateGuest({ reservationId: first.id, email: 'ada.king@example.com', reason: 'typo' });
  await inn.updateGuest({ reservationId: first.id, email: ADA.email, name: ADA.name });
  await inn.updateReservationDetails({
    reservationId: first.id,
    notes: 'Ada prefers the garden side',
    specialRequests: 'A cot for Byron',
    lineGuests: [['Ada Lovelace', 'William King']],
    channel: 'phone',
    externalRef: 'CRM-7',
  });
  const second = await inn.hold(bookingRequest({ guest: ADA, checkIn: day(4), checkOut: day(5) }));
  await inn.cancel({ reservationId: second.id, reason: `Ada called from ${ADA.phone}` });
  const other = await inn.book(bookingRequest({ guest: OTHER, checkIn: day(1), checkOut: day(2) }));
  return {
    stays: [await inn.getReservation(first.id), await inn.getReservation(second.id)],
    other: await inn.getReservation(other.id),
  };
}

/** `erased` is `was` with the guest tombstoned: every personal field gone, the rest as was. */
function assertErased(erased: Reservation, was: Reservation): void {
  assert.deepEqual(erased.guest, { name: ERASED_GUEST_NAME, email: ERASED_GUEST_EMAIL });
  assert.equal(erased.details?.notes, undefined);
  assert.equal(erased.details?.specialRequests, undefined);
  assert.equal(erased.details?.lineGuests, undefined);
  assert.equal(erased.details?.externalRef, was.details?.externalRef);
  assert.equal(erased.details?.channel, was.details?.channel);
  for (const key of [
    'status',
    'checkIn',
    'checkOut',
    'lines',
    'total',
    'roomCharge',
    'taxTotal',
    'currency',
    'cancellation',
    'payment',
    'settlement',
    'balance',
    'idempotencyKey',
    'createdAt',
  ] as const) {
    assert.deepEqual(erased[key], was[key], key);
  }
  assert.equal(erased.version, was.version + 1);
  assert.deepEqual(
    erased.history.slice(0, -1).map((h) => [h.at, h.action, h.status]),
    was.history.map((h) => [h.at, h.action, h.status]),
  );
  assertNoTrace(erased, `reservation ${erased.id}`);
}

/** Nothing that names Ada is left in `value`. */
function assertNoTrace(value: unknown, where: string): void {
  const text = JSON.stringify(value);
  for (const trace of [
    'Ada',
    'ada@',
    'ada.king',
    'Lovelace',
    'Byron',
    'William',
    '7946',
    'garden',
  ]) {
    assert.ok(!text.includes(trace), `${where} still holds "${trace}"`);
  }
}
