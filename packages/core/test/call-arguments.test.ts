import { createMemoryStore } from '@innkeeper/adapter-memory';
import {
  auditInputSchema,
  createInnkeeper,
  createManualClock,
  hotelIdArgumentsSchema,
  type Innkeeper,
  InnkeeperError,
  MAX_EVENTS_PAGE,
  readEventsArgumentsSchema,
  reservationIdSchema,
} from '@innkeeper/core';
import { describe, expect, test } from 'vitest';

/** One value of every JSON type (and then some) that is never a valid id. */
const notStrings = [
  0,
  1,
  1.5,
  -5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  false,
  null,
  [],
  ['h1'],
  {},
  { hotelId: 'h1' },
];
/** Values that are never a valid seq number or page size. */
const notCounts = [
  '1',
  '',
  1.5,
  -1,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 53,
  true,
  null,
  [],
  [1],
  {},
];

/** The distinct paths a failed parse names, dotted (`undefined` when it did not fail). */
function pathsOf(error: { issues: { path: PropertyKey[] }[] } | undefined) {
  return error && [...new Set(error.issues.map((i) => i.path.map(String).join('.')))];
}

describe('hotelIdArgumentsSchema', () => {
  test.for(['h1', 'a', 'A-b_c.d:e', 'x'.repeat(64)])('accepts %j', (hotelId) => {
    expect(hotelIdArgumentsSchema.parse({ hotelId })).toEqual({ hotelId });
  });

  test.for([...notStrings, '', ' ', 'h 1', 'h/1', 'x'.repeat(65), undefined])(
    'rejects %j at hotelId',
    (hotelId) => {
      const result = hotelIdArgumentsSchema.safeParse({ hotelId });
      expect(result.success).toBe(false);
      expect(pathsOf(result.error)).toEqual(['hotelId']);
    },
  );
});

describe('reservationIdSchema', () => {
  test.for([
    'r',
    '0f8fad5b-d9cb-469f-a165-70867728950e',
    'any chars / even spaces',
    'x'.repeat(100),
  ])('accepts %j', (id) => expect(reservationIdSchema.parse(id)).toBe(id));

  test.for([...notStrings, '', 'x'.repeat(101), undefined])('rejects %j', (id) => {
    expect(reservationIdSchema.safeParse(id).success).toBe(false);
  });
});

describe('readEventsArgumentsSchema', () => {
  test('defaults afterSeq to 0 and limit to 1,000', () => {
    expect(readEventsArgumentsSchema.parse({})).toEqual({ afterSeq: 0, limit: 1000 });
    expect(readEventsArgumentsSchema.parse({ afterSeq: undefined, limit: undefined })).toEqual({
      afterSeq: 0,
      limit: 1000,
    });
  });

  test('accepts any non-negative safe integer afterSeq and a limit of 1 to MAX_EVENTS_PAGE', () => {
    expect(MAX_EVENTS_PAGE).toBe(10_000);
    for (const [afterSeq, limit] of [
      [0, 1],
      [7, 10_000],
      [Number.MAX_SAFE_INTEGER, 500],
    ] as const) {
      expect(readEventsArgumentsSchema.parse({ afterSeq, limit })).toEqual({ afterSeq, limit });
    }
  });

  test.for(notCounts)('rejects afterSeq %j at afterSeq', (afterSeq) => {
    const result = readEventsArgumentsSchema.safeParse({ afterSeq, limit: 10 });
    expect(pathsOf(result.error)).toEqual(['afterSeq']);
  });

  test.for([...notCounts, 0, -5, MAX_EVENTS_PAGE + 1])('rejects limit %j at limit', (limit) => {
    const result = readEventsArgumentsSchema.safeParse({ afterSeq: 0, limit });
    expect(pathsOf(result.error)).toEqual(['limit']);
  });
});

describe('auditInputSchema', () => {
  test('accepts no hotel or a hotel id', () => {
    expect(auditInputSchema.parse({})).toEqual({});
    expect(auditInputSchema.parse({ hotelId: 'h1' })).toEqual({ hotelId: 'h1' });
  });

  test.for([...notStrings, ''])('rejects hotelId %j', (hotelId) => {
    expect(auditInputSchema.safeParse({ hotelId }).success).toBe(false);
  });

  test('rejects unknown fields and anything but an object', () => {
    expect(auditInputSchema.safeParse({ hotel: 'h1' }).success).toBe(false);
    for (const input of ['h1', 1, true, null, [], [{}]]) {
      expect(auditInputSchema.safeParse(input).success).toBe(false);
    }
  });
});

/** An engine on the memory store with hotel `h1` and one reservation, so that there is something to find. */
async function engineWithData(): Promise<Innkeeper> {
  const engine = createInnkeeper({
    store: createMemoryStore(),
    clock: createManualClock('2030-06-01T12:00:00.000Z'),
  });
  await engine.createHotel({ id: 'h1', name: 'One', timeZone: 'Europe/Paris', currency: 'EUR' });
  await engine.createRoomType({
    id: 'std',
    hotelId: 'h1',
    name: 'Std',
    maxAdults: 2,
    baseRate: 100,
  });
  await engine.setInventory({
    hotelId: 'h1',
    roomTypeId: 'std',
    from: '2030-06-01',
    to: '2030-06-10',
    total: 3,
  });
  return engine;
}

async function failure(call: Promise<unknown>): Promise<InnkeeperError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof InnkeeperError) return error;
    throw error;
  }
  throw new Error('the call resolved');
}

/** Calls a method with arguments its signature does not allow, as untyped JavaScript can. */
function loosely(engine: Innkeeper, method: keyof Innkeeper, ...args: unknown[]) {
  return (engine[method] as (...a: unknown[]) => Promise<unknown>).apply(engine, args);
}

describe('the engine parses plain arguments before the store sees them', () => {
  test('readEvents with a fractional, negative, missing-typed or oversized argument is VALIDATION naming it', async () => {
    const engine = await engineWithData();
    const cases: [unknown[], string][] = [
      [[0, 1.5], 'limit'],
      [[0, -5], 'limit'],
      [[0, 0], 'limit'],
      [[0, MAX_EVENTS_PAGE + 1], 'limit'],
      [['x'], 'afterSeq'],
      [[-1], 'afterSeq'],
      [[null, 10], 'afterSeq'],
      [[[0]], 'afterSeq'],
      [[0, {}], 'limit'],
    ];
    for (const [args, path] of cases) {
      const error = await failure(loosely(engine, 'readEvents', ...args));
      expect(error.code, JSON.stringify(args)).toBe('VALIDATION');
      expect((error as InnkeeperError<'VALIDATION'>).details.issues.map((i) => i.path)).toEqual([
        [path],
      ]);
    }
    // The hotel's and its room type's creation, then the inventory change.
    const events = await engine.readEvents();
    expect(events.map((e) => e.type)).toEqual([
      'hotel.created',
      'room-type.created',
      'inventory.changed',
    ]);
    expect(await engine.readEvents(events[2]?.seq)).toEqual([]);
    expect(await engine.readEvents(0, 1)).toHaveLength(1);
  });

  test('getHotel, listRoomTypes and getRateCard with a malformed id are VALIDATION at hotelId; a well-formed unknown one is NOT_FOUND', async () => {
    const engine = await engineWithData();
    for (const method of ['getHotel', 'listRoomTypes', 'getRateCard'] as const) {
      for (const hotelId of [{}, ['h1'], 1, null, true, '', 'h 1', undefined]) {
        const error = await failure(loosely(engine, method, hotelId));
        expect(error.code, `${method}(${JSON.stringify(hotelId)})`).toBe('VALIDATION');
        expect((error as InnkeeperError<'VALIDATION'>).details.issues[0]?.path).toEqual([
          'hotelId',
        ]);
      }
      const missing = await failure(loosely(engine, method, 'nope'));
      expect(missing.code).toBe('NOT_FOUND');
      expect(missing.details).toEqual({ entity: 'hotel', id: 'nope' });
    }
    expect((await engine.getHotel('h1')).id).toBe('h1');
  });

  test('getReservation and getReservationHistory with a malformed id are VALIDATION at reservationId', async () => {
    const engine = await engineWithData();
    for (const method of ['getReservation', 'getReservationHistory'] as const) {
      for (const id of [{}, ['r'], 1, null, '', 'x'.repeat(101), undefined]) {
        const error = await failure(loosely(engine, method, id));
        expect(error.code, `${method}(${JSON.stringify(id)})`).toBe('VALIDATION');
      }
      expect((await failure(loosely(engine, method, 'nope'))).code).toBe('NOT_FOUND');
    }
  });

  test('audit with malformed options is VALIDATION; an unknown hotel is a filter that finds nothing', async () => {
    const engine = await engineWithData();
    for (const input of [null, 'h1', 1, [], { hotelId: 1 }, { hotelId: '' }, { hotel: 'h1' }]) {
      expect((await failure(loosely(engine, 'audit', input))).code, JSON.stringify(input)).toBe(
        'VALIDATION',
      );
    }
    expect((await engine.audit()).ok).toBe(true);
    expect((await engine.audit({ hotelId: 'h1' })).ok).toBe(true);
    expect((await engine.audit({ hotelId: 'nope' })).findings).toEqual([]);
  });
});
