import { claimsOf, eachDate, priceLine, type Reservation, type RoomType } from '@innkeeper/core';

/** A booking plan as the engine would hand it to the store, for calling the store directly. */
export function bookingPlan(
  roomType: RoomType,
  options: { id: string; checkIn: string; checkOut: string; rooms?: number; at?: string },
) {
  const at = options.at ?? '2030-06-01T12:00:00.000Z';
  const line = priceLine(
    roomType,
    { rooms: options.rooms ?? 1, adults: 1, children: 0 },
    eachDate(options.checkIn, options.checkOut),
    new Map(),
  );
  const reservation: Reservation = {
    id: options.id,
    hotelId: roomType.hotelId,
    status: 'confirmed',
    checkIn: options.checkIn,
    checkOut: options.checkOut,
    lines: [line],
    guest: { name: 'Direct', email: 'direct@example.com' },
    currency: 'EUR',
    total: line.total,
    idempotencyKey: `key-${options.id}`,
    requestFingerprint: `fp-${options.id}`,
    holdExpiresAt: null,
    createdAt: at,
    updatedAt: at,
    version: 1,
    history: [{ at, action: 'created', status: 'confirmed' }],
  };
  return { reservation, deltas: claimsOf([line]) };
}
