import type { Innkeeper, InnkeeperError, RatePlanInput } from '@innkeeper/core';
import { describe, expect, test } from 'vitest';
import { STANDARD_RATE_PLAN_ID } from '../src/rate-card/rate-card.js';
import { errorOf, HOTEL, setupEngine, snapshot } from './engine-support.js';

const NOW = '2027-04-01T10:00:00.000Z';
const RANGE = ['2027-05-01', '2027-05-03'] as const;

async function setup() {
  const { engine, clock } = await setupEngine({ now: NOW });
  return { engine, clock };
}

const BAR: RatePlanInput = { id: 'bar', name: 'Best available rate' };
const MEMBER: RatePlanInput = {
  id: 'member',
  name: 'Member',
  derivedFrom: { ratePlanId: 'bar', percent: -10 },
};

/** Runs a failing edit and checks it wrote nothing at all. */
async function refused(engine: Innkeeper, edit: () => Promise<unknown>): Promise<InnkeeperError> {
  const before = await snapshot(engine, ...RANGE);
  const error = await errorOf(edit);
  expect(await snapshot(engine, ...RANGE)).toEqual(before);
  return error;
}

function pathsOf(error: InnkeeperError): (string | number)[][] {
  expect(error.code).toBe('VALIDATION');
  return (error.details as { issues: { path: (string | number)[] }[] }).issues.map((i) => i.path);
}

/** What each issue says, in order: the caller reads these, not only their paths. */
function messagesOf(error: InnkeeperError): string[] {
  expect(error.code).toBe('VALIDATION');
  return (error.details as { issues: { message: string }[] }).issues.map((i) => i.message);
}

/** A rule `r` stopping sales on 2027-05-01, of the room types and plans it names. */
function stopSellOnMay1(names: { roomTypeIds?: string[]; ratePlanIds?: string[] }) {
  return { id: 'r', from: '2027-05-01', to: '2027-05-02', stopSell: true, ...names };
}

describe('editing the rate card', () => {
  test('a hotel that never stored a card has an empty one at revision 0', async () => {
    const { engine } = await setup();
    expect(await engine.getRateCard(HOTEL)).toEqual({
      hotelId: HOTEL,
      revision: 0,
      updatedAt: new Date(0).toISOString(),
      checkInTime: '15:00',
      ratePlans: [],
      restrictions: [],
      taxes: [],
      cancellationPolicies: [],
    });
  });

  test('upsert adds, then replaces in place; remove removes; each edit is a new revision', async () => {
    const { engine, clock } = await setup();
    const first = await engine.upsertRatePlan({ hotelId: HOTEL, ratePlan: BAR });
    expect(first.revision).toBe(1);
    expect(first.updatedAt).toBe(NOW);
    expect(first.ratePlans).toEqual([{ ...BAR, lengthOfStayDiscounts: [] }]);
    await engine.upsertRatePlan({ hotelId: HOTEL, ratePlan: MEMBER });
    clock.advance(60_000);
    const renamed = await engine.upsertRatePlan({
      hotelId: HOTEL,
      ratePlan: { ...BAR, name: 'BAR 2' },
    });
    expect(renamed.revision).toBe(3);
    expect(renamed.updatedAt).toBe('2027-04-01T10:01:00.000Z');
    expect(renamed.ratePlans.map((p) => [p.id, p.name])).toEqual([
      ['bar', 'BAR 2'],
      ['member', 'Member'],
    ]);
    const removed = await engine.removeRatePlan({ hotelId: HOTEL, id: 'member' });
    expect(removed.ratePlans.map((p) => p.id)).toEqual(['bar']);
    expect(removed.revision).toBe(4);
    expect(await engine.getRateCard(HOTEL)).toEqual(removed);
  });

  test('restrictions, policies and taxes', async () => {
    const { engine } = await setup();
    await engine.upsertRatePlan({ hotelId: HOTEL, ratePlan: BAR });
    await engine.upsertRestriction({
      hotelId: HOTEL,
      restriction: { id: 'min2', from: '2027-05-01', to: '2027-05-31', minStay: 2 },
    });
    await engine.upsertRestriction({
      hotelId: HOTEL,
      restriction: {
        id: 'ss',
        from: '2027-05-02',
        to: '2027-05-02',
        stopSell: true,
        ratePlanIds: ['bar'],
      },
    });
    await engine.upsertCancellationPolicy({
      hotelId: HOTEL,
      policy: { id: 'nr', name: 'Non-refundable', nonRefundable: true },
    });
    await engine.setTaxes({
      hotelId: HOTEL,
      taxes: [{ id: 'vat', name: 'VAT', kind: 'percent', basisPoints: 1_000 }],
    });
    let card = await engine.getRateCard(HOTEL);
    expect(card.revision).toBe(5);
    expect(card.restrictions.map((r) => r.id)).toEqual(['min2', 'ss']);
    expect(card.cancellationPolicies).toEqual([
      { id: 'nr', name: 'Non-refundable', nonRefundable: true, windows: [] },
    ]);
    expect(card.taxes).toEqual([{ id: 'vat', name: 'VAT', kind: 'percent', basisPoints: 1_000 }]);
    await engine.removeRestriction({ hotelId: HOTEL, id: 'min2' });
    await engine.setTaxes({ hotelId: HOTEL, taxes: [] });
    card = await engine.getRateCard(HOTEL);
    expect(card.restrictions.map((r) => r.id)).toEqual(['ss']);
    expect(card.taxes).toEqual([]);
    expect(card.revision).toBe(7);
  });

  test('setRateCard replaces everything, with defaults', async () => {
    const { engine } = await setup();
    await engine.upsertRatePlan({ hotelId: HOTEL, ratePlan: BAR });
    const card = await engine.setRateCard({
      hotelId: HOTEL,
      ratePlans: [{ id: 'other', name: 'Other' }],
    });
    expect(card).toMatchObject({
      revision: 2,
      checkInTime: '15:00',
      ratePlans: [{ id: 'other', name: 'Other', lengthOfStayDiscounts: [] }],
      restrictions: [],
      taxes: [],
      cancellationPolicies: [],
    });
  });

  test('edits take effect on the next quote', async () => {
    const { engine } = await setup();
    const quote = () =>
      engine.quote({
        hotelId: HOTEL,
        checkIn: '2027-05-01',
        checkOut: '2027-05-02',
        lines: [{ roomTypeId: 'std', ratePlanId: 'member', adults: 1 }],
      });
    await engine.setRateCard({ hotelId: HOTEL, ratePlans: [BAR, MEMBER] });
    expect((await quote()).total).toBe(9_000);
    await engine.upsertRatePlan({
      hotelId: HOTEL,
      ratePlan: { ...MEMBER, derivedFrom: { ratePlanId: 'bar', amount: -2_500 } },
    });
    expect((await quote()).total).toBe(7_500);
    await engine.setTaxes({
      hotelId: HOTEL,
      taxes: [{ id: 'fee', name: 'Fee', kind: 'per-room-night', amount: 100 }],
    });
    expect((await quote()).total).toBe(7_600);
  });

  test('an unknown hotel is NOT_FOUND', async () => {
    const { engine } = await setup();
    const error = await errorOf(() => engine.upsertRatePlan({ hotelId: 'nope', ratePlan: BAR }));
    expect(error.code).toBe('NOT_FOUND');
  });
});

describe('cancellation policies and the check-in time', () => {
  test('removeCancellationPolicy() is refused while a plan uses the policy, and works after', async () => {
    const { engine } = await setup();
    await engine.upsertCancellationPolicy({
      hotelId: HOTEL,
      policy: { id: 'strict', name: 'Strict', nonRefundable: true },
    });
    await engine.upsertRatePlan({
      hotelId: HOTEL,
      ratePlan: { id: 'nr', name: 'Non-refundable', cancellationPolicyId: 'strict' },
    });
    const error = await errorOf(() =>
      engine.removeCancellationPolicy({ hotelId: HOTEL, id: 'strict' }),
    );
    expect(error.code).toBe('VALIDATION');
    expect((await engine.getRateCard(HOTEL)).cancellationPolicies).toHaveLength(1);
    await engine.upsertRatePlan({ hotelId: HOTEL, ratePlan: { id: 'nr', name: 'Flexible' } });
    const card = await engine.removeCancellationPolicy({ hotelId: HOTEL, id: 'strict' });
    expect(card.cancellationPolicies).toEqual([]);
  });

  test('setCheckInTime() changes only the check-in time; a malformed time is VALIDATION', async () => {
    const { engine } = await setup();
    await engine.upsertRatePlan({ hotelId: HOTEL, ratePlan: { id: 'bar', name: 'BAR' } });
    const card = await engine.setCheckInTime({ hotelId: HOTEL, checkInTime: '14:30' });
    expect(card.checkInTime).toBe('14:30');
    expect(card.ratePlans.map((p) => p.id)).toEqual(['bar']);
    const error = await errorOf(() =>
      engine.setCheckInTime({ hotelId: HOTEL, checkInTime: '25:00' }),
    );
    expect(error.code).toBe('VALIDATION');
    expect((await engine.getRateCard(HOTEL)).checkInTime).toBe('14:30');
  });
});

describe('invalid edits are VALIDATION with paths, and write nothing', () => {
  test('unknown parent plan', async () => {
    const { engine } = await setup();
    await engine.upsertRatePlan({ hotelId: HOTEL, ratePlan: BAR });
    const error = await refused(engine, () =>
      engine.upsertRatePlan({
        hotelId: HOTEL,
        ratePlan: { ...MEMBER, derivedFrom: { ratePlanId: 'ghost', percent: -10 } },
      }),
    );
    expect(pathsOf(error)).toEqual([['ratePlans', 1, 'derivedFrom', 'ratePlanId']]);
    expect(error.message).toContain('ghost');
  });

  test('removing a plan others derive from', async () => {
    const { engine } = await setup();
    await engine.setRateCard({ hotelId: HOTEL, ratePlans: [BAR, MEMBER] });
    const error = await refused(engine, () => engine.removeRatePlan({ hotelId: HOTEL, id: 'bar' }));
    expect(pathsOf(error)).toEqual([['ratePlans', 0, 'derivedFrom', 'ratePlanId']]);
  });

  test('a cycle of derived plans', async () => {
    const { engine } = await setup();
    await engine.setRateCard({ hotelId: HOTEL, ratePlans: [BAR] });
    const error = await refused(engine, () =>
      engine.setRateCard({
        hotelId: HOTEL,
        ratePlans: [
          BAR,
          { id: 'a', name: 'A', derivedFrom: { ratePlanId: 'b', percent: -10 } },
          { id: 'b', name: 'B', derivedFrom: { ratePlanId: 'a', amount: 100 } },
        ],
      }),
    );
    expect(pathsOf(error)).toEqual([
      ['ratePlans', 1, 'derivedFrom'],
      ['ratePlans', 2, 'derivedFrom'],
    ]);
    expect(error.message).toMatch(/cycle/);
    // A plan derived from itself too.
    const self = await refused(engine, () =>
      engine.upsertRatePlan({
        hotelId: HOTEL,
        ratePlan: { id: 'self', name: 'Self', derivedFrom: { ratePlanId: 'self', percent: 5 } },
      }),
    );
    expect(pathsOf(self)).toEqual([['ratePlans', 1, 'derivedFrom']]);
  });

  test('unknown room types, in plans and restrictions', async () => {
    const { engine } = await setup();
    await engine.upsertRatePlan({ hotelId: HOTEL, ratePlan: BAR });
    const plan = await refused(engine, () =>
      engine.upsertRatePlan({
        hotelId: HOTEL,
        ratePlan: { id: 'x', name: 'X', roomTypeIds: ['std', 'penthouse'] },
      }),
    );
    expect(pathsOf(plan)).toEqual([['ratePlans', 1, 'roomTypeIds', 1]]);
    expect(messagesOf(plan)).toEqual(['Unknown room type "penthouse"']);
    const rule = await refused(engine, () =>
      engine.upsertRestriction({
        hotelId: HOTEL,
        restriction: stopSellOnMay1({ roomTypeIds: ['penthouse'], ratePlanIds: ['ghost'] }),
      }),
    );
    expect(pathsOf(rule)).toEqual([
      ['restrictions', 0, 'roomTypeIds', 0],
      ['restrictions', 0, 'ratePlanIds', 0],
    ]);
    expect(messagesOf(rule)).toEqual([
      'Unknown room type "penthouse"',
      'Unknown rate plan "ghost"',
    ]);
  });

  test('a restriction may name the implicit standard plan, which no card lists', async () => {
    const { engine } = await setup();
    await engine.upsertRatePlan({ hotelId: HOTEL, ratePlan: { ...BAR, roomTypeIds: ['std'] } });
    // No base plan sells suites, so the standard plan does; a rule may close it.
    const card = await engine.upsertRestriction({
      hotelId: HOTEL,
      restriction: stopSellOnMay1({ ratePlanIds: [STANDARD_RATE_PLAN_ID] }),
    });
    expect(card.restrictions.map((r) => r.ratePlanIds)).toEqual([[STANDARD_RATE_PLAN_ID]]);
  });

  test('a derived plan selling a room type its parent does not', async () => {
    const { engine } = await setup();
    await engine.upsertRatePlan({ hotelId: HOTEL, ratePlan: { ...BAR, roomTypeIds: ['std'] } });
    const error = await refused(engine, () =>
      engine.upsertRatePlan({
        hotelId: HOTEL,
        ratePlan: { ...MEMBER, roomTypeIds: ['std', 'suite'] },
      }),
    );
    expect(pathsOf(error)).toEqual([['ratePlans', 1, 'roomTypeIds']]);
    expect(messagesOf(error)).toEqual(['The parent plan "bar" does not sell suite']);
    // Omitting roomTypeIds means every room type: also more than the parent sells (named
    // in the order the hotel lists its room types).
    await engine.createRoomType({
      id: 'loft',
      hotelId: HOTEL,
      name: 'Loft',
      maxAdults: 2,
      maxChildren: 0,
      baseRate: 18_000,
    });
    const all = await refused(engine, () =>
      engine.upsertRatePlan({ hotelId: HOTEL, ratePlan: MEMBER }),
    );
    expect(pathsOf(all)).toEqual([['ratePlans', 1, 'roomTypeIds']]);
    expect(messagesOf(all)).toEqual(['The parent plan "bar" does not sell loft, suite']);
  });

  test('unknown cancellation policy', async () => {
    const { engine } = await setup();
    const error = await refused(engine, () =>
      engine.upsertRatePlan({
        hotelId: HOTEL,
        ratePlan: { ...BAR, cancellationPolicyId: 'ghost' },
      }),
    );
    expect(pathsOf(error)).toEqual([['ratePlans', 0, 'cancellationPolicyId']]);
    expect(messagesOf(error)).toEqual(['Unknown cancellation policy "ghost"']);
  });

  test('duplicate ids', async () => {
    const { engine } = await setup();
    const error = await refused(engine, () =>
      engine.setRateCard({
        hotelId: HOTEL,
        ratePlans: [BAR, { ...BAR, name: 'Again' }],
        taxes: [
          { id: 't', name: 'T', kind: 'per-room-night', amount: 1 },
          { id: 't', name: 'T', kind: 'per-room-night', amount: 2 },
        ],
        restrictions: [
          { id: 'r', from: '2027-05-01', to: '2027-05-01', stopSell: true },
          { id: 'r', from: '2027-05-02', to: '2027-05-02', stopSell: true },
        ],
        cancellationPolicies: [
          { id: 'p', name: 'P' },
          { id: 'p', name: 'P' },
        ],
      }),
    );
    expect(pathsOf(error)).toEqual(
      expect.arrayContaining([
        ['ratePlans', 1, 'id'],
        ['restrictions', 1, 'id'],
        ['taxes', 1, 'id'],
        ['cancellationPolicies', 1, 'id'],
      ]),
    );
    expect(messagesOf(error)).toEqual(
      expect.arrayContaining([
        'Duplicate id "bar"',
        'Duplicate id "r"',
        'Duplicate id "t"',
        'Duplicate id "p"',
      ]),
    );
  });

  test('a restriction that restricts nothing, or with its range reversed', async () => {
    const { engine } = await setup();
    const nothing = await refused(engine, () =>
      engine.upsertRestriction({
        hotelId: HOTEL,
        restriction: { id: 'r', from: '2027-05-01', to: '2027-05-02', stopSell: false },
      }),
    );
    expect(pathsOf(nothing)).toEqual([['restriction']]);
    expect(nothing.message).toMatch(/restricts nothing/);
    const reversed = await refused(engine, () =>
      engine.upsertRestriction({
        hotelId: HOTEL,
        restriction: { id: 'r', from: '2027-05-02', to: '2027-05-01', minStay: 2, maxStay: 1 },
      }),
    );
    expect(pathsOf(reversed)).toEqual([
      ['restriction', 'to'],
      ['restriction', 'maxStay'],
    ]);
  });

  test.each(['24:00', '9:00', '15:60', '15:00:00', 'noon', ''])(
    'a bad check-in time: %j',
    async (checkInTime) => {
      const { engine } = await setup();
      const error = await refused(engine, () =>
        engine.setRateCard({ hotelId: HOTEL, checkInTime }),
      );
      expect(pathsOf(error)).toEqual([['checkInTime']]);
    },
  );

  test('bad values inside entries are named by their path', async () => {
    const { engine } = await setup();
    const error = await refused(engine, () =>
      engine.setRateCard({
        hotelId: HOTEL,
        ratePlans: [
          {
            id: 'bar',
            name: 'BAR',
            lengthOfStayDiscounts: [{ minNights: 1, percentOff: 101 }],
          },
        ],
        taxes: [{ id: 'vat', name: 'VAT', kind: 'percent', basisPoints: 0 }],
      }),
    );
    expect(pathsOf(error)).toEqual(
      expect.arrayContaining([
        ['ratePlans', 0, 'lengthOfStayDiscounts', 0, 'minNights'],
        ['ratePlans', 0, 'lengthOfStayDiscounts', 0, 'percentOff'],
        ['taxes', 0, 'basisPoints'],
      ]),
    );
  });
});

describe('concurrency', () => {
  test('a stale expectedRevision is a CONFLICT and writes nothing', async () => {
    const { engine } = await setup();
    await engine.upsertRatePlan({ hotelId: HOTEL, ratePlan: BAR, expectedRevision: 0 });
    const error = await refused(engine, () =>
      engine.upsertRatePlan({ hotelId: HOTEL, ratePlan: MEMBER, expectedRevision: 0 }),
    );
    expect(error.code).toBe('CONFLICT');
    expect(error.details).toMatchObject({
      entity: 'rateCard',
      id: HOTEL,
      expectedVersion: 0,
      actualVersion: 1,
    });
    for (const edit of [
      () => engine.setTaxes({ hotelId: HOTEL, taxes: [], expectedRevision: 5 }),
      () => engine.removeRatePlan({ hotelId: HOTEL, id: 'bar', expectedRevision: 0 }),
      () => engine.setRateCard({ hotelId: HOTEL, expectedRevision: 2 }),
      () =>
        engine.upsertCancellationPolicy({
          hotelId: HOTEL,
          policy: { id: 'p', name: 'P' },
          expectedRevision: 0,
        }),
    ]) {
      expect((await refused(engine, edit)).code).toBe('CONFLICT');
    }
    const ok = await engine.upsertRatePlan({
      hotelId: HOTEL,
      ratePlan: MEMBER,
      expectedRevision: 1,
    });
    expect(ok.revision).toBe(2);
  });

  test('concurrent edits of different entries both land', async () => {
    const { engine } = await setup();
    await engine.upsertRatePlan({ hotelId: HOTEL, ratePlan: BAR });
    await Promise.all([
      engine.upsertRatePlan({ hotelId: HOTEL, ratePlan: MEMBER }),
      engine.upsertRatePlan({ hotelId: HOTEL, ratePlan: { id: 'other', name: 'Other' } }),
    ]);
    let card = await engine.getRateCard(HOTEL);
    expect(card.ratePlans.map((p) => p.id).sort()).toEqual(['bar', 'member', 'other']);
    expect(card.revision).toBe(3);
    await Promise.all([
      engine.upsertRestriction({
        hotelId: HOTEL,
        restriction: { id: 'r1', from: '2027-05-01', to: '2027-05-01', stopSell: true },
      }),
      engine.setTaxes({
        hotelId: HOTEL,
        taxes: [{ id: 'fee', name: 'Fee', kind: 'per-room-night', amount: 1 }],
      }),
      engine.upsertCancellationPolicy({
        hotelId: HOTEL,
        policy: { id: 'nr', name: 'NR', nonRefundable: true },
      }),
      engine.upsertRestriction({
        hotelId: HOTEL,
        restriction: { id: 'r2', from: '2027-05-02', to: '2027-05-02', minStay: 2 },
      }),
    ]);
    card = await engine.getRateCard(HOTEL);
    expect(card.revision).toBe(7);
    expect(card.restrictions.map((r) => r.id).sort()).toEqual(['r1', 'r2']);
    expect(card.taxes.map((t) => t.id)).toEqual(['fee']);
    expect(card.cancellationPolicies.map((p) => p.id)).toEqual(['nr']);
    expect(card.ratePlans).toHaveLength(3);
  });

  test('two concurrent edits naming the same revision: one lands, the other is a CONFLICT', async () => {
    const { engine } = await setup();
    const results = await Promise.allSettled([
      engine.upsertRatePlan({ hotelId: HOTEL, ratePlan: BAR, expectedRevision: 0 }),
      engine.upsertRatePlan({
        hotelId: HOTEL,
        ratePlan: { id: 'other', name: 'Other' },
        expectedRevision: 0,
      }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect((rejected as PromiseRejectedResult | undefined)?.reason).toMatchObject({
      code: 'CONFLICT',
    });
    const card = await engine.getRateCard(HOTEL);
    expect(card.revision).toBe(1);
    expect(card.ratePlans).toHaveLength(1);
  });
});
