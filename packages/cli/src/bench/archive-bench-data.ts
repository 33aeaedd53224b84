import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FINISHED_STATUSES } from '@innkeeper/core';

/**
 * What the archive benchmark needs of a database beyond the store: filling it with
 * finished stays fast (cloned in SQL from one stay made through the engine), its size on
 * disk once vacuumed, and the raw baseline (export and delete by hand).
 */
export interface ArchiveBenchDatabase {
  /**
   * Clones the template reservation `count` times (ids `<prefix><i>`), one night each,
   * `perDay` a night from `firstNight` on, over `hotels` hotels (`h<n>`), each guest
   * having `stayPerGuest` stays. Returns how many rows it wrote.
   */
  clone(plan: ClonePlan): Promise<number>;
  /** Bytes the store's tables take once vacuumed (VACUUM; VACUUM FULL on Postgres). */
  vacuumedBytes(): Promise<number>;
  /**
   * The raw baseline: for each hotel, the finished stays that checked out by `before`, by
   * id in batches of `batch`: read, written as gzip NDJSON with fsync, then deleted in one
   * transaction. No index, no verification, no settling. Returns reservations moved.
   */
  rawArchive(hotels: string[], before: string, batch: number, directory: string): Promise<number>;
  close(): Promise<void>;
}

export interface ClonePlan {
  templateId: string;
  prefix: string;
  count: number;
  hotels: number;
  firstNight: string;
  perDay: number;
  /** Stays per guest e-mail (`guest<n>@example.com`). */
  stayPerGuest: number;
}

/** The core's finished statuses as an SQL list: what the raw baseline may move. */
export const FINISHED_SQL = `(${FINISHED_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/** Rows cloned per statement: one progress step. */
export const CLONE_CHUNK = 250_000;

/** Writes `rows` (JSON texts) as a gzip NDJSON file, flushed to disk. */
export function writeNdjsonGz(directory: string, name: string, rows: string[]): void {
  const path = join(directory, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, gzipSync(`${rows.join('\n')}\n`), { flush: true });
}
