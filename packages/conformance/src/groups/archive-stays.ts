import type { Reservation } from '@innkeeper/core';
import { bookingRequest, day, type Fixture, TODAY } from '../fixture.js';

/** What the archive groups share: a day in milliseconds, and stays long over. */

export const DAY_MS = 86_400_000;

export const ids = (rs: Reservation[]) => rs.map((r) => r.id).sort();

/** A stay of each finished kind, all over by day 3, and one still open on days 20–22. */
export async function finishedStays({ inn, clock }: Fixture) {
  const stayed = await inn.book(bookingRequest({ checkIn: TODAY, checkOut: day(2) }));
  await inn.checkIn({ reservationId: stayed.id });
  const cancelled = await inn.book(bookingRequest({ checkIn: day(1), checkOut: day(3) }));
  await inn.cancel({ reservationId: cancelled.id });
  const held = await inn.hold(
    bookingRequest({
      checkIn: day(2),
      checkOut: day(3),
      guest: { name: 'B', email: 'b@example.com' },
    }),
  );
  const open = await inn.book(bookingRequest({ checkIn: day(20), checkOut: day(22) }));
  clock.advance(2 * DAY_MS);
  await inn.checkOut({ reservationId: stayed.id });
  await inn.expireHolds();
  return {
    finished: await Promise.all(
      [stayed.id, cancelled.id, held.id].map((id) => inn.getReservation(id)),
    ),
    open,
  };
}
