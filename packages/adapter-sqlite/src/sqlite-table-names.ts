import { invalid } from '@innkeeper/core/store';

/** What every table, index and the version table of the store start with unless told otherwise. */
export const DEFAULT_SQLITE_TABLE_PREFIX = 'innkeeper_';

/**
 * The names of the store's tables for one `tablePrefix`: what the store's own statements
 * use, and what anything else reading or writing them in SQL should use too (the CLI's
 * bulk loader, a benchmark's raw baseline, your own reports).
 */
export interface SqliteTableNames {
  /** The prefix every name below starts with, also that of the store's indexes. */
  readonly prefix: string;
  readonly hotels: string;
  readonly roomTypes: string;
  readonly rateCards: string;
  readonly calendar: string;
  readonly reservations: string;
  /** Physical rooms, and the room-nights reservations hold (one row per room and night). */
  readonly rooms: string;
  readonly roomNights: string;
  /** The archive's index of reservations moved to cold storage, and each hotel's horizon. */
  readonly archivedReservations: string;
  readonly archiveHorizons: string;
  /** The change feed, its consumers' named cursors, and how far it was pruned. */
  readonly events: string;
  readonly feedCursors: string;
  readonly feedState: string;
  /** Which migrations have run: one row per schema version, as in the Postgres store. */
  readonly schemaMigrations: string;
}

const MAX_PREFIX_LENGTH = 32;
const PREFIX = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why `prefix` cannot be a table prefix, or `null` when it can. */
export function tablePrefixProblem(prefix: unknown): string | null {
  if (typeof prefix !== 'string') return 'must be a string';
  if (prefix.length === 0 || prefix.length > MAX_PREFIX_LENGTH || !PREFIX.test(prefix)) {
    return (
      `Invalid table prefix ${JSON.stringify(prefix)}: use 1-${MAX_PREFIX_LENGTH} letters, digits ` +
      'or underscores, not starting with a digit (it is spliced into SQL as part of each name)'
    );
  }
  if (prefix.toLowerCase().startsWith('sqlite_')) {
    return `Invalid table prefix "${prefix}": names starting with "sqlite_" are reserved by SQLite`;
  }
  return null;
}

/** The names for a prefix already checked (or the legacy empty one): no validation. */
export function tableNamesWith(prefix: string): SqliteTableNames {
  return {
    prefix,
    hotels: `${prefix}hotels`,
    roomTypes: `${prefix}room_types`,
    rateCards: `${prefix}rate_cards`,
    calendar: `${prefix}calendar`,
    reservations: `${prefix}reservations`,
    rooms: `${prefix}rooms`,
    roomNights: `${prefix}room_nights`,
    archivedReservations: `${prefix}archived_reservations`,
    archiveHorizons: `${prefix}archive_horizons`,
    events: `${prefix}events`,
    feedCursors: `${prefix}feed_cursors`,
    feedState: `${prefix}feed_state`,
    schemaMigrations: `${prefix}schema_migrations`,
  };
}

/**
 * The store's table names for `prefix` (default `innkeeper_`): `sqliteTableNames().calendar`
 * is `'innkeeper_calendar'`. A prefix that is not 1-32 letters, digits or underscores
 * (not starting with a digit, nor with `sqlite_`) is a `VALIDATION` error at `tablePrefix`.
 * SQLite compares names without regard to case: `App_` and `app_` name the same tables.
 */
export function sqliteTableNames(prefix: string = DEFAULT_SQLITE_TABLE_PREFIX): SqliteTableNames {
  const problem = tablePrefixProblem(prefix);
  if (problem) throw invalid([{ path: ['tablePrefix'], message: problem }]);
  return tableNamesWith(prefix);
}
