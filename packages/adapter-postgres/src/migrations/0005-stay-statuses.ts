/**
 * Migration 5: the statuses of the stay after booking. `reservations.status` also allows
 * `checked-in` and `checked-out` (the CHECK of migration 3 is replaced by name). Nothing
 * else changes: both statuses keep their nights in `reservation_nights`, which the audit
 * counts for every status that holds rooms.
 */
export function stayStatusesMigration(s: string): string {
  return `
ALTER TABLE ${s}.reservations DROP CONSTRAINT reservations_status_check;
ALTER TABLE ${s}.reservations ADD CONSTRAINT reservations_status_check
  CHECK (status IN ('held', 'confirmed', 'checked-in', 'checked-out', 'cancelled', 'expired', 'no-show'));
`;
}
