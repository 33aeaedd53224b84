import assert from 'node:assert/strict';
import {
  type InnkeeperEvent,
  type InnkeeperStore,
  isInnkeeperError,
  type Reservation,
} from '@innkeeper/core';
import { claimsOf } from '@innkeeper/core/store';
import fc from 'fast-check';
import {
  bookingRequest,
  createFixture,
  day,
  type Fixture,
  fixtureTest,
  HOTEL_ID,
} from '../fixture.js';
import type { ConformanceGroup } from '../group.js';
import { lastSeq, reservation } from '../hand-built.js';
import { createSuiteEngine } from '../suite-engine.js';

/**
 * Pricing revisions (store port 7): the hotel's revision moves with every write a price is
 * computed from and with nothing else; `applyBooking` priced on an older revision is
 * `repriced` and writes nothing; an engine pricing from its cache never books at a rate
 * that was not in force when the booking committed, whoever changed it.
 */
export const pricingRevisionsGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);

  test('the pricing revision moves on with the hotel, a room type, the rate card and a calendar rate, and with nothing else', async ({
    inn,
    store,
  }) => {
    const revision = async () => {
      const view = await store.readStay({ hotelId: HOTEL_ID, from: day(1), to: day(2) });
      assert.ok(view && Number.isSafeInteger(view.pricingRevision));
      return view.pricingRevision;
    };
    let last = await revision();
    const moves = async (what: string, write: () => Promise<unknown>) => {
      await write();
      const now = await revision();
      assert.ok(now > last, `${what} moves the revision on (${last} → ${now})`);
      last = now;
    };
    const stays = async (what: string, write: () => Promise<unknown>) => {
      await write();
      assert.equal(await revision(), last, `${what} leaves the revision`);
    };
    const std = { hotelId: HOTEL_ID, roomTypeId: 'std', from: day(1), to: day(5) };

    await moves('updateHotel', () => inn.updateHotel({ id: HOTEL_ID, timeZone: 'Europe/Lisbon' }));
    await moves('createRoomType', () =>
      inn.createRoomType({
        id: 'loft',
        hotelId: HOTEL_ID,
        name: 'Loft',
        maxAdults: 2,
        baseRate: 30_000,
      }),
    );
    await moves('updateRoomType', () =>
      inn.updateRoomType({ hotelId: HOTEL_ID, id: 'std', baseRate: 11_000 }),
    );
    await moves('a rate plan', () =>
      inn.upsertRatePlan({ hotelId: HOTEL_ID, ratePlan: { id: 'bar', name: 'Best available' } }),
    );
    await moves('setRates', () => inn.setRates({ ...std, amount: 12_345 }));
    await moves('setRates back to the base rate', () => inn.setRates({ ...std, amount: null }));

    await stays('setInventory', () => inn.setInventory({ ...std, total: 9 }));
    await stays('setStopSell', () => inn.setStopSell({ ...std, stopSell: true }));
    await stays('lifting the stop-sell', () => inn.setStopSell({ ...std, stopSell: false }));
    let booked: Reservation | undefined;
    await stays('book', async () => {
      booked = await inn.book(bookingRequest());
    });
    await stays('cancel', () => inn.cancel({ reservationId: booked?.id ?? '' }));
    let held: Reservation | undefined;
    await stays('hold', async () => {
      held = await inn.hold(bookingRequest({ ttlSeconds: 600 }));
    });
    await stays('confirm', () => inn.confirm({ reservationId: held?.id ?? '' }));
  });

  test('store.applyBooking() priced on an older revision is repriced with the current one and writes nothing; a stored key still replays; the current revision books', async ({
    inn,
    store,
  }) => {
    const before = await store.readStay({ hotelId: HOTEL_ID, from: day(1), to: day(2) });
    const old = before?.pricingRevision ?? -1;
    await inn.setRates({
      hotelId: HOTEL_ID,
      roomTypeId: 'std',
      from: day(1),
      to: day(1),
      amount: 12_000,
    });
    const current =
      (await store.readStay({ hotelId: HOTEL_ID, from: day(1), to: day(2) }))?.pricingRevision ??
      -1;
    assert.ok(current > old);

    const r = reservation('priced-on-old', { checkIn: day(1), checkOut: day(2) });
    const plan = { reservation: r, deltas: claimsOf(r.lines) };
    const seq = await lastSeq(store);
    const calendar = await inn.getCalendar({
      hotelId: HOTEL_ID,
      roomTypeId: 'std',
      from: day(1),
      to: day(1),
    });
    assert.deepEqual(await store.applyBooking({ ...plan, pricingRevision: old }), {
      kind: 'repriced',
      pricingRevision: current,
    });
    assert.equal(await store.getReservation(r.id), null);
    assert.equal(await lastSeq(store), seq);
    assert.deepEqual(
      await inn.getCalendar({ hotelId: HOTEL_ID, roomTypeId: 'std', from: day(1), to: day(1) }),
      calendar,
    );

    assert.equal((await store.applyBooking({ ...plan, pricingRevision: current })).kind, 'created');
    // The key is answered before the revision: a retry priced on old rates still replays.
    const replay = await store.applyBooking({ ...plan, pricingRevision: old });
    assert.equal(replay.kind, 'replayed');
    // Without a revision, nothing is checked (a store caller that priced on a fresh read).
    const unchecked = reservation('unchecked', { checkIn: day(2), checkOut: day(3) });
    assert.equal(
      (await store.applyBooking({ reservation: unchecked, deltas: claimsOf(unchecked.lines) }))
        .kind,
      'created',
    );
  });

  test('an engine that priced a stay before another engine changed its rate, its rate card or its room type books the next stay at the new prices', async (fix) => {
    const { inn, store, clock } = fix;
    const other = createSuiteEngine({ store, clock });
    const nightRates = (r: Reservation) => r.lines.flatMap((l) => l.nights.map((n) => n.rate));
    const stay = (n: number) => bookingRequest({ checkIn: day(n), checkOut: day(n + 2) });

    assert.deepEqual(nightRates(await inn.book(stay(1))), [10_000, 10_000]);
    await other.setRates({
      hotelId: HOTEL_ID,
      roomTypeId: 'std',
      from: day(1),
      to: day(20),
      amount: 13_000,
    });
    assert.deepEqual(nightRates(await inn.book(stay(1))), [13_000, 13_000]);

    await other.setRates({
      hotelId: HOTEL_ID,
      roomTypeId: 'std',
      from: day(1),
      to: day(20),
      amount: null,
    });
    await other.updateRoomType({ hotelId: HOTEL_ID, id: 'std', baseRate: 9_000 });
    assert.deepEqual(nightRates(await inn.book(stay(1))), [9_000, 9_000]);

    await other.setTaxes({
      hotelId: HOTEL_ID,
      taxes: [{ id: 'vat', name: 'VAT', kind: 'percent', basisPoints: 1_000 }],
    });
    const taxed = await inn.book(stay(1));
    assert.equal(taxed.taxTotal, 1_800);
    assert.equal(taxed.total, 19_800);
    // And a quote, read fresh every time, agrees with what was booked.
    const { idempotencyKey: _, guest: __, ...quoted } = stay(1);
    assert.equal((await inn.quote(quoted)).total, taxed.total);
  });

  const runs = Math.max(3, Math.ceil(options.propertyRuns / 10));
  api.test(
    `bookings from two engines racing rate changes: every night of every booking is priced at the rate its row had when the booking committed (${runs} runs)`,
    () =>
      checkConcurrentRepricing(
        options.createStore,
        runs,
        options.propertySeed === undefined ? {} : { seed: options.propertySeed },
      ),
    options.slowTimeoutMs,
  );
};

/** An operation of the race; `turns`: event-loop turns it waits before it starts. */
type Operation = { engine: 0 | 1; turns: number } & (
  | { kind: 'book'; checkIn: number; nights: number }
  | { kind: 'rate'; from: number; nights: number; amount: number }
);

const started = {
  engine: fc.constantFrom(0 as const, 1 as const),
  // Spread over several turns, so bookings start after rate changes have landed, not
  // only all at once (an in-process store would otherwise run them in array order).
  turns: fc.integer({ min: 0, max: 8 }),
};
const operationArb: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({
    ...started,
    kind: fc.constant('book' as const),
    checkIn: fc.integer({ min: 1, max: 8 }),
    nights: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({
    ...started,
    kind: fc.constant('rate' as const),
    from: fc.integer({ min: 1, max: 10 }),
    nights: fc.integer({ min: 1, max: 5 }),
    amount: fc.integer({ min: 5_000, max: 20_000 }),
  }),
);

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The repricing property: two engines (two pricing caches) book `std` while both change
 * its rates, all at once. A `reservation.created` event carries the rows as the booking
 * left them, so each night's rate there is the rate in force at its commit: every night
 * of the booking must be priced at exactly that (the room type's base rate when `null`).
 */
async function checkConcurrentRepricing(
  createStore: () => Promise<InnkeeperStore>,
  runs: number,
  params: fc.Parameters<[Operation[]]>,
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.array(operationArb, { minLength: 4, maxLength: 24 }), async (ops) => {
      const store = await createStore();
      try {
        const fix = await createFixture(store);
        const engines = [fix.inn, createSuiteEngine({ store, clock: fix.clock })] as const;
        // Both caches hold every row of the window before the race starts.
        for (const engine of engines) await warm(engine);
        const seq = await lastSeq(store);
        await Promise.all(ops.map((op) => run(op, engines)));
        assert.deepEqual(await mispriced(store, fix, seq), []);
      } finally {
        await store.close();
      }
    }),
    { numRuns: runs, ...params },
  );
}

/** A booking over the whole window, cancelled: the engine's cache holds every row of `std`. */
async function warm(engine: Fixture['inn']): Promise<void> {
  const booked = await engine.book(bookingRequest({ checkIn: day(1), checkOut: day(11) }));
  await engine.cancel({ reservationId: booked.id });
}

async function run(op: Operation, engines: readonly Fixture['inn'][]): Promise<void> {
  const engine = engines[op.engine] as Fixture['inn'];
  for (let turn = 0; turn < op.turns; turn++) await nextTurn();
  try {
    if (op.kind === 'book') {
      await engine.book(
        bookingRequest({ checkIn: day(op.checkIn), checkOut: day(op.checkIn + op.nights) }),
      );
    } else {
      await engine.setRates({
        hotelId: HOTEL_ID,
        roomTypeId: 'std',
        from: day(op.from),
        to: day(op.from + op.nights - 1),
        amount: op.amount,
      });
    }
  } catch (error) {
    // Sold out, or a hotel whose prices kept changing: refusals, never a wrong price.
    if (!isInnkeeperError(error, 'SOLD_OUT') && !isInnkeeperError(error, 'CONFLICT')) throw error;
  }
}

/** Every night booked after `seq` at a rate other than its row's at the commit. */
async function mispriced(store: InnkeeperStore, fix: Fixture, seq: number): Promise<string[]> {
  const events: InnkeeperEvent[] = await store.readEvents(seq, 100_000);
  const problems: string[] = [];
  for (const event of events) {
    if (event.type !== 'reservation.created' || event.reservationId === null) continue;
    const booked = await store.getReservation(event.reservationId);
    for (const night of booked?.lines.flatMap((l) => l.nights) ?? []) {
      const row = event.days.find((d) => d.roomTypeId === 'std' && d.date === night.date);
      const inForce = row?.rate ?? fix.std.baseRate;
      if (night.rate !== inForce) {
        problems.push(
          `${event.reservationId} ${night.date}: priced ${night.rate}, ${inForce} at commit (event ${event.seq})`,
        );
      }
    }
  }
  return problems;
}
