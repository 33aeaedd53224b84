/**
 * Migration 6: the indexes of the front desk's lists, so that a hotel's arrivals,
 * departures and in-house guests on a date are read from an index, newest first, never
 * by a scan of the hotel's reservations. `created_at, reservation_id` after the date
 * keep each list's order (and its keyset cursor) inside the index.
 */
export function frontDeskIndexesMigration(s: string): string {
  return `
CREATE INDEX reservations_by_arrival
  ON ${s}.reservations (hotel_id, check_in, created_at, reservation_id);
CREATE INDEX reservations_by_departure
  ON ${s}.reservations (hotel_id, check_out, created_at, reservation_id);
CREATE INDEX reservations_in_house
  ON ${s}.reservations (hotel_id, created_at, reservation_id) WHERE status = 'checked-in';
`;
}
