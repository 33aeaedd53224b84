import assert from 'node:assert/strict';
import {
  type ErrorDetails,
  type Innkeeper,
  type InnkeeperStore,
  isInnkeeperError,
} from '@innkeeper/core';
import { bookingRequest, day, type Fixture, fixtureTest, HOTEL_ID, TODAY } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';

/** Every public method of the engine (`store` is a property, not a method). */
export type PublicMethodName = {
  [K in keyof Innkeeper]: Innkeeper[K] extends (...args: never[]) => unknown ? K : never;
}[keyof Innkeeper];

/** One parameter of a public method, as its documented contract describes it. */
type Param =
  /** A hotel, room type or rate card entry id: 1–64 letters, digits and `_ . : -`. */
  | { kind: 'entityId'; name: string }
  /** A reservation id: 1–100 characters. */
  | { kind: 'reservationId'; name: string }
  /** An integer in `[min, max]`; `optional` when the method has a default. */
  | { kind: 'integer'; name: string; min: number; max: number; optional: boolean }
  /**
   * One input object. `optional`: the method defaults it (so `{}` is fine too);
   * `nullable`: its fields that accept `null`.
   */
  | { kind: 'input'; optional: boolean; nullable?: readonly string[] };

type NotFoundEntity = ErrorDetails['NOT_FOUND']['entity'];

interface MethodCase {
  params: readonly Param[];
  /**
   * Well-formed arguments that succeed on the fixture (writing, where the method
   * writes). Every malformed call is these with one argument, or one field of an input,
   * broken, so a VALIDATION error can only come from the broken part.
   */
  valid: (fix: Fixture) => Promise<unknown[]>;
  /** Well-formed ids that name nothing: NOT_FOUND naming `entity` and `id`. */
  unknown: (valid: unknown[]) => { args: unknown[]; entity: NotFoundEntity; id: string }[];
}

const input = (nullable: readonly string[] = []): Param => ({
  kind: 'input',
  optional: false,
  nullable,
});
const optionalInput: Param = { kind: 'input', optional: true };
const hotelIdParam: Param = { kind: 'entityId', name: 'hotelId' };
const reservationIdParam: Param = { kind: 'reservationId', name: 'reservationId' };

/** `valid` with fields of its input object replaced: the input of a NOT_FOUND case. */
function withFields(valid: unknown[], fields: Record<string, unknown>): unknown[] {
  return [{ ...(valid[0] as Record<string, unknown>), ...fields }];
}

const unknownHotel = (valid: unknown[]) => [
  { args: withFields(valid, { hotelId: 'nope' }), entity: 'hotel' as const, id: 'nope' },
];
const unknownHotelOrRoomType = (valid: unknown[]) => [
  ...unknownHotel(valid),
  {
    args: withFields(valid, { roomTypeId: 'nope' }),
    entity: 'roomType' as const,
    id: `${HOTEL_ID}/nope`,
  },
];
const unknownLineRoomType = (valid: unknown[]) => [
  {
    args: withFields(valid, { lines: [{ roomTypeId: 'nope', adults: 1 }] }),
    entity: 'roomType' as const,
    id: `${HOTEL_ID}/nope`,
  },
];
const unknownReservation = (valid: unknown[]) => [
  {
    args: withFields(valid, { reservationId: 'nope' }),
    entity: 'reservation' as const,
    id: 'nope',
  },
];
const unknownReservationArgument = () => [
  { args: ['nope'], entity: 'reservation' as const, id: 'nope' },
];
/** Nothing the call names by id can be missing (it creates, or filters, or takes no id). */
const namesNothing = () => [];

const range = { hotelId: HOTEL_ID, roomTypeId: 'std', from: day(1), to: day(3) };
const stay = { hotelId: HOTEL_ID, checkIn: day(1), checkOut: day(2) };
const rev0 = { hotelId: HOTEL_ID, expectedRevision: 0 };

async function booked({ inn }: Fixture, overrides: Record<string, unknown> = {}) {
  return (await inn.book(bookingRequest(overrides))).id;
}

/**
 * Every public method of `Innkeeper`, keyed by name. The `satisfies` makes a method
 * added to the engine without an entry here a compile error, so none goes unchecked.
 */
const methods = {
  createHotel: {
    params: [input()],
    valid: async () => [{ id: 'h2', name: 'Hotel Two', timeZone: 'Europe/Paris', currency: 'EUR' }],
    unknown: namesNothing,
  },
  updateHotel: {
    params: [input()],
    valid: async () => [{ id: HOTEL_ID, name: 'Hotel Renamed' }],
    unknown: (valid) => [{ args: withFields(valid, { id: 'nope' }), entity: 'hotel', id: 'nope' }],
  },
  getHotel: {
    params: [hotelIdParam],
    valid: async () => [HOTEL_ID],
    unknown: () => [{ args: ['nope'], entity: 'hotel', id: 'nope' }],
  },
  createRoomType: {
    params: [input(['overbookingPercent'])],
    valid: async () => [
      {
        id: 'twin',
        hotelId: HOTEL_ID,
        name: 'Twin',
        maxAdults: 2,
        baseRate: 9_000,
        overbookingPercent: 5,
      },
    ],
    unknown: unknownHotel,
  },
  updateRoomType: {
    params: [input(['overbookingPercent'])],
    valid: async () => [
      { hotelId: HOTEL_ID, id: 'std', name: 'Standard Plus', overbookingPercent: 5 },
    ],
    unknown: (valid) => [
      ...unknownHotel(valid),
      { args: withFields(valid, { id: 'nope' }), entity: 'roomType', id: `${HOTEL_ID}/nope` },
    ],
  },
  listRoomTypes: {
    params: [hotelIdParam],
    valid: async () => [HOTEL_ID],
    unknown: () => [{ args: ['nope'], entity: 'hotel', id: 'nope' }],
  },
  getRateCard: {
    params: [hotelIdParam],
    valid: async () => [HOTEL_ID],
    unknown: () => [{ args: ['nope'], entity: 'hotel', id: 'nope' }],
  },
  setRateCard: {
    params: [input()],
    valid: async () => [
      {
        ...rev0,
        checkInTime: '14:00',
        ratePlans: [],
        restrictions: [],
        taxes: [],
        cancellationPolicies: [],
      },
    ],
    unknown: unknownHotel,
  },
  upsertRatePlan: {
    params: [input()],
    valid: async () => [{ ...rev0, ratePlan: { id: 'flex', name: 'Flexible' } }],
    unknown: unknownHotel,
  },
  removeRatePlan: {
    params: [input()],
    valid: async () => [{ ...rev0, id: 'flex' }],
    unknown: unknownHotel,
  },
  upsertRestriction: {
    params: [input()],
    valid: async () => [
      { ...rev0, restriction: { id: 'min2', from: day(1), to: day(9), minStay: 2 } },
    ],
    unknown: unknownHotel,
  },
  removeRestriction: {
    params: [input()],
    valid: async () => [{ ...rev0, id: 'min2' }],
    unknown: unknownHotel,
  },
  setTaxes: {
    params: [input()],
    valid: async () => [{ ...rev0, taxes: [] }],
    unknown: unknownHotel,
  },
  upsertCancellationPolicy: {
    params: [input()],
    valid: async () => [{ ...rev0, policy: { id: 'free', name: 'Free cancellation' } }],
    unknown: unknownHotel,
  },
  removeCancellationPolicy: {
    params: [input()],
    valid: async () => [{ ...rev0, id: 'free' }],
    unknown: unknownHotel,
  },
  setCheckInTime: {
    params: [input()],
    valid: async () => [{ ...rev0, checkInTime: '14:00' }],
    unknown: unknownHotel,
  },
  setInventory: {
    params: [input()],
    valid: async () => [{ ...range, total: 8 }],
    unknown: unknownHotelOrRoomType,
  },
  takeOutOfOrder: {
    params: [input()],
    valid: async () => [{ ...range, rooms: 1, allowOverbooked: false }],
    unknown: unknownHotelOrRoomType,
  },
  returnToService: {
    params: [input()],
    valid: async () => [{ ...range, rooms: 1 }],
    unknown: unknownHotelOrRoomType,
  },
  setStopSell: {
    params: [input()],
    valid: async () => [{ ...range, stopSell: true }],
    unknown: unknownHotelOrRoomType,
  },
  setRates: {
    params: [input(['amount'])],
    valid: async () => [
      { ...range, amount: 12_000, weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] },
    ],
    unknown: unknownHotelOrRoomType,
  },
  getCalendar: {
    params: [input()],
    valid: async () => [range],
    unknown: unknownHotelOrRoomType,
  },
  search: {
    params: [input()],
    valid: async () => [{ ...stay, rooms: 1, adults: 2, children: 0, roomTypeIds: ['std'] }],
    unknown: (valid) => [
      ...unknownHotel(valid),
      {
        args: withFields(valid, { roomTypeIds: ['nope'] }),
        entity: 'roomType',
        id: `${HOTEL_ID}/nope`,
      },
    ],
  },
  quote: {
    params: [input()],
    valid: async () => [{ ...stay, lines: [{ roomTypeId: 'std', adults: 2 }] }],
    unknown: (valid) => [...unknownHotel(valid), ...unknownLineRoomType(valid)],
  },
  book: {
    params: [input()],
    valid: async () => [bookingRequest({ expectedTotal: 10_000 })],
    unknown: (valid) => [...unknownHotel(valid), ...unknownLineRoomType(valid)],
  },
  hold: {
    params: [input()],
    valid: async () => [{ ...bookingRequest(), ttlSeconds: 600 }],
    unknown: (valid) => [...unknownHotel(valid), ...unknownLineRoomType(valid)],
  },
  confirm: {
    params: [input()],
    valid: async ({ inn }) => [
      { reservationId: (await inn.hold({ ...bookingRequest(), ttlSeconds: 600 })).id },
    ],
    unknown: unknownReservation,
  },
  cancel: {
    params: [input()],
    valid: async (fix) => [{ reservationId: await booked(fix), reason: 'Plans changed' }],
    unknown: unknownReservation,
  },
  markNoShow: {
    params: [input()],
    valid: async (fix) => {
      const reservationId = await booked(fix, { checkIn: TODAY, checkOut: day(1) });
      // Past check-in time (15:00 in Paris) on TODAY: the guest did not come.
      fix.clock.set(`${day(1)}T06:00:00.000Z`);
      return [{ reservationId }];
    },
    unknown: unknownReservation,
  },
  recoverPendingPayments: {
    params: [optionalInput],
    valid: async () => [{ olderThanSeconds: 0, limit: 10 }],
    unknown: namesNothing,
  },
  modify: {
    params: [input()],
    valid: async (fix) => [
      {
        reservationId: await booked(fix),
        checkOut: day(3),
        lines: [{ roomTypeId: 'std', adults: 2 }],
        expectedVersion: 1,
        reason: 'One more night',
      },
    ],
    unknown: (valid) => [...unknownReservation(valid), ...unknownLineRoomType(valid)],
  },
  expireHolds: {
    params: [optionalInput],
    valid: async () => [{ now: new Date(`${day(1)}T00:00:00.000Z`), limit: 10 }],
    unknown: namesNothing,
  },
  getReservation: {
    params: [reservationIdParam],
    valid: async (fix) => [await booked(fix)],
    unknown: unknownReservationArgument,
  },
  getReservationHistory: {
    params: [reservationIdParam],
    valid: async (fix) => [await booked(fix)],
    unknown: unknownReservationArgument,
  },
  listReservations: {
    params: [input()],
    valid: async (fix) => {
      await booked(fix);
      return [{ hotelId: HOTEL_ID, from: day(1), to: day(5), status: ['confirmed'], limit: 5 }];
    },
    // A filter: a hotel that does not exist has no reservations (checked below).
    unknown: namesNothing,
  },
  audit: {
    params: [optionalInput],
    valid: async () => [{ hotelId: HOTEL_ID }],
    // A filter: a hotel that does not exist has nothing to report (checked below).
    unknown: namesNothing,
  },
  readEvents: {
    params: [
      { kind: 'integer', name: 'afterSeq', min: 0, max: Number.MAX_SAFE_INTEGER, optional: true },
      { kind: 'integer', name: 'limit', min: 1, max: 10_000, optional: true },
    ],
    valid: async () => [0, 10],
    unknown: namesNothing,
  },
  close: {
    // Takes nothing, so nothing can be malformed; calling it would end the test's store.
    params: [],
    valid: async () => [],
    unknown: namesNothing,
  },
} satisfies Record<PublicMethodName, MethodCase>;

// ── Malformed arguments ─────────────────────────────────────────────────────────────

type Path = (string | number)[];

interface MalformedCall {
  args: unknown[];
  /** Where the issue must be: the parameter, the input (`[]`) or its field. */
  path: Path;
}

/** The value stands for "argument left out" (a trailing one is not passed at all). */
const MISSING = Symbol('missing');

/** Values of every JSON type (and NaN, ±Infinity) that are not a valid `param` given `valid`. */
function malformedValues(param: Param, valid: unknown): unknown[] {
  const notStrings = [0, 1.5, -5, Number.NaN, true, false, null, [], [valid], {}];
  switch (param.kind) {
    case 'entityId':
      return [...notStrings, { [param.name]: valid }, '', ' ', 'a b', 'x'.repeat(65), MISSING];
    case 'reservationId':
      return [...notStrings, { [param.name]: valid }, '', 'x'.repeat(101), MISSING];
    case 'integer':
      return [
        String(valid),
        '',
        1.5,
        param.min - 1,
        param.max + 1,
        Number.NaN,
        Number.POSITIVE_INFINITY,
        true,
        null,
        [],
        [valid],
        {},
        ...(param.optional ? [] : [MISSING]),
      ];
    case 'input':
      return [
        'x',
        '',
        0,
        1.5,
        Number.NaN,
        true,
        false,
        null,
        [],
        [valid],
        ...(param.optional ? [] : [{}, MISSING]),
      ];
  }
}

/** Values of other JSON types than `value` (and `null` unless the field takes it). */
function otherTypes(value: unknown, nullable: boolean): unknown[] {
  const others = (() => {
    if (typeof value === 'string') return [0, 1.5, true, [], [value], {}];
    if (typeof value === 'number')
      return [String(value), Number.NaN, Number.NEGATIVE_INFINITY, false, [], [value], {}];
    if (typeof value === 'boolean') return [String(value), 1, 0, [], {}];
    if (Array.isArray(value)) return ['x', 1, true, {}];
    return ['x', 1, true, []];
  })();
  return nullable ? others : [...others, null];
}

function malformedCalls(params: readonly Param[], valid: unknown[]): MalformedCall[] {
  const calls: MalformedCall[] = [];
  params.forEach((param, index) => {
    const path: Path = param.kind === 'input' ? [] : [param.name];
    for (const value of malformedValues(param, valid[index])) {
      const args = [...valid];
      if (value === MISSING && index === args.length - 1) args.pop();
      else args[index] = value === MISSING ? undefined : value;
      calls.push({ args, path });
    }
    if (param.kind !== 'input') return;
    const fields = valid[index] as Record<string, unknown>;
    const replace = (field: string, value: unknown) =>
      valid.map((arg, i) => (i === index ? { ...fields, [field]: value } : arg));
    for (const [field, value] of Object.entries(fields)) {
      const nullable = param.nullable?.includes(field) ?? false;
      for (const other of otherTypes(value, nullable)) {
        calls.push({ args: replace(field, other), path: [field] });
      }
    }
    calls.push({ args: replace('unexpectedField', 1), path: ['unexpectedField'] });
  });
  return calls;
}

/** Calls `method` with arguments its signature may not allow, as untyped JavaScript can. */
function invoke(inn: Innkeeper, method: PublicMethodName, args: unknown[]): Promise<unknown> {
  return (inn[method] as (...args: unknown[]) => Promise<unknown>).apply(inn, args);
}

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (value instanceof Date) return `Date(${value.toISOString()})`;
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${k}: ${show(v)}`)
      .join(', ')} }`;
  }
  return JSON.stringify(value);
}

/** `a` is `b`, inside it, or around it: an issue about the broken part, not another one. */
function related(a: Path, b: Path): boolean {
  const n = Math.min(a.length, b.length);
  return a.slice(0, n).every((part, i) => part === b[i]);
}

/**
 * What the store holds, read through the port: hotels, and per hotel its room types,
 * rate card, calendar rows and reservations, and the change feed. Equal before and
 * after a call means the call wrote nothing.
 */
async function storeContents(store: InnkeeperStore) {
  const hotels = await store.listHotels({ limit: 1000 });
  const perHotel = [];
  for (const hotel of hotels) {
    perHotel.push({
      stay: await store.readStay({ hotelId: hotel.id, from: day(-30), to: day(400) }),
      reservations: await store.listReservations({
        filter: { by: 'hotel', hotelId: hotel.id },
        limit: 1000,
      }),
    });
  }
  return { hotels, perHotel, events: await store.readEvents(0, 100_000) };
}

/**
 * Every public method with malformed arguments of every JSON type in every position (and
 * in every field of an input object) is VALIDATION with an issue at that place, on every
 * store, and writes nothing; a well-formed id that names nothing is NOT_FOUND.
 */
export const callArgumentsGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);

  for (const [name, entry] of Object.entries(methods) as [PublicMethodName, MethodCase][]) {
    if (entry.params.length === 0) continue;
    test(`${name}() with malformed arguments is VALIDATION at the broken part, with an unknown id NOT_FOUND, and writes nothing`, async (fix) => {
      const valid = await entry.valid(fix);
      const before = await storeContents(fix.store);

      for (const { args, path } of malformedCalls(entry.params, valid)) {
        const call = `${name}(${args.map(show).join(', ')})`;
        const error = await settle(invoke(fix.inn, name, args));
        if (!isInnkeeperError(error, 'VALIDATION')) {
          assert.fail(
            `${call}: expected VALIDATION at ${show(path)}, got ${describeOutcome(error)}`,
          );
        }
        const paths = error.details.issues.map((issue) => issue.path);
        assert.ok(
          paths.length > 0 && paths.every((p) => related(p, path)),
          `${call}: expected issues at ${show(path)}, got ${show(paths)}`,
        );
        assert.deepEqual(await storeContents(fix.store), before, `${call} wrote nothing`);
      }

      for (const { args, entity, id } of entry.unknown(valid)) {
        const call = `${name}(${args.map(show).join(', ')})`;
        const error = await settle(invoke(fix.inn, name, args));
        if (!isInnkeeperError(error, 'NOT_FOUND')) {
          assert.fail(`${call}: expected NOT_FOUND, got ${describeOutcome(error)}`);
        }
        assert.deepEqual(error.details, { entity, id }, `${call}: NOT_FOUND details`);
        assert.deepEqual(await storeContents(fix.store), before, `${call} wrote nothing`);
      }

      // The unbroken arguments are well-formed: each refusal above came from what was broken.
      const outcome = await settle(invoke(fix.inn, name, valid));
      assert.equal(
        outcome,
        undefined,
        `${name}(${valid.map(show).join(', ')}) succeeds: ${describeOutcome(outcome)}`,
      );
    });
  }

  test('listReservations() and audit() take hotelId as a filter: an unknown hotel has no reservations and no findings', async ({
    inn,
  }) => {
    await inn.book(bookingRequest());
    assert.deepEqual(await inn.listReservations({ hotelId: 'nope' }), {
      items: [],
      nextCursor: null,
    });
    const byGuest = await inn.listReservations({ guestEmail: 'ada@example.com', hotelId: 'nope' });
    assert.deepEqual(byGuest.items, []);
    const report = await inn.audit({ hotelId: 'nope' });
    assert.deepEqual([report.ok, report.findings, report.reservationsChecked], [true, [], 0]);
  });
};

/** The error `promise` rejects with, or `undefined` when it resolves. */
async function settle(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error ?? new Error('rejected with nothing');
  }
}

function describeOutcome(error: unknown): string {
  if (error === undefined) return 'no error';
  if (isInnkeeperError(error)) return `${error.code} (${error.message})`;
  return error instanceof Error ? `${error.name}: ${error.message}` : show(error);
}
