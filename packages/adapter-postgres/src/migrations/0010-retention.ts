/**
 * Migration 10: retention. An archived reservation's idempotency key is forgotten (set
 * NULL) once its retention ends, oldest first by an index of the keys still held; the
 * change feed gets its consumers' named cursors and the seq it was pruned through (one
 * row), so a reader behind it is told instead of silently skipping events.
 */
export function retentionMigration(s: string): string {
  return `
ALTER TABLE ${s}.archived_reservations ALTER COLUMN idempotency_key DROP NOT NULL;
CREATE INDEX archived_reservations_keys_by_age
  ON ${s}.archived_reservations (archived_at) WHERE idempotency_key IS NOT NULL;

CREATE TABLE ${s}.feed_cursors (
  name       text COLLATE "C" NOT NULL PRIMARY KEY,
  seq        bigint NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE ${s}.feed_state (
  id             integer NOT NULL PRIMARY KEY CHECK (id = 1),
  pruned_through bigint NOT NULL
);
INSERT INTO ${s}.feed_state (id, pruned_through) VALUES (1, 0);
`;
}
