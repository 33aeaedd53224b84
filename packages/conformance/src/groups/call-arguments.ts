import assert from 'node:assert/strict';
import { type Innkeeper, type InnkeeperStore, isInnkeeperError } from '@innkeeper/core';
import { bookingRequest, day, fixtureTest } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';
import {
  type MethodCase,
  methods,
  type Param,
  type PublicMethodName,
} from './call-arguments-cases.js';

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
