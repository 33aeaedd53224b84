import { addDays, type Innkeeper, type SetRateCardInput } from '@innkeeper/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GUEST, HOTEL, key, setupEngine } from './engine-support.js';

/**
 * Quotes (rates, taxes, length-of-stay discounts, derived plans, cancellation deadlines)
 * must not depend on the server's own time zone. Like time-zone-independence.test.ts,
 * this file switches `process.env.TZ` in-process (each test file runs in its own
 * worker), checks the switch took effect, and compares against hand-checked values.
 */
const ORIGINAL_TZ = process.env.TZ;

afterAll(() => {
  if (ORIGINAL_TZ === undefined) delete process.env.TZ;
  else process.env.TZ = ORIGINAL_TZ;
});

// Local offsets (minutes, as Date#getTimezoneOffset reports them) at 2027-01-15T12:00Z.
const PROCESS_ZONES = [
  { tz: 'UTC', offset: 0 },
  { tz: 'America/Los_Angeles', offset: 480 },
  { tz: 'Pacific/Kiritimati', offset: -840 },
] as const;

function inEachProcessZone<T>(run: () => Promise<T>): Promise<T[]> {
  return PROCESS_ZONES.reduce<Promise<T[]>>(async (acc, { tz, offset }) => {
    const results = await acc;
    process.env.TZ = tz;
    // Make sure the switch took effect, or the comparison would prove nothing.
    expect(new Date('2027-01-15T12:00:00.000Z').getTimezoneOffset()).toBe(offset);
    results.push(await run());
    return results;
  }, Promise.resolve([]));
}

const CARD: Omit<SetRateCardInput, 'hotelId'> = {
  checkInTime: '15:00',
  cancellationPolicies: [
    {
      id: 'flex',
      name: 'Flexible',
      windows: [
        { hoursBeforeCheckIn: 48, penalty: { kind: 'nights', nights: 1 } },
        { hoursBeforeCheckIn: 24, penalty: { kind: 'percent', percent: 100 } },
      ],
    },
    { id: 'nr', name: 'Non-refundable', nonRefundable: true },
  ],
  ratePlans: [
    {
      id: 'bar',
      name: 'BAR',
      occupancy: { includedAdults: 1, extraAdult: 2_000, child: 1_000 },
      lengthOfStayDiscounts: [{ minNights: 3, percentOff: 10 }],
      cancellationPolicyId: 'flex',
    },
    {
      id: 'member',
      name: 'Member',
      derivedFrom: { ratePlanId: 'bar', percent: -15 },
      lengthOfStayDiscounts: [{ minNights: 3, percentOff: 10 }],
      cancellationPolicyId: 'flex',
    },
    {
      id: 'prepaid',
      name: 'Prepaid',
      derivedFrom: { ratePlanId: 'member', amount: -500 },
      cancellationPolicyId: 'nr',
    },
  ],
  taxes: [
    { id: 'vat', name: 'VAT', kind: 'percent', basisPoints: 1_000 },
    { id: 'city', name: 'City tax', kind: 'per-person-night', amount: 250 },
  ],
};

const NOW = '2026-12-01T00:00:00.000Z';

describe('a quote across a DST change is the same in every process time zone', () => {
  let engine: Innkeeper;

  beforeAll(async () => {
    process.env.TZ = 'UTC';
    ({ engine } = await setupEngine({ now: NOW, timeZone: 'America/Los_Angeles', card: CARD }));
    await engine.setRates({
      hotelId: HOTEL,
      roomTypeId: 'std',
      from: '2027-03-14',
      to: '2027-03-14',
      amount: 12_000,
    });
  });

  // Check-in 2027-03-13 (PST), DST starts 2027-03-14 02:00, check-out 2027-03-16 (PDT).
  const request = {
    hotelId: HOTEL,
    checkIn: '2027-03-13',
    checkOut: '2027-03-16',
    lines: [
      { roomTypeId: 'std', ratePlanId: 'member', rooms: 2, adults: 2, children: 1 },
      { roomTypeId: 'suite', ratePlanId: 'prepaid', adults: 3 },
    ],
  };

  test('hand-checked prices and deadlines', async () => {
    const quotes = await inEachProcessZone(() => engine.quote(request));
    for (const quote of quotes) {
      const [member, prepaid] = quote.lines;
      // Member: 15% off BAR; 2 adults (1 included) + 1 child; 10% off for 3 nights.
      expect(member?.nights).toEqual([
        {
          date: '2027-03-13',
          rate: 8_500,
          supplements: 3_000,
          discount: 1_150,
          amount: 10_350,
          tax: 1_535,
        },
        {
          date: '2027-03-14',
          rate: 10_200,
          supplements: 3_000,
          discount: 1_320,
          amount: 11_880,
          tax: 1_688,
        },
        {
          date: '2027-03-15',
          rate: 8_500,
          supplements: 3_000,
          discount: 1_150,
          amount: 10_350,
          tax: 1_535,
        },
      ]);
      expect(member?.taxes).toEqual([
        { taxId: 'vat', name: 'VAT', amount: 6_516 },
        { taxId: 'city', name: 'City tax', amount: 3_000 },
      ]);
      expect(member).toMatchObject({ roomCharge: 65_160, taxTotal: 9_516, total: 74_676 });
      // Prepaid: member − 5.00 on the suite (25_000 → 21_250 → 20_750), 2 extra adults,
      // no length-of-stay tier of its own; VAT 10% and 3 × 2.50 city tax.
      expect(prepaid?.nights[0]).toEqual({
        date: '2027-03-13',
        rate: 20_750,
        supplements: 4_000,
        discount: 0,
        amount: 24_750,
        tax: 2_475 + 750,
      });
      expect(prepaid?.total).toBe(3 * (24_750 + 3_225));
      expect(quote.total).toBe(74_676 + 83_925);
      expect(quote.roomCharge + quote.taxTotal).toBe(quote.total);
      // Check-in 15:00 PST = 23:00Z; windows 48 h and 24 h before; prepaid from now.
      expect(quote.cancellation).toEqual({
        checkInAt: '2027-03-13T23:00:00.000Z',
        freeUntil: NOW,
        windows: [
          { from: NOW, penalty: 83_925 },
          { from: '2027-03-11T23:00:00.000Z', penalty: 83_925 + 23_770 },
          { from: '2027-03-12T23:00:00.000Z', penalty: 83_925 + 74_676 },
        ],
        noShowFee: 83_925 + 74_676,
      });
    }
    expect(quotes[1]).toEqual(quotes[0]);
    expect(quotes[2]).toEqual(quotes[0]);
  });

  test('search offers are identical', async () => {
    const results = await inEachProcessZone(() =>
      engine.search({ hotelId: HOTEL, checkIn: '2027-03-13', checkOut: '2027-03-16', adults: 2 }),
    );
    expect(results[0]?.offers.length).toBeGreaterThan(0);
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });

  test('a reservation booked under one process zone settles identically under another', async () => {
    process.env.TZ = 'Pacific/Kiritimati';
    const { engine: booking, clock } = await setupEngine({
      now: NOW,
      timeZone: 'America/Los_Angeles',
      card: CARD,
      payments: true,
    });
    await booking.setRates({
      hotelId: HOTEL,
      roomTypeId: 'std',
      from: '2027-03-14',
      to: '2027-03-14',
      amount: 12_000,
    });
    const reservation = await booking.book({
      ...request,
      lines: [request.lines[0] ?? { roomTypeId: 'std', adults: 1 }],
      idempotencyKey: key(),
      guest: GUEST,
    });
    process.env.TZ = 'America/Los_Angeles';
    // 30 h before check-in: the first night is kept.
    clock.set('2027-03-12T17:00:00.000Z');
    const cancelled = await booking.cancel({ reservationId: reservation.id });
    expect(cancelled.settlement).toMatchObject({ penalty: 23_770, refund: 74_676 - 23_770 });
  });
});

describe('check-in times at DST edges, in every process time zone', () => {
  test.each([
    // hotel zone, check-in time, date, check-in instant, 48 h window
    ['Europe/Paris', '02:30', '2027-10-31', '2027-10-31T00:30:00.000Z', '2027-10-29T00:30:00.000Z'],
    ['Europe/Paris', '02:30', '2027-03-28', '2027-03-28T01:30:00.000Z', '2027-03-26T01:30:00.000Z'],
    [
      'America/Los_Angeles',
      '01:30',
      '2027-11-07',
      '2027-11-07T08:30:00.000Z',
      '2027-11-05T08:30:00.000Z',
    ],
    [
      'America/Los_Angeles',
      '02:30',
      '2027-03-14',
      '2027-03-14T10:30:00.000Z',
      '2027-03-12T10:30:00.000Z',
    ],
    [
      'Pacific/Kiritimati',
      '15:00',
      '2027-01-01',
      '2027-01-01T01:00:00.000Z',
      '2026-12-30T01:00:00.000Z',
    ],
  ])('%s, check-in %s on %s', async (timeZone, checkInTime, checkIn, checkInAt, window48) => {
    process.env.TZ = 'UTC';
    const { engine } = await setupEngine({ now: NOW, timeZone, card: { ...CARD, checkInTime } });
    const quotes = await inEachProcessZone(() =>
      engine.quote({
        hotelId: HOTEL,
        checkIn,
        checkOut: addDays(checkIn, 1),
        lines: [{ roomTypeId: 'std', ratePlanId: 'bar', adults: 1 }],
      }),
    );
    for (const quote of quotes) {
      expect(quote.cancellation.checkInAt).toBe(checkInAt);
      expect(quote.cancellation.freeUntil).toBe(window48);
    }
    expect(quotes[1]).toEqual(quotes[0]);
    expect(quotes[2]).toEqual(quotes[0]);
  });
});

describe('PROPERTY: quotes do not depend on the process time zone', () => {
  const HOTEL_ZONES = [
    'UTC',
    'Europe/Paris',
    'America/Los_Angeles',
    'Pacific/Kiritimati',
    'Pacific/Honolulu',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
    'America/Santiago',
  ] as const;
  const engines = new Map<string, Innkeeper>();

  beforeAll(async () => {
    process.env.TZ = 'UTC';
    for (const timeZone of HOTEL_ZONES) {
      const { engine } = await setupEngine({
        now: NOW,
        timeZone,
        from: '2026-11-29',
        to: '2028-01-31',
        card: CARD,
      });
      engines.set(timeZone, engine);
    }
  });

  test('random stays, hotel zones and check-in times', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...HOTEL_ZONES),
        fc.integer({ min: 0, max: 23 }),
        fc.constantFrom(0, 15, 30, 45),
        fc.integer({ min: 1, max: 390 }),
        fc.integer({ min: 1, max: 10 }),
        fc.constantFrom('bar', 'member', 'prepaid'),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 0, max: 1 }),
        async (zone, hour, minute, offset, nights, ratePlanId, adults, children) => {
          const engine = engines.get(zone);
          if (!engine) throw new Error(zone);
          const checkInTime = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
          process.env.TZ = 'UTC';
          await engine.setRateCard({ hotelId: HOTEL, ...CARD, checkInTime });
          const checkIn = addDays('2026-12-01', offset);
          const quotes = await inEachProcessZone(() =>
            engine.quote({
              hotelId: HOTEL,
              checkIn,
              checkOut: addDays(checkIn, nights),
              lines: [{ roomTypeId: 'std', ratePlanId, adults, children }],
            }),
          );
          expect(quotes[1]).toEqual(quotes[0]);
          expect(quotes[2]).toEqual(quotes[0]);
          // The check-in instant shows the check-in time on the check-in date at the hotel
          // (or, in a spring gap, the first wall time after it).
          const shown = new Intl.DateTimeFormat('en-CA', {
            timeZone: zone,
            year: 'numeric',
            month: '2-digit',
            day: '2-digit',
            hour: '2-digit',
            minute: '2-digit',
            hourCycle: 'h23',
          }).format(new Date(quotes[0]?.cancellation.checkInAt ?? ''));
          const [shownDate, shownTime] = shown.split(', ');
          expect(shownDate).toBe(checkIn);
          expect((shownTime ?? '') >= checkInTime).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});
