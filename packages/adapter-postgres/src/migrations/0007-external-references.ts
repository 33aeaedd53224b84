/**
 * Migration 7: external references, the integrator's own id of a reservation, unique per
 * hotel. The column is computed from the document (so no write path, in SQL or in
 * TypeScript, can forget it), and its unique index both serves `listReservations` by
 * reference and refuses a second holder, whatever races to set it.
 */
export function externalReferencesMigration(s: string): string {
  return `
ALTER TABLE ${s}.reservations ADD COLUMN external_ref text COLLATE "C"
  GENERATED ALWAYS AS (data #>> '{details,externalRef}') STORED;
CREATE UNIQUE INDEX reservations_by_external_ref
  ON ${s}.reservations (hotel_id, external_ref) WHERE external_ref IS NOT NULL;
`;
}
