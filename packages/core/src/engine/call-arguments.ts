import { z } from 'zod';
import { countrySchema } from '../catalog/catalog-profile.js';
import { entityIdSchema } from '../catalog/ids.js';
import { textSchema } from '../catalog/text.js';
import { gatewayMovementSchema } from '../reservation/payment-reconciliation.js';

/**
 * Schemas of the public calls that take plain arguments rather than one input object:
 * `getHotel(hotelId)`, `listRoomTypes(hotelId)`, `getRateCard(hotelId)`,
 * `readEvents(afterSeq, limit)` and `audit({ hotelId })` (`getReservation(reservationId)`
 * uses `reservationRefSchema`). The engine gathers positional arguments into an object
 * keyed by parameter name and parses that, so a `VALIDATION` issue names the parameter
 * (`['limit']`) and nothing reaches the store unchecked: a store never sees `1.5`, `[]`
 * or `{}` where it expects a seq number or an id.
 *
 * A well-formed id that names nothing is not a validation matter: the call looks it up
 * and reports `NOT_FOUND`, the same on every store.
 */

/** The most events one `readEvents` call returns. */
export const MAX_EVENTS_PAGE = 10_000;
/** Events one `readEvents` call returns when no `limit` is given. */
export const DEFAULT_EVENTS_PAGE = 1000;

/** `getHotel`, `listRoomTypes`, `getRateCard`: the hotel's id, as `createHotel` accepts it. */
export const hotelIdArgumentsSchema = z.strictObject({ hotelId: entityIdSchema });
export type HotelIdArguments = z.input<typeof hotelIdArgumentsSchema>;

/** `deactivateRoomType`, `reactivateRoomType`: which room type. */
export const roomTypeRefSchema = z.strictObject({
  hotelId: entityIdSchema,
  roomTypeId: entityIdSchema,
});
export type RoomTypeRef = z.input<typeof roomTypeRefSchema>;

/** `listHotels(input)`: one page of hotels in id order, optionally filtered. */
export const listHotelsInputSchema = z.strictObject({
  /** Hotels per page, 1 to 1,000. */
  limit: z.number().int().min(1).max(1000).default(100),
  /** `nextCursor` of the previous page; absent for the first page. */
  cursor: entityIdSchema.optional(),
  /** Only active hotels (`true`) or only deactivated ones (`false`); both when omitted. */
  active: z.boolean().optional(),
  /** Only hotels whose address is in this city (accents and case ignored: `cityKey`). */
  city: textSchema({ min: 1, max: 100 }).optional(),
  /** Only hotels whose address is in this country (ISO 3166-1 alpha-2). */
  country: countrySchema.optional(),
});
export type ListHotelsInput = z.input<typeof listHotelsInputSchema>;

/** `readEvents(afterSeq, limit)`. */
export const readEventsArgumentsSchema = z.strictObject({
  /** Events with a greater `seq`; 0 (the default) reads from the start of the feed. */
  afterSeq: z.number().int().min(0).default(0),
  /** At most this many events, 1 to `MAX_EVENTS_PAGE`. */
  limit: z.number().int().min(1).max(MAX_EVENTS_PAGE).default(DEFAULT_EVENTS_PAGE),
});
export type ReadEventsArguments = z.input<typeof readEventsArgumentsSchema>;

/** `audit(input)`: every hotel, or only `hotelId` (a filter: an unknown hotel has no findings). */
export const auditInputSchema = z.strictObject({ hotelId: entityIdSchema.optional() });
export type AuditInput = z.input<typeof auditInputSchema>;

/** `reconcilePayments(input)`: one hotel's reservations against the gateway's ledger for it. */
export const reconcilePaymentsInputSchema = z.strictObject({
  hotelId: entityIdSchema,
  /** The gateway's charges and refunds for the hotel's reservations (a settlement report). */
  movements: z.array(gatewayMovementSchema),
});
export type ReconcilePaymentsInput = z.input<typeof reconcilePaymentsInputSchema>;
