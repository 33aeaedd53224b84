import assert from 'node:assert/strict';
import { emptyRateCard, type RateCard } from '@innkeeper/core';
import { rejectsWithCode, rejectsWithIssue } from '../assert-error.js';
import { bookingRequest, day, fixtureTest, HOTEL_ID, TODAY } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';

const AT = `${TODAY}T12:00:00.000Z`;

function card(revision: number, overrides: Partial<RateCard> = {}): RateCard {
  return { ...emptyRateCard(HOTEL_ID), revision, updatedAt: AT, ...overrides };
}

/**
 * Rate cards through the store: compare-and-set on the revision, `readStay` serving the
 * card, copies; and pricing, restrictions and captured policies end to end on this store.
 */
export const rateCardsGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);

  test('store.putRateCard() is a compare-and-set on the revision: updated, conflict, missing', async ({
    store,
  }) => {
    assert.equal(await store.getRateCard(HOTEL_ID), null);
    const first = card(1, { checkInTime: '14:00' });
    assert.equal(await store.putRateCard(first, 0), 'updated');
    assert.deepEqual(await store.getRateCard(HOTEL_ID), first);
    // A writer that read revision 0 lost the race: nothing it sends is stored.
    assert.equal(await store.putRateCard(card(1, { checkInTime: '16:00' }), 0), 'conflict');
    assert.equal(await store.putRateCard(card(3), 2), 'conflict');
    assert.deepEqual(await store.getRateCard(HOTEL_ID), first);
    const second = card(2, { checkInTime: '13:00' });
    assert.equal(await store.putRateCard(second, 1), 'updated');
    assert.deepEqual(await store.getRateCard(HOTEL_ID), second);
    assert.equal(await store.putRateCard({ ...card(1), hotelId: 'nowhere' }, 0), 'missing');
    assert.equal(await store.getRateCard('nowhere'), null);
  });

  test('store.putRateCard() refuses a card whose revision is not expected + 1 (VALIDATION at revision) before looking at what is stored, and stores nothing', async ({
    store,
  }) => {
    for (const [revision, expected] of [
      [1, 1],
      [3, 1],
      [0, 0],
      [2, 0],
    ] as const) {
      await rejectsWithIssue(store.putRateCard(card(revision), expected), ['revision']);
      await rejectsWithIssue(
        store.putRateCard({ ...card(revision), hotelId: 'nowhere' }, expected),
        ['revision'],
      );
    }
    assert.equal(await store.getRateCard(HOTEL_ID), null);
    assert.equal(await store.putRateCard(card(1), 0), 'updated');
    await rejectsWithIssue(store.putRateCard(card(1), 1), ['revision']);
    assert.deepEqual(await store.getRateCard(HOTEL_ID), card(1));
  });

  test('two concurrent putRateCard() from the same revision: exactly one is stored', async ({
    store,
  }) => {
    const writers = ['12:00', '13:00', '14:00', '16:00'].map((time) =>
      store.putRateCard(card(1, { checkInTime: time }), 0),
    );
    const results = await Promise.all(writers);
    assert.equal(results.filter((r) => r === 'updated').length, 1);
    assert.equal(results.filter((r) => r === 'conflict').length, 3);
    assert.equal((await store.getRateCard(HOTEL_ID))?.revision, 1);
  });

  test('store.readStay() returns the card (null before one is stored), read-only: an edit of it throws or does not reach the store', async ({
    inn,
    store,
  }) => {
    const range = { hotelId: HOTEL_ID, from: day(1), to: day(2) };
    assert.equal((await store.readStay(range))?.rateCard, null);
    const stored = await inn.upsertRatePlan({
      hotelId: HOTEL_ID,
      ratePlan: { id: 'bar', name: 'Best available' },
    });
    const read = (await store.readStay(range))?.rateCard;
    assert.deepEqual(read, stored);
    if (!read) throw new Error('card expected');
    editReadOnly(() =>
      read.ratePlans.push({ id: 'mutated', name: 'x', lengthOfStayDiscounts: [] }),
    );
    assert.deepEqual((await store.readStay(range))?.rateCard, stored);
    assert.deepEqual(await store.getRateCard(HOTEL_ID), stored);
  });

  test('store.putRateCard() from no card through two revisions: a conflict or a missing hotel writes nothing, and getRateCard() and readStay() return the card last stored', async ({
    store,
  }) => {
    const range = { hotelId: HOTEL_ID, from: day(1), to: day(3) };
    const full = (revision: number, checkInTime: string) =>
      card(revision, {
        checkInTime,
        ratePlans: [{ id: 'bb', name: 'Bed and breakfast', lengthOfStayDiscounts: [] }],
        taxes: [{ id: 'vat', name: 'VAT', kind: 'percent', basisPoints: 1000 }],
      });
    assert.equal(await store.getRateCard(HOTEL_ID), null);
    assert.equal(await store.getRateCard('nowhere'), null);
    assert.equal((await store.readStay(range))?.rateCard, null);
    // No card stored yet: its revision is 0, so expecting 1 (or a revision never stored) is a conflict.
    assert.equal(await store.putRateCard(full(2, '14:00'), 1), 'conflict');
    assert.equal(await store.putRateCard(full(6, '14:00'), 5), 'conflict');
    assert.equal(await store.getRateCard(HOTEL_ID), null);
    // An unknown hotel is missing whatever the expected revision, and gets no card.
    assert.equal(
      await store.putRateCard({ ...full(1, '15:00'), hotelId: 'nowhere' }, 0),
      'missing',
    );
    assert.equal(
      await store.putRateCard({ ...full(4, '15:00'), hotelId: 'nowhere' }, 3),
      'missing',
    );
    assert.equal(await store.getRateCard('nowhere'), null);

    const first = full(1, '14:00');
    assert.equal(await store.putRateCard(first, 0), 'updated');
    assert.deepEqual(await store.getRateCard(HOTEL_ID), first);
    assert.deepEqual((await store.readStay(range))?.rateCard, first);
    // A second editor who also read revision 0 loses, and changes nothing.
    assert.equal(await store.putRateCard(full(1, '18:00'), 0), 'conflict');
    assert.deepEqual(await store.getRateCard(HOTEL_ID), first);

    const second = full(2, '16:00');
    assert.equal(await store.putRateCard(second, 1), 'updated');
    // A stale editor of revision 1.
    assert.equal(await store.putRateCard(full(2, '17:00'), 1), 'conflict');
    assert.deepEqual(await store.getRateCard(HOTEL_ID), second);
    const read = await store.readStay(range);
    assert.deepEqual(read?.rateCard, second);
    assert.equal(read?.days.filter((d) => d.roomTypeId === 'std').length, 2);
  });

  test('store.putRateCard() keeps its own copy of the card it was given; getRateCard() hands out copies, readStay() a card no edit reaches the store through', async ({
    store,
  }) => {
    const range = { hotelId: HOTEL_ID, from: day(1), to: day(3) };
    const expected = () =>
      card(1, {
        ratePlans: [{ id: 'bar', name: 'Best available', lengthOfStayDiscounts: [] }],
        taxes: [{ id: 'vat', name: 'VAT', kind: 'percent', basisPoints: 1000 }],
      });
    const input = expected();
    assert.equal(await store.putRateCard(input, 0), 'updated');
    input.checkInTime = '01:00';
    (input.ratePlans[0] as { name: string }).name = 'mutated';
    input.taxes.length = 0;

    const got = await store.getRateCard(HOTEL_ID);
    assert.deepEqual(got, expected());
    got?.ratePlans.push({ id: 'x', name: 'x', lengthOfStayDiscounts: [] });
    if (got) got.checkInTime = '09:00';
    const viewed = (await store.readStay(range))?.rateCard;
    assert.deepEqual(viewed, expected());
    editReadOnly(() => viewed?.taxes.splice(0));
    assert.deepEqual(await store.getRateCard(HOTEL_ID), expected());
    assert.deepEqual((await store.readStay(range))?.rateCard, expected());
  });

  test('eight concurrent putRateCard() expecting the stored revision, five rounds from no card: each round exactly one is updated and its card stored, seven conflict', async ({
    store,
  }) => {
    for (let expected = 0; expected < 5; expected++) {
      const cards = Array.from({ length: 8 }, (_, i) =>
        card(expected + 1, { checkInTime: `1${i}:00` }),
      );
      const outcomes = await Promise.all(cards.map((c) => store.putRateCard(c, expected)));
      assert.equal(outcomes.filter((o) => o === 'updated').length, 1, `round ${expected}`);
      assert.equal(outcomes.filter((o) => o === 'conflict').length, 7, `round ${expected}`);
      assert.deepEqual(await store.getRateCard(HOTEL_ID), cards[outcomes.indexOf('updated')]);
    }
  });

  test('store.readStay() carries the card in its one read, with its rows, whichever room types it is asked for; an unknown hotel is null', async ({
    store,
  }) => {
    const range = { hotelId: HOTEL_ID, from: day(0), to: day(2) };
    const empty = await store.readStay(range);
    assert.equal(empty?.rateCard, null);
    assert.equal(empty?.days.length, 6); // 3 room types x 2 dates
    const stored = card(1);
    assert.equal(await store.putRateCard(stored, 0), 'updated');
    assert.deepEqual((await store.readStay(range))?.rateCard, stored);
    const filtered = await store.readStay({ ...range, roomTypeIds: ['suite'] });
    assert.deepEqual(filtered?.rateCard, stored);
    assert.deepEqual(
      filtered?.roomTypes.map((r) => r.id),
      ['suite'],
    );
    assert.equal(await store.readStay({ ...range, hotelId: 'nowhere' }), null);
  });

  test('a derived plan, taxes and a policy price a booking on this store, and later edits leave it alone', async ({
    inn,
    store,
  }) => {
    await inn.setRateCard({
      hotelId: HOTEL_ID,
      ratePlans: [
        { id: 'bar', name: 'Best available', cancellationPolicyId: 'flex' },
        { id: 'saver', name: 'Saver', derivedFrom: { ratePlanId: 'bar', percent: -10 } },
      ],
      taxes: [{ id: 'vat', name: 'VAT', kind: 'percent', basisPoints: 1000 }],
      cancellationPolicies: [
        {
          id: 'flex',
          name: 'Free until 48 h',
          windows: [{ hoursBeforeCheckIn: 48, penalty: { kind: 'nights', nights: 1 } }],
        },
      ],
    });
    const stay = { checkIn: day(10), checkOut: day(12) };
    const bar = await inn.book(bookingRequest({ ...stay }));
    const saver = await inn.book(
      bookingRequest({ ...stay, lines: [{ roomTypeId: 'std', ratePlanId: 'saver', adults: 2 }] }),
    );
    // 10 000 a night + 10% VAT; the saver plan is 9 000 + 900.
    assert.deepEqual([bar.roomCharge, bar.taxTotal, bar.total], [20_000, 2_000, 22_000]);
    assert.deepEqual([saver.roomCharge, saver.taxTotal, saver.total], [18_000, 1_800, 19_800]);
    assert.equal(bar.lines[0]?.policy?.id, 'flex');
    assert.equal(bar.cancellation.windows[0]?.penalty, 11_000);
    assert.deepEqual(await store.getReservation(bar.id), bar);

    await inn.upsertCancellationPolicy({
      hotelId: HOTEL_ID,
      policy: { id: 'flex', name: 'Strict', nonRefundable: true },
    });
    const kept = await store.getReservation(bar.id);
    assert.deepEqual(kept?.cancellation, bar.cancellation);
    const cancelled = await inn.cancel({ reservationId: bar.id });
    assert.deepEqual(cancelled.settlement, { kind: 'cancellation', at: AT, penalty: 0, refund: 0 });
  });

  test('a restriction of the card refuses the booking with RESTRICTED and writes nothing', async ({
    inn,
    store,
  }) => {
    await inn.upsertRestriction({
      hotelId: HOTEL_ID,
      restriction: { id: 'min3', from: day(5), to: day(5), minStay: 3 },
    });
    const events = (await store.readEvents(0, 10_000)).length;
    const error = await rejectsWithCode(
      inn.book(bookingRequest({ checkIn: day(5), checkOut: day(7) })),
      'RESTRICTED',
    );
    assert.deepEqual(
      [error.details.rule, error.details.date, error.details.restrictionId],
      ['min-stay', day(5), 'min3'],
    );
    assert.equal((await store.readEvents(0, 10_000)).length, events);
    assert.equal((await store.audit()).ok, true);
    await inn.book(bookingRequest({ checkIn: day(5), checkOut: day(8) }));
  });
};

/**
 * An edit of what `readStay` returned, which the port makes read-only to its caller: a
 * store may hand out a frozen object it keeps (the edit throws `TypeError`) or a copy.
 */
function editReadOnly(edit: () => unknown): void {
  try {
    edit();
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
}
