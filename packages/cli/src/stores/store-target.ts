import type { InnkeeperStore } from '@innkeeper/core';
import type pg from 'pg';
import type { CalendarScan, CalendarWindow } from './calendar-scan.js';

export const STORE_KINDS = ['memory', 'sqlite', 'postgres'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** Which store to run on, as the command line names it. */
export type StoreTarget =
  | { kind: 'memory' }
  /** `file` omitted: a fresh file in a temporary directory, removed on close. */
  | { kind: 'sqlite'; file?: string }
  /** The demo drops and re-creates `schema`, so it defaults to one of its own. */
  | { kind: 'postgres'; url: string; schema?: string };

/**
 * The database under a loaded store, for the bench's raw baselines, which work on the
 * same data as the store (same file, same schema) without going through it.
 */
export type StoreAccess =
  | { kind: 'memory' }
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgres'; pool: pg.Pool; schema: string };

/** A store loaded with a chain, ready for the engine. */
export interface LoadedStore {
  kind: StoreKind;
  /** Where the data lives, for the report (a file path, a URL without password, "memory"). */
  where: string;
  store: InnkeeperStore;
  access: StoreAccess;
  loadMs: number;
  /** Where the load's time went, in order (phase name, seconds), for the report. */
  loadPhases: { phase: string; seconds: number }[];
  /** How the store runs, for the report (e.g. SQLite's journal mode and synchronous). */
  settings: string;
  scanCalendar(window: CalendarWindow): Promise<CalendarScan>;
  /** Closes the store and removes what the loader created in a temp dir. */
  close(): Promise<void>;
}
