import type { ErrorDetails, Innkeeper } from '@innkeeper/core';
import { bookingRequest, type Fixture, HOTEL_ID } from '../fixture.js';

/**
 * The vocabulary of the call-arguments table (call-arguments-cases.ts and its parts):
 * how a method's parameters are described, and the NOT_FOUND cases many methods share.
 */
/** Every public method of the engine (`store` is a property, not a method). */
export type PublicMethodName = {
  [K in keyof Innkeeper]: Innkeeper[K] extends (...args: never[]) => unknown ? K : never;
}[keyof Innkeeper];

/** One parameter of a public method, as its documented contract describes it. */
export type Param =
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

export type NotFoundEntity = ErrorDetails['NOT_FOUND']['entity'];

export interface MethodCase {
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

export const input = (nullable: readonly string[] = []): Param => ({
  kind: 'input',
  optional: false,
  nullable,
});
export const optionalInput: Param = { kind: 'input', optional: true };
export const hotelIdParam: Param = { kind: 'entityId', name: 'hotelId' };
export const reservationIdParam: Param = { kind: 'reservationId', name: 'reservationId' };

/** `valid` with fields of its input object replaced: the input of a NOT_FOUND case. */
export function withFields(valid: unknown[], fields: Record<string, unknown>): unknown[] {
  return [{ ...(valid[0] as Record<string, unknown>), ...fields }];
}

export const unknownHotel = (valid: unknown[]) => [
  { args: withFields(valid, { hotelId: 'nope' }), entity: 'hotel' as const, id: 'nope' },
];
export const unknownHotelOrRoomType = (valid: unknown[]) => [
  ...unknownHotel(valid),
  {
    args: withFields(valid, { roomTypeId: 'nope' }),
    entity: 'roomType' as const,
    id: `${HOTEL_ID}/nope`,
  },
];
export const unknownLineRoomType = (valid: unknown[]) => [
  {
    args: withFields(valid, { lines: [{ roomTypeId: 'nope', adults: 1 }] }),
    entity: 'roomType' as const,
    id: `${HOTEL_ID}/nope`,
  },
];
export const unknownReservation = (valid: unknown[]) => [
  {
    args: withFields(valid, { reservationId: 'nope' }),
    entity: 'reservation' as const,
    id: 'nope',
  },
];
export const unknownReservationArgument = () => [
  { args: ['nope'], entity: 'reservation' as const, id: 'nope' },
];
/** Nothing the call names by id can be missing (it creates, or filters, or takes no id). */
export const namesNothing = () => [];

/** A confirmed stay booked on the fixture (its default request, with `overrides`). */
export async function booked({ inn }: Fixture, overrides: Record<string, unknown> = {}) {
  return (await inn.book(bookingRequest(overrides))).id;
}
