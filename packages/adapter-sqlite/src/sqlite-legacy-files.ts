import { InnkeeperError } from '@innkeeper/core';
import type { SqliteDatabase } from './sqlite-store-config.js';
import type { SqliteTableNames } from './sqlite-table-names.js';

/**
 * Files made by the releases before `tablePrefix`: their version in `PRAGMA user_version`
 * and their tables unprefixed. `legacyStateOf` recognises one by the exact shape that
 * release created, and `takeOverLegacy` renames its tables and indexes to the prefix.
 */

// ── Files of the releases before tablePrefix ─────────────────────────────────────────

const V1_RESERVATION_COLUMNS = [
  'hotel_id',
  'reservation_id',
  'status',
  'check_in',
  'check_out',
  'guest_email',
  'created_at',
  'hold_expires_at',
  'idempotency_key',
  'request_fingerprint',
  'version',
  'data',
];

const V1_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  hotels: [
    'hotel_id',
    'name',
    'time_zone',
    'currency',
    'overbooking_percent',
    'created_at',
    'updated_at',
  ],
  room_types: [
    'hotel_id',
    'room_type_id',
    'name',
    'max_adults',
    'max_children',
    'max_occupancy',
    'overbooking_percent',
    'base_rate',
    'created_at',
    'updated_at',
  ],
  calendar: [
    'hotel_id',
    'room_type_id',
    'date',
    'total',
    'overbooking_limit',
    'reserved',
    'stop_sell',
    'rate',
  ],
  reservations: V1_RESERVATION_COLUMNS,
  events: ['seq', 'type', 'at', 'hotel_id', 'reservation_id', 'days'],
};

const V1_INDEXES = [
  'reservations_by_guest',
  'reservations_by_hotel',
  'reservations_held_by_expiry',
] as const;

/**
 * The releases before `tablePrefix`, by the `PRAGMA user_version` they left: every column
 * of every table, in order, and the indexes they created. This is what tells such a file
 * from an application's own tables that happen to have the same names: tables are only
 * ever taken over when all of them are there with exactly these columns, and the indexes.
 */
const LEGACY_SCHEMAS: Readonly<
  Record<
    number,
    { columns: Readonly<Record<string, readonly string[]>>; indexes: readonly string[] }
  >
> = {
  1: { columns: V1_COLUMNS, indexes: V1_INDEXES },
  2: {
    columns: {
      ...V1_COLUMNS,
      rate_cards: ['hotel_id', 'revision', 'data'],
      reservations: [...V1_RESERVATION_COLUMNS, 'updated_at', 'payment_pending'],
    },
    indexes: [...V1_INDEXES, 'reservations_payment_pending'],
  },
};

/** Each table of the store: its name in a legacy file, and its key in `SqliteTableNames`. */
const TABLES = [
  ['hotels', 'hotels'],
  ['room_types', 'roomTypes'],
  ['rate_cards', 'rateCards'],
  ['calendar', 'calendar'],
  ['reservations', 'reservations'],
  ['events', 'events'],
] as const;

/** What a file holds of a release before `tablePrefix`. */
export type LegacyState =
  /** Nothing of it: no such tables, another `user_version`, or tables of the same names that are not its. */
  | { kind: 'none' }
  /** A file such a release wrote, at `version`: taken over by the next migration. */
  | { kind: 'legacy'; version: number }
  /** Its tables, every column there, but with more: altered by hand, so not taken over. */
  | { kind: 'altered'; version: number; tables: string[] };

/**
 * Whether the file is one a release before `tablePrefix` wrote. Only reads: `PRAGMA
 * user_version` (never written any more) and the schema.
 */
export function legacyStateOf(db: SqliteDatabase): LegacyState {
  const version = Number(db.pragma('user_version', { simple: true }));
  const schema = LEGACY_SCHEMAS[version];
  if (!schema) return { kind: 'none' };
  const altered: string[] = [];
  for (const [table, expected] of Object.entries(schema.columns)) {
    if (!tableExists(db, table)) return { kind: 'none' };
    const columns = columnsOf(db, table);
    if (columns.join() === expected.join()) continue;
    // Not even every column of the table the release created: an application's own.
    if (!expected.every((column) => columns.includes(column))) return { kind: 'none' };
    altered.push(table);
  }
  for (const index of schema.indexes) {
    if (!indexOn(db, index, 'reservations')) altered.push(`index ${index}`);
  }
  return altered.length === 0
    ? { kind: 'legacy', version }
    : { kind: 'altered', version, tables: altered };
}

/**
 * Renames a legacy file's tables and indexes to `tables`' prefix, inside the caller's
 * transaction (which records the version the file was at): all of it or (on any failure) none of it.
 * Rows are not touched, nor anything of the application's (its tables, its
 * `user_version`); foreign keys, and the application's own views, triggers and indexes on
 * these tables, follow the renamed tables (SQLite rewrites them).
 */
export function takeOverLegacy(
  db: SqliteDatabase,
  tables: SqliteTableNames,
  version: number,
): void {
  const schema = LEGACY_SCHEMAS[version];
  if (!schema) throw new Error(`No legacy schema ${version}`);
  // With legacy_alter_table on, a rename would leave other tables' REFERENCES behind.
  const legacyAlter = Number(db.pragma('legacy_alter_table', { simple: true })) === 1;
  if (legacyAlter) db.pragma('legacy_alter_table = OFF');
  try {
    for (const [legacyName, key] of TABLES) {
      if (!(legacyName in schema.columns)) continue;
      db.exec(`ALTER TABLE ${legacyName} RENAME TO ${tables[key]}`);
      moveTableStatistics(db, legacyName, tables[key]);
    }
  } finally {
    if (legacyAlter) db.pragma('legacy_alter_table = ON');
  }
  // SQLite cannot rename an index: each is dropped and made again under its new name,
  // from its own definition (which the table rename already pointed at the new table).
  for (const index of schema.indexes) {
    const row = db
      .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?")
      .get(index) as { sql: string } | undefined;
    const head = `CREATE INDEX ${index} ON `;
    if (!row?.sql.startsWith(head)) {
      throw new Error(`Index ${index} is not as the release before tablePrefix created it`);
    }
    // Its statistics first: DROP INDEX deletes those still under its name.
    moveIndexStatistics(db, index, `${tables.prefix}${index}`);
    db.exec(`DROP INDEX ${index}`);
    db.exec(`CREATE INDEX ${tables.prefix}${index} ON ${row.sql.slice(head.length)}`);
  }
}

/** The statistics tables `ANALYZE` (or `PRAGMA optimize`) may have made. */
const STAT_TABLES = ['sqlite_stat1', 'sqlite_stat4'] as const;

/**
 * `ALTER TABLE ... RENAME` leaves the planner's statistics under the old names: move a
 * table's (and its automatic indexes', and a WITHOUT ROWID table's own) to the new name,
 * so that the renamed tables are planned as before and nothing is left keyed to a name
 * an application may later use.
 */
function moveTableStatistics(db: SqliteDatabase, from: string, to: string): void {
  const autoFrom = `sqlite_autoindex_${from}_`;
  const autoTo = `sqlite_autoindex_${to}_`;
  for (const stat of STAT_TABLES) {
    if (!tableExists(db, stat)) continue;
    db.prepare(
      `UPDATE ${stat} SET tbl = @to, idx = CASE
         WHEN idx = @from THEN @to
         WHEN substr(idx, 1, length(@autoFrom)) = @autoFrom
           THEN @autoTo || substr(idx, length(@autoFrom) + 1)
         ELSE idx END
       WHERE tbl = @from`,
    ).run({ from, to, autoFrom, autoTo });
  }
}

function moveIndexStatistics(db: SqliteDatabase, from: string, to: string): void {
  for (const stat of STAT_TABLES) {
    if (!tableExists(db, stat)) continue;
    db.prepare(`UPDATE ${stat} SET idx = ? WHERE idx = ?`).run(to, from);
  }
}

export function alteredLegacyError(
  db: SqliteDatabase,
  legacy: Extract<LegacyState, { kind: 'altered' }>,
): InnkeeperError {
  return new InnkeeperError(
    'STORAGE',
    `SQLite database "${db.name}" looks like a file of an earlier @innkeeper/adapter-sqlite ` +
      `(PRAGMA user_version ${legacy.version}, unprefixed tables), but ${legacy.tables.join(', ')} ` +
      'differ from what that release created, so they are not taken over (renamed to the table ' +
      'prefix) automatically. Undo the changes (columns added, indexes dropped) and open it again.',
    { operation: 'migrate' },
  );
}

// ── Reading the schema ───────────────────────────────────────────────────────────────

/** Table names compare without regard to case in SQLite, so here too. */
export function tableExists(db: SqliteDatabase, name: string): boolean {
  return (
    db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE")
      .get(name) !== undefined
  );
}

function indexOn(db: SqliteDatabase, index: string, table: string): boolean {
  return (
    db
      .prepare(
        `SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ? COLLATE NOCASE
         AND tbl_name = ? COLLATE NOCASE`,
      )
      .get(index, table) !== undefined
  );
}

function columnsOf(db: SqliteDatabase, table: string): string[] {
  return (
    db.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').all(table) as {
      name: string;
    }[]
  ).map((column) => column.name);
}
